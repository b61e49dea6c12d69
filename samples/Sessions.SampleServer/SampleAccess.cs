using Sessions.Grpc;

namespace Sessions.SampleServer;

/// <summary>
/// Who may make the privileged calls (<c>Create</c>, <c>Revoke</c> by <c>session_id</c>, <c>RevokeAll</c>,
/// <c>ListSessions</c>): with
/// <c>SESSIONS_API_KEY</c> (or, during a rotation, <c>SESSIONS_PREVIOUS_API_KEY</c>), callers that send it as the
/// <c>x-api-key</c> metadata. Without it, <c>Create</c> stays
/// open as in the original service, whose clients call it without credentials, and the calls that end other people's
/// sessions are refused.
/// </summary>
internal static class SampleAccess
{
    public static void Add(IServiceCollection services, SampleSettings settings)
    {
        if (settings.ApiKey is { } key)
        {
            // Checked by the service edge itself: no authentication handler or authorization service per call.
            services.AddSessions().RequireApiKey(key);
            if (settings.PreviousApiKey is { } previous)
            {
                services.Configure<SessionsServiceOptions>(options => options.PreviousApiKey = previous);
            }
        }
        else
        {
            services.AddSessions().RequirePrivilegedPolicy(policy => policy.AddRequirements(new NoApiKeyRequirement()));
            services.Configure<SessionsServiceOptions>(options => options.AnonymousCreate = true);
        }
    }
}
