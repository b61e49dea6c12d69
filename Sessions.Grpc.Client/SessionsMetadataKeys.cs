namespace Sessions.Grpc;

/// <summary>
/// Names of the gRPC metadata entries (headers and trailers) the sessions service and its callers send.
/// </summary>
public static class SessionsMetadataKeys
{
    /// <summary>
    /// The trailer that carries why a token was refused, as a stable snake_case name of
    /// <see cref="SessionFailureReason"/> (<c>expired</c>, <c>bad_signature</c>, <c>not_yet_valid</c>, ...):
    /// <c>sessions-failure-reason</c>. Clients should branch on it rather than on the status message.
    /// </summary>
    public const string FailureReason = "sessions-failure-reason";

    /// <summary>
    /// The request header that carries the session token, as <c>Bearer &lt;token&gt;</c>: <c>authorization</c>.
    /// </summary>
    public const string Authorization = "authorization";

    /// <summary>
    /// The request header that carries the API key of the privileged calls (<c>Create</c>, <c>RevokeAll</c>, ...) when
    /// the service requires one: <c>x-api-key</c>.
    /// </summary>
    public const string ApiKey = "x-api-key";
}
