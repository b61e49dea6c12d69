using Grpc.Health.V1;
using Grpc.Net.Client;
using Sessions.Grpc.Tests.Infrastructure;
using Sessions.Redis.Tests.Infrastructure;

namespace Sessions.Grpc.Tests.SampleServer;

/// <summary>
/// The sample server as shipped on Redis: <c>SESSIONS_REDIS</c> selects the Redis store, so instances given the same
/// one, the same secret and the same <c>SESSIONS_API_KEY</c> behave as one service. Each test isolates itself with its
/// own key prefix (<c>Sessions:Redis:KeyPrefix</c>) on the Redis .ci/run starts on 127.0.0.1:6379.
/// </summary>
public sealed class SampleRedisTests(SharedRedis redis) : IClassFixture<SharedRedis>
{
    private const string Secret = "sample-redis-secret-shared-by-instances-0123456789";
    private const string ApiKey = "sample-redis-api-key-shared-by-instances-0123456789";
    private static readonly Metadata Key = new() { { SessionsApiKeyDefaults.MetadataKey, ApiKey } };

    private static async Task<LoopbackServer> StartAsync(params string[] settings) =>
        await LoopbackServer.StartAsync(Sessions.SampleServer.Program.Build(
            ["--PORT=0", "--HTTP_PORT=0", "--LISTEN_ADDRESS=127.0.0.1", "--JWT_SECRET=" + Secret, "--SESSIONS_API_KEY=" + ApiKey, .. settings]));

    private static async Task<RpcException?> ValidationFailureAsync(LoopbackServer server, string token)
    {
        try
        {
            await server.Client.ValidateAsync(new ValidateTokenRequest { Token = token });
            return null;
        }
        catch (RpcException ex)
        {
            return ex;
        }
    }

    [Fact]
    public async Task Two_instances_sharing_SESSIONS_REDIS_create_validate_refresh_and_revoke_as_one_service()
    {
        string[] shared = ["--SESSIONS_REDIS=" + redis.Configuration, "--Sessions:Redis:KeyPrefix=" + SharedRedis.NewPrefix()];
        await using var a = await StartAsync(shared);
        await using var b = await StartAsync(shared);

        var created = await a.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId, WithRefreshToken = true }, Key);
        Assert.True((await b.Client.ValidateAsync(new ValidateTokenRequest { Token = created.Token })).Valid);

        // The refresh chain lives in Redis: B rotates A's refresh token, and A sees the rotation.
        var refreshed = await b.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = created.RefreshToken });
        Assert.Equal(created.ChainId, refreshed.ChainId);
        Assert.True((await a.Client.ValidateAsync(new ValidateTokenRequest { Token = refreshed.Token })).Valid);
        var listed = await a.Client.ListSessionsAsync(new ListSessionsRequest { UserId = TestTokens.UserId }, Key);
        Assert.Contains(listed.Sessions, s => s.ChainId == created.ChainId);

        Assert.True((await a.Client.RevokeAsync(new RevokeSessionRequest { SessionId = refreshed.SessionId }, Key)).Revoked);

        // B learns of it from the revocation log: poll within a bounded deadline, without timing it.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        RpcException? refused;
        while ((refused = await ValidationFailureAsync(b, refreshed.Token)) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "instance B still accepts the session revoked on A after 10 s");
            await Task.Delay(20);
        }

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal("revoked", refused.Trailers.GetValue(SessionsMetadataKeys.FailureReason));
        // Revoking the session revoked its chain: the refresh token is refused on B too.
        var refresh = await Assert.ThrowsAsync<RpcException>(() => b.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = refreshed.RefreshToken }).ResponseAsync);
        Assert.Equal("refresh token is revoked; sign in again", refresh.Status.Detail);
    }

    [Fact]
    public async Task A_restarted_instance_still_refuses_what_was_revoked_before_it_started()
    {
        string[] shared = ["--SESSIONS_REDIS=" + redis.Configuration, "--Sessions:Redis:KeyPrefix=" + SharedRedis.NewPrefix()];
        TokenReply created;
        await using (var first = await StartAsync(shared))
        {
            created = await first.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId }, Key);
            Assert.True((await first.Client.RevokeAsync(new RevokeSessionRequest { SessionId = created.SessionId }, Key)).Revoked);
        }

        await using var restarted = await StartAsync(shared);

        var refused = await ValidationFailureAsync(restarted, created.Token);
        Assert.Equal("revoked", refused?.Trailers.GetValue(SessionsMetadataKeys.FailureReason));
    }

    [Fact]
    public async Task Without_SESSIONS_REDIS_each_instance_keeps_its_own_revocations_in_memory()
    {
        await using var a = await StartAsync();
        await using var b = await StartAsync();
        var created = await a.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId }, Key);

        Assert.True((await a.Client.RevokeAsync(new RevokeSessionRequest { SessionId = created.SessionId }, Key)).Revoked);

        Assert.NotNull(await ValidationFailureAsync(a, created.Token));
        Assert.True((await b.Client.ValidateAsync(new ValidateTokenRequest { Token = created.Token })).Valid);
    }

    [Fact]
    public async Task Store_options_come_from_Sessions__Store__variables_in_the_environment()
    {
        await using var server = SampleServerProcess.Start(new Dictionary<string, string>
        {
            ["PORT"] = "0",
            ["HTTP_PORT"] = "0",
            ["SESSIONS_REDIS"] = redis.Configuration,
            ["Sessions__Redis__KeyPrefix"] = SharedRedis.NewPrefix(),
            ["Sessions__Store__RefreshTokenLifetime"] = "2.00:00:00",
            ["Sessions__Store__AbsoluteLifetime"] = "3.00:00:00",
        });
        using var channel = GrpcChannel.ForAddress(await server.WaitUntilListeningAsync());
        var client = new Protocol.Sessions.SessionsClient(channel);

        var created = await client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId, WithRefreshToken = true });

        Assert.Equal(TimeSpan.FromDays(2).TotalSeconds, created.RefreshExpiresAt - created.IssuedAt);
        Assert.Contains("Refresh tokens and revocations are kept in Redis " + redis.Configuration, server.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0, await server.StopAsync());
    }

    [Fact]
    public async Task An_unreachable_SESSIONS_REDIS_stops_start_up_with_one_line_naming_it_and_never_its_password()
    {
        const string password = "sample-redis-password-never-shown-0123";
        var port = FreePort();

        var (exitCode, stdout, stderr) = await SampleServerProcess.RunToExitAsync(new Dictionary<string, string>
        {
            ["PORT"] = "0",
            ["HTTP_PORT"] = "0",
            ["SESSIONS_REDIS"] = $"password={password},127.0.0.1:{port},connectTimeout=1000",
        });

        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(exitCode == 1, $"exit code {exitCode}\n{stdout}\n{stderr}");
        Assert.StartsWith($"Sessions.SampleServer cannot start: SESSIONS_REDIS names Redis 127.0.0.1:{port}, which cannot be reached", line, StringComparison.Ordinal);
        Assert.DoesNotContain(password, stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
        // Not also the store's line of an instance that goes on and retries in the background.
        Assert.DoesNotContain("retrying in the background", stdout + stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(",password=sample-redis-wrong-password-0123")]
    [InlineData("")]
    public async Task A_SESSIONS_REDIS_whose_password_Redis_refuses_stops_start_up_with_one_line_saying_so_and_never_the_password(string password)
    {
        // Before, the line was that of an unreachable Redis ("cannot be reached or read: start Redis there"), though
        // Redis answered and refused the login (WRONGPASS, or NOAUTH without a password).
        await using var own = await RedisProcess.StartAsync(password: "sample-redis-right-password-0123");

        var (exitCode, stdout, stderr) = await SampleServerProcess.RunToExitAsync(new Dictionary<string, string>
        {
            ["PORT"] = "0",
            ["HTTP_PORT"] = "0",
            ["SESSIONS_REDIS"] = $"127.0.0.1:{own.Port},connectTimeout=2000{password}",
        });

        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(exitCode == 1, $"exit code {exitCode}\n{stdout}\n{stderr}");
        Assert.StartsWith($"Sessions.SampleServer cannot start: SESSIONS_REDIS names Redis 127.0.0.1:{own.Port}, which refused its password", line, StringComparison.Ordinal);
        Assert.Contains("password=", line, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot be reached", line, StringComparison.Ordinal);
        Assert.DoesNotContain("password-0123", stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("defaultDatabase=99")]
    public async Task A_SESSIONS_REDIS_the_reachable_Redis_refuses_stops_start_up_with_one_line_naming_it(string option)
    {
        // Before, the line was StackExchange.Redis's own words with its type ("The database does not exist on the
        // server: 99 (RedisCommandException)"), naming neither SESSIONS_REDIS nor what to change.
        const string password = "sample-redis-password-never-shown-0123";
        var (exitCode, stdout, stderr) = await SampleServerProcess.RunToExitAsync(new Dictionary<string, string>
        {
            ["PORT"] = "0",
            ["HTTP_PORT"] = "0",
            ["SESSIONS_REDIS"] = $"{redis.Configuration},{option},user=default,password={password}",
        });

        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(exitCode == 1, $"exit code {exitCode}\n{stdout}\n{stderr}");
        Assert.StartsWith($"Sessions.SampleServer cannot start: SESSIONS_REDIS names Redis {redis.Configuration}, which refuses it:", line, StringComparison.Ordinal);
        Assert.Contains("The database does not exist on the server: 99", line, StringComparison.Ordinal);
        Assert.DoesNotContain("(RedisCommandException)", line, StringComparison.Ordinal);
        Assert.DoesNotContain(password, stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthz_and_the_gRPC_health_service_follow_Redis_from_healthy_to_degraded_to_unhealthy_and_back()
    {
        await using var own = await RedisProcess.StartAsync();
        await using var server = await StartAsync(
            "--SESSIONS_REDIS=" + own.Configuration,
            "--Sessions:Redis:KeyPrefix=" + SharedRedis.NewPrefix(),
            "--Sessions:Redis:ReplicaAcknowledgements=0",    // one primary without replica is healthy then
            "--Sessions:Redis:StalenessTolerance=00:00:06");
        using var http = new HttpClient { BaseAddress = new Uri(server.Addresses[1]) };
        var health = new Health.HealthClient(server.Channel);

        async Task<(string Healthz, HealthCheckResponse.Types.ServingStatus Grpc)> StatusAsync()
        {
            using var response = await http.GetAsync("/healthz");
            return (await response.Content.ReadAsStringAsync(), (await health.CheckAsync(new HealthCheckRequest())).Status);
        }

        async Task<(string Healthz, HealthCheckResponse.Types.ServingStatus Grpc)> UntilAsync(string healthz, TimeSpan deadline, string what)
        {
            var until = DateTime.UtcNow + deadline;
            while (true)
            {
                var status = await StatusAsync();
                if (status.Healthz == healthz)
                {
                    return status;
                }

                Assert.True(DateTime.UtcNow < until, $"/healthz still answers {status.Healthz} after {deadline.TotalSeconds} s, not {healthz} ({what})");
                await Task.Delay(20);
            }
        }

        var serving = HealthCheckResponse.Types.ServingStatus.Serving;
        Assert.Equal(("Healthy", serving), await StatusAsync());

        await own.KillAsync();
        // Within the tolerance the instance still serves correctly (known revocations in force): degraded, still serving,
        // so that a Redis blip does not take every instance out of rotation at once.
        Assert.Equal(("Degraded", serving), await UntilAsync("Degraded", TimeSpan.FromSeconds(5), "Redis has stopped answering"));
        Assert.Equal(("Unhealthy", HealthCheckResponse.Types.ServingStatus.NotServing), await UntilAsync("Unhealthy", TimeSpan.FromSeconds(20), "the revocations read are staler than the tolerance"));

        await own.RestartAsync();
        Assert.Equal(("Healthy", serving), await UntilAsync("Healthy", TimeSpan.FromSeconds(30), "Redis is back"));
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
