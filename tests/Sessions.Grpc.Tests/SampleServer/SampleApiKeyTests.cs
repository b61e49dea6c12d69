using Sessions.Grpc.Tests.Infrastructure;
using Sessions.SampleServer;

namespace Sessions.Grpc.Tests.SampleServer;

/// <summary>
/// The sample server's privileged calls and <c>SESSIONS_API_KEY</c>: with it, they need the <c>x-api-key</c> metadata;
/// without it, <c>Create</c> stays open (old clients call it without credentials) with a warning, and the calls that
/// end other people's sessions are refused. Too short a key stops start-up (<see cref="StartupFailureTests"/>).
/// </summary>
public sealed class SampleApiKeyTests
{
    private const string ApiKey = "sample-api-key-from-the-environment-0123456789";

    private static Task<(LoopbackServer Server, LogCollector Logs)> StartAsync(params string[] settings) => SampleHost.StartAsync(settings);

    private static Metadata Key(string key) => new() { { SessionsApiKeyDefaults.MetadataKey, key } };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_endpoint_with_authorization_metadata_mapped_on_the_sample_is_refused_not_served(bool withApiKey)
    {
        // The sample leaves ASP.NET Core's authorization middleware out (no endpoint of its own needs it); an endpoint
        // that does, mapped by a host that copies the sample, must fail closed rather than be served unchecked.
        var logs = new LogCollector();
        string[] key = withApiKey ? ["--SESSIONS_API_KEY=" + ApiKey] : [];
        var app = Program.Build(
            ["--PORT=0", "--HTTP_PORT=0", "--LISTEN_ADDRESS=127.0.0.1", .. key],
            services => services.AddSingleton<ILoggerProvider>(logs));
        app.MapGet("/secret", () => "the secret").RequireAuthorization();
        await using var server = await LoopbackServer.StartAsync(app);
        using var http = new HttpClient { BaseAddress = new Uri(server.Addresses[1]) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/secret");
        if (withApiKey)
        {
            request.Headers.Add(SessionsApiKeyDefaults.MetadataKey, ApiKey);
        }

        using var response = await http.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.DoesNotContain("the secret", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(logs.Lines, line => line.Message.Contains("contains authorization metadata", StringComparison.Ordinal)
            || (line.Exception?.Message.Contains("contains authorization metadata", StringComparison.Ordinal) ?? false));
    }

    [Fact]
    public async Task During_a_rotation_SESSIONS_PREVIOUS_API_KEY_is_accepted_beside_SESSIONS_API_KEY()
    {
        const string NewKey = "the-new-sample-api-key-from-the-environment-0123";
        var (server, logs) = await StartAsync("--SESSIONS_API_KEY=" + NewKey, "--SESSIONS_PREVIOUS_API_KEY=" + ApiKey);
        await using (server)
        {
            var client = new Sessions.Grpc.Protocol.Sessions.SessionsClient(server.Channel);
            var request = new CreateRequest { UserId = TestTokens.UserId };

            Assert.NotEmpty((await client.CreateAsync(request, Key(NewKey))).Token);
            Assert.NotEmpty((await client.CreateAsync(request, Key(ApiKey))).Token);
            var other = await Assert.ThrowsAsync<RpcException>(() => client.CreateAsync(request, Key("yet-another-api-key-that-is-32-bytes-or-more")).ResponseAsync);
            Assert.Equal(StatusCode.PermissionDenied, other.StatusCode);
            Assert.DoesNotContain(logs.Lines, line => line.Message.Contains(ApiKey, StringComparison.Ordinal) || line.Message.Contains(NewKey, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task With_SESSIONS_API_KEY_each_privileged_call_needs_the_key()
    {
        var (server, logs) = await StartAsync("--SESSIONS_API_KEY=" + ApiKey);
        await using (server)
        {
            var client = server.Client;
            var create = new CreateRequest { UserId = TestTokens.UserId, WithRefreshToken = true };
            var revokeAll = new RevokeUserSessionsRequest { UserId = TestTokens.UserId };

            var anonymous = await Assert.ThrowsAsync<RpcException>(() => client.CreateAsync(create).ResponseAsync);
            var emptyKey = await Assert.ThrowsAsync<RpcException>(() => client.CreateAsync(create, Key(string.Empty)).ResponseAsync);
            var wrong = await Assert.ThrowsAsync<RpcException>(() => client.RevokeAllAsync(revokeAll, Key("a-wrong-key-" + ApiKey)).ResponseAsync);
            var created = await client.CreateAsync(create, Key(ApiKey));
            var other = await client.CreateAsync(create, Key(ApiKey));
            var revokeById = new RevokeSessionRequest { SessionId = created.SessionId };
            var anonymousRevoke = await Assert.ThrowsAsync<RpcException>(() => client.RevokeAsync(revokeById).ResponseAsync);

            Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
            Assert.Equal("Create is a privileged call and needs credentials: the x-api-key header (gRPC metadata).", anonymous.Status.Detail);
            // An empty key is no key: the same answer, not PermissionDenied as for a wrong one.
            Assert.Equal(StatusCode.Unauthenticated, emptyKey.StatusCode);
            Assert.Equal(anonymous.Status.Detail, emptyKey.Status.Detail);
            Assert.Equal(StatusCode.PermissionDenied, wrong.StatusCode);
            Assert.Equal(StatusCode.Unauthenticated, anonymousRevoke.StatusCode);
            Assert.True((await client.RevokeAsync(revokeById, Key(ApiKey))).Revoked);

            // The holders' own calls need no key.
            Assert.True((await client.ValidateAsync(new ValidateTokenRequest { Token = other.Token })).Valid);
            var refreshed = await client.RefreshAsync(new RefreshSessionRequest { RefreshToken = other.RefreshToken });
            Assert.True((await client.RevokeAsync(new RevokeSessionRequest { Token = refreshed.Token })).Revoked);
            Assert.NotNull(await client.GetKeysAsync(new GetKeysRequest()));

            Assert.True((await client.RevokeAllAsync(revokeAll, Key(ApiKey))).Revoked);
            Assert.DoesNotContain(logs.Lines, line => line.Message.Contains("SESSIONS_API_KEY is not set", StringComparison.Ordinal));
            Assert.DoesNotContain(logs.Lines, line => line.Message.Contains(ApiKey, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Without_SESSIONS_API_KEY_Create_stays_open_with_a_warning_and_the_revocations_of_others_are_refused()
    {
        var (server, logs) = await StartAsync();
        await using (server)
        {
            var client = server.Client;
            var created = await client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });

            var byId = await Assert.ThrowsAsync<RpcException>(() => client.RevokeAsync(new RevokeSessionRequest { SessionId = created.SessionId }).ResponseAsync);
            var all = await Assert.ThrowsAsync<RpcException>(() => client.RevokeAllAsync(new RevokeUserSessionsRequest { UserId = TestTokens.UserId }).ResponseAsync);
            var list = await Assert.ThrowsAsync<RpcException>(() => client.ListSessionsAsync(new ListSessionsRequest { UserId = TestTokens.UserId }).ResponseAsync);
            var withSomeKey = await Assert.ThrowsAsync<RpcException>(() => client.RevokeAllAsync(new RevokeUserSessionsRequest { UserId = TestTokens.UserId }, Key(ApiKey)).ResponseAsync);

            foreach (var (refused, call) in new[] { (byId, "Revoke by session_id"), (all, "RevokeAll"), (list, "ListSessions"), (withSomeKey, "RevokeAll") })
            {
                Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
                Assert.StartsWith($"{call} is a privileged call and is refused: the server has no SESSIONS_API_KEY;", refused.Status.Detail, StringComparison.Ordinal);
            }

            Assert.True((await client.ValidateAsync(new ValidateTokenRequest { Token = created.Token })).Valid);
            Assert.True((await client.RevokeAsync(new RevokeSessionRequest { Token = created.Token })).Revoked);
            var warning = Assert.Single(logs.Lines, line => line.Level == LogLevel.Warning && line.Message.StartsWith("SESSIONS_API_KEY is not set", StringComparison.Ordinal));
            Assert.Contains("anyone who can reach the port can issue sessions for any user", warning.Message, StringComparison.Ordinal);
        }
    }
}
