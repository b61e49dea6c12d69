using Grpc.Net.Client;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests.SampleServer;

public sealed class ContentRootTests
{
    [Fact]
    public async Task Started_from_another_directory_the_server_reads_its_own_appsettings_json()
    {
        var elsewhere = Directory.CreateTempSubdirectory("sessions-sample-cwd-");
        try
        {
            await using var server = SampleServerProcess.Start(new Dictionary<string, string> { ["PORT"] = "0", ["HTTP_PORT"] = "0" }, elsewhere.FullName);
            var address = await server.WaitUntilListeningAsync();
            using (var channel = GrpcChannel.ForAddress(address))
            {
                var client = new Protocol.Sessions.SessionsClient(channel);
                await client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });
            }

            Assert.Equal(0, await server.StopAsync());

            // appsettings.json beside the binary sets Microsoft.AspNetCore to Warning: without it, every call logs
            // "Request starting" and "Request finished" at Information.
            Assert.Contains("Now listening on", server.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("Request starting", server.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("Microsoft.AspNetCore", server.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            elsewhere.Delete(recursive: true);
        }
    }
}
