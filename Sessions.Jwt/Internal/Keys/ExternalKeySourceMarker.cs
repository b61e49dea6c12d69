namespace Sessions.Jwt.Internal.Keys;

/// <summary>
/// Registered when keys come from elsewhere than <see cref="JwtSessionOptions"/> (a JWKS), so that option validation
/// does not ask for a secret the service is not meant to have.
/// </summary>
internal sealed class ExternalKeySourceMarker;
