using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Sessions.Grpc.Internal;

/// <summary>
/// Builds the issuer and validator while the host starts rather than on the first call: their construction loads the
/// crypto library and compiles the hot path, so the first session is as fast as the thousandth.
/// </summary>
internal sealed class SessionsWarmUp(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetService<ISessionIssuer>();
        _ = services.GetService<ISessionValidator>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
