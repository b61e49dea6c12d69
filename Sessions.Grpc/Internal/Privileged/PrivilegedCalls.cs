using Sessions.Grpc.Protocol;

namespace Sessions.Grpc.Internal.Privileged;

/// <summary>
/// Which calls of <c>sessions.Sessions</c> are privileged: the one place that decides it. Every method is privileged
/// unless it is listed here as open, so an administrative call added to the contract later is protected from the
/// start, and opening one is a deliberate line here.
/// </summary>
internal static class PrivilegedCalls
{
    private const string Service = "/sessions.Sessions/";

    /// <summary>The name <see cref="NameOf"/> gives <c>Create</c>.</summary>
    public const string Create = "Create";

    /// <summary>
    /// The name of the privileged call <paramref name="method"/> makes with <paramref name="request"/>, as refusals
    /// and logs say it (<c>RevokeAll</c>, <c>Revoke by session_id</c>); <see langword="null"/> when anyone may make it.
    /// </summary>
    /// <param name="method">The full method name, <c>/sessions.Sessions/Create</c>.</param>
    /// <param name="request">The request message, or <see langword="null"/> for a streaming request.</param>
    public static string? NameOf(string method, object? request) => method switch
    {
        // Open: validating and publishing keys hold no power, Refresh needs the refresh token it renews.
        Service + "Validate" or Service + "GetKeys" or Service + "Refresh" => null,

        // Revoke by token: the holder ends their own session. By session_id: anyone's.
        Service + "Revoke" => request is RevokeSessionRequest { TargetCase: RevokeSessionRequest.TargetOneofCase.SessionId } ? "Revoke by session_id" : null,

        // Create (a session for any user), RevokeAll (anyone's sessions), ListSessions (anyone's sign-ins), named
        // without allocating, and every call added later.
        Service + Create => Create,
        Service + "RevokeAll" => "RevokeAll",
        Service + "ListSessions" => "ListSessions",
        _ => method[(method.LastIndexOf('/') + 1)..],
    };
}
