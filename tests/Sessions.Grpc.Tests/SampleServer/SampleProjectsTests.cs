using Grpc.Net.Client;
using Sessions.Grpc.Tests.Infrastructure;
using Sessions.SampleProjects.Protocol;

namespace Sessions.Grpc.Tests.SampleServer;

public sealed class SampleProjectsTests
{
    [Fact]
    public async Task Projects_service_validates_sessions_of_the_sample_server_with_its_published_keys()
    {
        await using var sessions = await LoopbackServer.StartAsync(Sessions.SampleServer.Program.Build(
            ["--PORT=0", "--HTTP_PORT=0", "--LISTEN_ADDRESS=127.0.0.1", "--JWT_ALGORITHM=ES256"]));
        var jwks = sessions.Addresses[1] + SessionsWellKnownPaths.JsonWebKeySet;
        await using var projects = await LoopbackServer.StartAsync(
            Sessions.SampleProjects.Program.Build(["--PORT=0", $"--SESSIONS_JWKS_URL={jwks}"]),
            new GrpcChannelOptions { UnsafeUseInsecureChannelCallCredentials = true });
        var client = new Projects.ProjectsClient(projects.Channel);
        var token = (await sessions.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId })).Token;
        var other = (await sessions.Client.CreateAsync(new CreateRequest { UserId = Guid.NewGuid().ToString() })).Token;
        var credentials = new CallOptions(credentials: SessionCallCredentials.Create(token));

        var created = await client.CreateProjectAsync(new CreateProjectRequest { Name = "apollo" }, credentials);
        var mine = await client.ListProjectsAsync(new ListProjectsRequest(), credentials);
        var theirs = await client.ListProjectsAsync(new ListProjectsRequest(), new CallOptions(credentials: SessionCallCredentials.Create(other)));
        var anonymous = await Assert.ThrowsAsync<RpcException>(async () => await client.ListProjectsAsync(new ListProjectsRequest()));

        Assert.Equal(TestTokens.UserId, created.Owner);
        Assert.Equal(["apollo"], mine.Projects.Select(p => p.Name));
        Assert.Empty(theirs.Projects);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
    }

    [Fact]
    public async Task Sample_server_with_JWT_PRIVATE_KEY_FILE_signs_with_it_under_a_kid_derived_from_the_public_key()
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var path = Path.GetTempFileName();
        await File.WriteAllTextAsync(path, key.ExportPkcs8PrivateKeyPem());
        try
        {
            await using var sessions = await LoopbackServer.StartAsync(Sessions.SampleServer.Program.Build(
                ["--PORT=0", "--HTTP_PORT=0", "--LISTEN_ADDRESS=127.0.0.1", "--JWT_ALGORITHM=PS256", $"--JWT_PRIVATE_KEY_FILE={path}"]));

            var token = (await sessions.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId })).Token;
            var header = TestTokens.ReadHeader(token);
            var keys = await sessions.Client.GetKeysAsync(new GetKeysRequest());

            Assert.Equal("PS256", header.GetProperty("alg").GetString());
            Assert.StartsWith("ps256-", header.GetProperty("kid").GetString(), StringComparison.Ordinal);
            Assert.Contains(header.GetProperty("kid").GetString()!, keys.JwksJson, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
