using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests;

/// <summary>
/// G5: no caller can grow the server's state without bound. Revocations of sessions and users the store knows nothing
/// of are capped (RESOURCE_EXHAUSTED naming the setting, a warning in the log); revocations of real sessions are never
/// refused; chains per user and refreshes per chain are capped too. Small caps keep the floods short.
/// </summary>
public sealed class StateBoundsTests
{
    private const string User = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

    private static Task<TestHost> StartAsync(Action<Lifecycle.SessionStoreOptions> configure) =>
        SessionsHost.StartAsync(
            builder => builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret).ConfigureStore(configure),
            app => app.MapSessions());

    [Fact]
    public async Task Revocations_of_unknown_sessions_stop_at_the_cap_and_real_sessions_can_still_be_revoked()
    {
        await using var host = await StartAsync(o => o.MaxRevocations = 100);
        for (var i = 0; i < 100; i++)
        {
            await host.Client.RevokeAsync(new RevokeSessionRequest { SessionId = Guid.NewGuid().ToString() });
        }

        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await host.Client.RevokeAsync(new RevokeSessionRequest { SessionId = Guid.NewGuid().ToString() }));
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains("Sessions:Store:MaxRevocations", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Contains(host.Logs.Lines, line => line.Level == LogLevel.Warning && line.Message.Contains("MaxRevocations", StringComparison.Ordinal));

        // A session with a refresh chain is known to the store: its revocation is accepted beyond the cap, by id and by token.
        var chained = await host.Client.CreateAsync(new CreateRequest { UserId = User, WithRefreshToken = true });
        await host.Client.RevokeAsync(new RevokeSessionRequest { SessionId = chained.SessionId });
        Assert.Equal("revoked", await RefusalOf(host, chained.Token));
        var refresh = await Assert.ThrowsAsync<RpcException>(async () => await host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = chained.RefreshToken }));
        Assert.Equal(StatusCode.InvalidArgument, refresh.StatusCode);

        // A holder revoking their own token is never refused by the cap either.
        var plain = await host.Client.CreateAsync(new CreateRequest { UserId = User });
        await host.Client.RevokeAsync(new RevokeSessionRequest { Token = plain.Token });
        Assert.Equal("revoked", await RefusalOf(host, plain.Token));
    }

    [Fact]
    public async Task RevokeAll_of_users_without_sessions_stops_at_the_cap_and_a_real_user_can_still_be_revoked()
    {
        await using var host = await StartAsync(o => o.MaxRevocations = 50);
        for (var i = 0; i < 50; i++)
        {
            await host.Client.RevokeAllAsync(new RevokeUserSessionsRequest { UserId = Guid.NewGuid().ToString() });
        }

        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await host.Client.RevokeAllAsync(new RevokeUserSessionsRequest { UserId = Guid.NewGuid().ToString() }));
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);

        var chained = await host.Client.CreateAsync(new CreateRequest { UserId = User, WithRefreshToken = true });
        await host.Client.RevokeAllAsync(new RevokeUserSessionsRequest { UserId = User });
        Assert.Equal("revoked", await RefusalOf(host, chained.Token));
    }

    [Fact]
    public async Task A_user_has_at_most_MaxChainsPerSubject_live_chains()
    {
        await using var host = await StartAsync(o => o.MaxChainsPerSubject = 3);
        for (var i = 0; i < 3; i++)
        {
            await host.Client.CreateAsync(new CreateRequest { UserId = User, WithRefreshToken = true });
        }

        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await host.Client.CreateAsync(new CreateRequest { UserId = User, WithRefreshToken = true }));
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains("Sessions:Store:MaxChainsPerSubject", refused.Status.Detail, StringComparison.Ordinal);

        // Revoking one of them makes room for a new sign-in.
        var listed = await host.Client.ListSessionsAsync(new ListSessionsRequest { UserId = User });
        Assert.Equal(3, listed.Sessions.Count);
        await host.Client.RevokeAsync(new RevokeSessionRequest { SessionId = listed.Sessions[0].SessionId });
        Assert.Equal(2, (await host.Client.ListSessionsAsync(new ListSessionsRequest { UserId = User })).Sessions.Count);
        await host.Client.CreateAsync(new CreateRequest { UserId = User, WithRefreshToken = true });

        // Sessions without a refresh token keep no state, and another user is not affected.
        await host.Client.CreateAsync(new CreateRequest { UserId = User });
        await host.Client.CreateAsync(new CreateRequest { UserId = Guid.NewGuid().ToString(), WithRefreshToken = true });
    }

    [Fact]
    public async Task A_user_at_the_cap_whose_devices_went_idle_signs_in_again_and_lists_only_the_live_ones()
    {
        // "At most 3 devices": the user signs in on three, keeps using one and abandons two without logging out.
        await using var host = await StartAsync(o => o.MaxChainsPerSubject = 3);
        var devices = new List<TokenReply>();
        for (var i = 0; i < 3; i++)
        {
            devices.Add(await host.Client.CreateAsync(new CreateRequest { UserId = User, WithRefreshToken = true, ClientDescription = $"device {i}" }));
            host.Time.Advance(TimeSpan.FromSeconds(1));
        }

        host.Time.Advance(TimeSpan.FromDays(7));
        var used = await host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = devices[2].RefreshToken });
        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await host.Client.CreateAsync(new CreateRequest { UserId = User, WithRefreshToken = true }));
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);

        // Once the abandoned devices' refresh tokens have expired (14 days by default), they are not signed in any more:
        // they hold no slot and are not listed; the device in use still is.
        host.Time.Advance(TimeSpan.FromDays(7));
        var expired = await Assert.ThrowsAsync<RpcException>(async () =>
            await host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = devices[0].RefreshToken }));
        Assert.Equal(StatusCode.InvalidArgument, expired.StatusCode);
        Assert.Equal([used.SessionId], (await host.Client.ListSessionsAsync(new ListSessionsRequest { UserId = User })).Sessions.Select(static s => s.SessionId));

        var signedIn = new List<TokenReply>();
        for (var i = 0; i < 2; i++)
        {
            host.Time.Advance(TimeSpan.FromSeconds(1));
            signedIn.Add(await host.Client.CreateAsync(new CreateRequest { UserId = User, WithRefreshToken = true }));
        }

        var listed = (await host.Client.ListSessionsAsync(new ListSessionsRequest { UserId = User })).Sessions;
        Assert.Equal([signedIn[1].SessionId, signedIn[0].SessionId, used.SessionId], listed.Select(static s => s.SessionId));

        // The cap still holds: three live devices.
        refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await host.Client.CreateAsync(new CreateRequest { UserId = User, WithRefreshToken = true }));
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
    }

    [Fact]
    public async Task A_chain_refreshed_far_more_often_than_sessions_expire_is_refused_rather_than_grown()
    {
        await using var host = await StartAsync(o =>
        {
            o.MaxRefreshTokensPerChain = 5;
            o.RefreshReuseGracePeriod = TimeSpan.Zero;
        });
        var reply = await host.Client.CreateAsync(new CreateRequest { UserId = User, WithRefreshToken = true });
        for (var i = 0; i < 4; i++)
        {
            host.Time.Advance(TimeSpan.FromSeconds(1));
            reply = await host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = reply.RefreshToken });
        }

        host.Time.Advance(TimeSpan.FromSeconds(1));
        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = reply.RefreshToken }));
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains("MaxRefreshTokensPerChain", refused.Status.Detail, StringComparison.Ordinal);

        // Once the old sessions have expired, their used tokens are forgotten and the chain goes on, unchanged.
        host.Time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        var next = await host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = reply.RefreshToken });
        Assert.Equal(reply.ChainId, next.ChainId);
    }

    [Fact]
    public async Task A_refresh_token_holder_refused_again_and_again_at_a_cap_writes_one_warning_per_10_seconds_not_one_per_call()
    {
        // Refresh needs no key: whoever holds a refresh token of a chain at MaxRefreshTokensPerChain could write a
        // warning per call, at the rate they call.
        await using var host = await StartAsync(o =>
        {
            o.MaxRefreshTokensPerChain = 3;
            o.RefreshReuseGracePeriod = TimeSpan.Zero;
        });
        var reply = await host.Client.CreateAsync(new CreateRequest { UserId = User, WithRefreshToken = true });
        for (var i = 0; i < 2; i++)
        {
            host.Time.Advance(TimeSpan.FromSeconds(1));
            reply = await host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = reply.RefreshToken });
        }

        for (var i = 0; i < 30; i++)
        {
            var refused = await Assert.ThrowsAsync<RpcException>(async () =>
                await host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = reply.RefreshToken }));
            Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        }

        var warnings = host.Logs.Lines.Where(line => line.Level >= LogLevel.Warning && line.Category.Contains("SessionStore", StringComparison.Ordinal)).ToList();
        var first = Assert.Single(warnings);
        Assert.Equal("StoreLimitReached", first.EventId.Name);
        Assert.Contains("Sessions:Store:MaxRefreshTokensPerChain", first.Message, StringComparison.Ordinal);

        host.Time.Advance(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<RpcException>(async () =>
            await host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = reply.RefreshToken }));

        warnings = [.. host.Logs.Lines.Where(line => line.Level >= LogLevel.Warning && line.Category.Contains("SessionStore", StringComparison.Ordinal))];
        Assert.Equal(2, warnings.Count);
        Assert.Equal("StoreLimitStillReached", warnings[1].EventId.Name);
        Assert.Contains("Sessions:Store:MaxRefreshTokensPerChain", warnings[1].Message, StringComparison.Ordinal);
        Assert.Contains("29 more writes were refused by the store's limits in the 10 s since the last such line", warnings[1].Message, StringComparison.Ordinal);
    }

    private static async Task<string> RefusalOf(TestHost host, string token)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await host.Client.ValidateAsync(new ValidateTokenRequest { Token = token }));
        return ex.Trailers.GetValue(SessionsMetadataKeys.FailureReason)!;
    }
}
