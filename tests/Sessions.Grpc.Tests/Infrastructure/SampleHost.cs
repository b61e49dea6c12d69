using Sessions.SampleServer;

namespace Sessions.Grpc.Tests.Infrastructure;

/// <summary>The sample server built as its Program builds it, on free loopback ports, with its logs collected.</summary>
public static class SampleHost
{
    /// <summary>Builds and starts the sample with <paramref name="settings"/> as command-line arguments (<c>--JWT_SECRET=...</c>).</summary>
    public static async Task<(LoopbackServer Server, LogCollector Logs)> StartAsync(params string[] settings)
    {
        var logs = new LogCollector();
        var app = Program.Build(
            ["--PORT=0", "--HTTP_PORT=0", "--LISTEN_ADDRESS=127.0.0.1", .. settings],
            services => services.AddSingleton<ILoggerProvider>(logs));
        return (await LoopbackServer.StartAsync(app), logs);
    }
}
