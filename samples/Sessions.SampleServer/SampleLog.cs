namespace Sessions.SampleServer;

/// <summary>
/// The sample's own log lines (event ids 900–999; the packages have 1–99 Sessions.Grpc, 100–199 Sessions.Jwt, 200–299
/// Sessions.Lifecycle, 300–399 Sessions.Redis).
/// </summary>
internal static partial class SampleLog
{
    [LoggerMessage(EventId = 900, Level = LogLevel.Warning,
        Message = "No JWT_SECRET or Sessions:Secret is configured: a random secret was made for this process. Tokens will not survive a restart nor validate on other instances.")]
    public static partial void GeneratedSecret(ILogger logger);

    [LoggerMessage(EventId = 901, Level = LogLevel.Warning,
        Message = "JWT_ALGORITHM is {Algorithm} without JWT_PRIVATE_KEY_FILE: key '{KeyId}' was generated for this process. Tokens will not survive a restart nor validate on other instances.")]
    public static partial void GeneratedKey(ILogger logger, string algorithm, string keyId);

    [LoggerMessage(EventId = 902, Level = LogLevel.Warning,
        Message = "SESSIONS_API_KEY is not set: anyone who can reach the port can issue sessions for any user with Create, and Revoke by session_id, RevokeAll and ListSessions are refused. Set SESSIONS_API_KEY (make one with 'openssl rand -base64 32') and send it in the x-api-key header (gRPC metadata).")]
    public static partial void NoApiKey(ILogger logger);

    [LoggerMessage(EventId = 904, Level = LogLevel.Warning,
        Message = "{Secret} is set while sessions are signed with JWT_ALGORITHM {Algorithm}: tokens signed with the secret (without kid) are still accepted, so whoever holds the secret can still make sessions the server accepts. Keep it only while tokens it signed are live (JWT_EXPIRATION after the switch), then remove it.")]
    public static partial void SecretBesideAsymmetricKey(ILogger logger, string secret, string algorithm);

    [LoggerMessage(EventId = 903, Level = LogLevel.Information,
        Message = "Refresh tokens and revocations are kept in Redis {Endpoints}, shared with every instance given the same SESSIONS_REDIS; revocations in force: {Revocations}.")]
    public static partial void UsingRedis(ILogger logger, string endpoints, int revocations);

    // The route as mapped, never the path as sent, and the HTTP method only as EchoedName allows: both can carry anything
    // a client puts in them.
    [LoggerMessage(EventId = 905, Level = LogLevel.Information,
        Message = "JSON request {HttpMethod} {Route} refused before the call: {StatusCode} ({Code}) {Reason}")]
    public static partial void JsonRequestRefused(ILogger logger, string httpMethod, string route, int statusCode, int code, string reason);
}
