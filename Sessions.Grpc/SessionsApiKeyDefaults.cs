namespace Sessions.Grpc;

/// <summary>Default values of the API-key authentication scheme, <c>AddAuthentication().AddSessionsApiKey(...)</c>.</summary>
public static class SessionsApiKeyDefaults
{
    /// <summary>The scheme name <c>AddSessionsApiKey(...)</c> registers: <c>SessionsApiKey</c>.</summary>
    public const string AuthenticationScheme = "SessionsApiKey";

    /// <summary>The gRPC metadata (HTTP header) that carries the key: <c>x-api-key</c> (<see cref="SessionsMetadataKeys.ApiKey"/>).</summary>
    public const string MetadataKey = SessionsMetadataKeys.ApiKey;

    /// <summary>
    /// The scheme's display name, which refusals of privileged calls use to say what is missing:
    /// <c>the x-api-key header (gRPC metadata)</c>: what a gRPC caller and a JSON-over-HTTP caller alike understand.
    /// </summary>
    public const string DisplayName = "the " + MetadataKey + " header (gRPC metadata)";
}
