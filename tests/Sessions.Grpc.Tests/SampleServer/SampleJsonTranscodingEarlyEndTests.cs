using System.Net.Sockets;
using System.Text;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests.SampleServer;

/// <summary>
/// A JSON request whose client closes the connection before the body its Content-Length announced has ended leaves no
/// warning with a stack trace in the log.
/// </summary>
public sealed partial class SampleJsonTranscodingTests
{
    [Fact]
    public async Task A_JSON_body_cut_short_by_a_closed_connection_leaves_no_warning_with_a_stack_trace()
    {
        var logs = new LogCollector();
        var app = Sessions.SampleServer.Program.Build(
            ["--PORT=0", "--HTTP_PORT=0", "--LISTEN_ADDRESS=127.0.0.1", "--SESSIONS_API_KEY=" + ApiKey],
            services => services.AddSingleton<ILoggerProvider>(logs));
        await using var server = await LoopbackServer.StartAsync(app);
        var address = new Uri(server.Addresses[1]);

        // Kestrel read the connection again for a next request after the gate had answered, while the failed body
        // read was still open: "Connection processing ended abnormally.", InvalidOperationException "Reading is already
        // in progress.", at Warning, for each such request.
        string[] paths = ["/v1/sessions:validate", "/v1/sessions:refresh", "/v1/sessions"];
        for (var i = 0; i < 6; i++)
        {
            using var client = new TcpClient();
            await client.ConnectAsync(address.Host, address.Port);
            var head = $"POST {paths[i % paths.Length]} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nx-api-key: {ApiKey}\r\nContent-Length: 100\r\n\r\n{{\"token\":\"ab";
            await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(head));
            await Task.Delay(200);
        }

        // Each connection closed after its wait; Kestrel ends each within moments.
        await Task.Delay(1000);
        var warnings = logs.Lines.Where(line => line.Level >= LogLevel.Warning && line.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)).ToList();
        Assert.True(warnings.Count == 0, string.Join(Environment.NewLine, warnings.Select(line => $"{line.Category} {line.Level} {line.Message} {line.Exception?.GetType().Name}")));
        Assert.DoesNotContain(logs.Lines, line => line.Exception is InvalidOperationException);

        // The server still answers on that port.
        using var http = new HttpClient { BaseAddress = address };
        using var keys = await http.GetAsync(new Uri("/v1/keys", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.OK, keys.StatusCode);
    }
}
