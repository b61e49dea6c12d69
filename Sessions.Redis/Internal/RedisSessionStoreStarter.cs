using Microsoft.Extensions.Hosting;

namespace Sessions.Redis.Internal;

/// <summary>
/// Starts the <see cref="RedisSessionStore"/> with the host, so that the revocation log is replayed before the first
/// call is served.
/// </summary>
internal sealed class RedisSessionStoreStarter(RedisSessionStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
