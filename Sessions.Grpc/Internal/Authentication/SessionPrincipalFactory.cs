using System.Globalization;
using System.Security.Claims;

namespace Sessions.Grpc.Internal.Authentication;

/// <summary>
/// Turns a validated <see cref="Session"/> into a <see cref="ClaimsPrincipal"/> without renaming anything:
/// <c>sub</c>, <c>jti</c>, <c>iat</c>, <c>nbf</c>, <c>exp</c> keep their JWT names, custom claims keep theirs, and a
/// string-array claim becomes one claim per element.
/// </summary>
internal static class SessionPrincipalFactory
{
    public static ClaimsPrincipal Create(Session session, string authenticationType, string nameClaimType, string roleClaimType)
    {
        var claims = new List<Claim>(8 + session.Claims.Count)
        {
            new(SessionClaimNames.Subject, session.Subject),
            new(SessionClaimNames.SessionId, session.Id),
            UnixTime(SessionClaimNames.IssuedAt, session.IssuedAt),
            UnixTime(SessionClaimNames.ExpiresAt, session.ExpiresAt),
        };
        if (session.NotBefore is { } notBefore)
        {
            claims.Add(UnixTime(SessionClaimNames.NotBefore, notBefore));
        }

        foreach (var (name, value) in session.Claims)
        {
            switch (value.Kind)
            {
                case SessionClaimKind.StringArray:
                    foreach (var item in value.AsStrings())
                    {
                        claims.Add(new Claim(name, item));
                    }

                    break;
                case SessionClaimKind.Integer:
                    claims.Add(new Claim(name, value.ToString(), ClaimValueTypes.Integer64));
                    break;
                case SessionClaimKind.Number:
                    claims.Add(new Claim(name, value.ToString(), ClaimValueTypes.Double));
                    break;
                case SessionClaimKind.Boolean:
                    claims.Add(new Claim(name, value.ToString(), ClaimValueTypes.Boolean));
                    break;
                case SessionClaimKind.Json:
                    claims.Add(new Claim(name, value.ToString(), "JSON"));
                    break;
                default:
                    claims.Add(new Claim(name, value.ToString()));
                    break;
            }
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, nameClaimType, roleClaimType));
    }

    private static Claim UnixTime(string name, DateTimeOffset time) =>
        new(name, time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64);
}
