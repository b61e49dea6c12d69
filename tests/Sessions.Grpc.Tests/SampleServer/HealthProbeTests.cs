using System.Net;
using System.Net.Sockets;
using Sessions.Grpc.Tests.Infrastructure;
using Sessions.SampleServer;

namespace Sessions.Grpc.Tests.SampleServer;

public sealed class HealthProbeTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("0.0.0.0")]
    public async Task Health_check_mode_exits_0_when_the_server_is_serving(string listenAddressSetting)
    {
        await using var server = await LoopbackServer.StartAsync(Program.Build(["--PORT=0", "--HTTP_PORT=0", "--LISTEN_ADDRESS=127.0.0.1"]));

        Assert.Equal(0, await HealthProbe.RunAsync([$"--PORT={PortOf(server)}", $"--LISTEN_ADDRESS={listenAddressSetting}"]));
    }

    [Fact]
    public async Task Health_check_mode_exits_1_when_nothing_listens()
    {
        Assert.Equal(1, await HealthProbe.RunAsync([$"--PORT={ClosedPort()}", "--LISTEN_ADDRESS=127.0.0.1"]));
    }

    [Fact]
    public async Task Main_runs_the_health_check_instead_of_a_server_when_asked()
    {
        Assert.Equal(1, await Program.Main([HealthProbe.Switch, $"--PORT={ClosedPort()}", "--LISTEN_ADDRESS=127.0.0.1"]));
    }

    private static int PortOf(LoopbackServer server) => new Uri(server.Addresses[0]).Port;

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
