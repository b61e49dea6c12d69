using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Sessions.Internal;

/// <summary>
/// Builds the issuer, the validator and the session lifecycle (where one is registered) while the host starts rather
/// than on the first call: their construction loads the crypto library and compiles the hot path, so the first session
/// is as fast as the thousandth. Built then, they also hold settings that passed validation, and keep them through a
/// later reload to invalid ones; built on the first call after such a reload, they could not be built at all, and every
/// call would fail. Registered by
/// <c>AddJwtSessions()</c> and <c>AddJwtSessionValidation()</c> for their own, and by <c>AddSessions()</c>,
/// <c>AddSessionBearer()</c> and <c>AddSessionAuthentication()</c> for whichever the host registered. Linked into each
/// package that needs it (Shared/ at the repository root).
/// </summary>
internal sealed class SessionsWarmUp(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetService<ISessionIssuer>();
        _ = services.GetService<ISessionValidator>();
        _ = services.GetService<ISessionLifecycle>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
