using System.Net;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Sessions.SampleServer;

/// <summary>
/// <c>Sessions.SampleServer --health-check</c>: asks the running server's <c>grpc.health.v1.Health/Check</c> on this
/// machine and exits 0 when it answers <c>SERVING</c>, 1 otherwise. Container images based on the ASP.NET runtime have
/// no <c>grpc_health_probe</c>, so the Dockerfile's <c>HEALTHCHECK</c> runs the server's own binary in this mode.
/// </summary>
public static class HealthProbe
{
    /// <summary>The command-line switch that selects this mode: <c>--health-check</c>.</summary>
    public const string Switch = "--health-check";

    /// <summary>How long the probe waits for an answer: 3 seconds.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Checks the server that the same settings (<c>PORT</c>, <c>LISTEN_ADDRESS</c>, command line) describe; a server
    /// listening on every address (<c>0.0.0.0</c>) is asked on loopback.
    /// </summary>
    /// <param name="args">The command line without <see cref="Switch"/>.</param>
    /// <returns>0 when the server is serving, 1 when it is not, cannot be reached or does not answer in time.</returns>
    public static async Task<int> RunAsync(string[] args)
    {
        var configuration = new ConfigurationManager();
        configuration.AddEnvironmentVariables();
        configuration.AddCommandLine(args);
        var settings = SampleSettings.Apply(configuration);
        var address = settings.Address.Equals(IPAddress.Any) ? IPAddress.Loopback
            : settings.Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback
            : settings.Address;
        var uri = new UriBuilder(Uri.UriSchemeHttp, address.ToString(), settings.Port).Uri;

        using var channel = GrpcChannel.ForAddress(uri);
        try
        {
            var reply = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.Add(Timeout));
            await Console.Out.WriteLineAsync($"{uri}: {reply.Status}");
            return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving ? 0 : 1;
        }
        catch (RpcException ex)
        {
            await Console.Error.WriteLineAsync($"{uri}: {ex.StatusCode} {ex.Status.Detail}");
            return 1;
        }
    }
}
