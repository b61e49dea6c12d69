using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests;

public sealed class CreateTests
{
    [Fact]
    public async Task Create_returns_valid_token_with_times_of_a_24_hour_session()
    {
        await using var host = await SessionsHost.StartAsync();

        var reply = await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });

        Assert.True(reply.Valid);
        Assert.Equal(3, reply.Token.Split('.').Length);
        Assert.Equal(SessionsHost.Start.ToUnixTimeSeconds(), reply.IssuedAt);
        Assert.Equal(TimeSpan.FromHours(24).TotalSeconds, reply.ExpiredAt - reply.IssuedAt);
        Assert.Equal(TestTokens.UserId, reply.Subject);
        Assert.True(Guid.TryParseExact(reply.SessionId, "D", out _));
        Assert.Equal(reply.SessionId, TestTokens.Payload(reply.Token).GetProperty("jti").GetString());
        Assert.True(TestTokens.IsSignedWith(reply.Token, SessionsHost.Secret));
    }

    [Theory]
    [InlineData("{3F2504E0-4F89-11D3-9A0C-0305E82C3301}")]
    [InlineData("3F2504E04F8911D39A0C0305E82C3301")]
    [InlineData("3F2504E0-4F89-11D3-9A0C-0305E82C3301")]
    [InlineData("3f2504e0-4f89-11d3-9A0C-0305e82c3301")]
    [InlineData("  3f2504e04f8911d39a0c0305e82c3301  ")]
    [InlineData("(3f2504e0-4f89-11d3-9a0c-0305e82c3301)")]
    public async Task Create_accepts_other_uuid_spellings_and_issues_the_canonical_subject(string userId)
    {
        await using var host = await SessionsHost.StartAsync();

        var reply = await host.Client.CreateAsync(new CreateRequest { UserId = userId });

        Assert.Equal(TestTokens.UserId, reply.Subject);
        Assert.Equal(TestTokens.UserId, TestTokens.Payload(reply.Token).GetProperty("sub").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-uuid")]
    [InlineData("42")]
    [InlineData("3f2504e0-4f89-11d3-9a0c-0305e82c330")]
    [InlineData("3f2504e0-4f89-11d3-9a0c-0305e82c3301 ; drop table users")]
    public async Task Create_rejects_user_id_that_is_not_a_uuid(string userId)
    {
        await using var host = await SessionsHost.StartAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateAsync(new CreateRequest { UserId = userId }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("user_id must be a UUID, e.g. 3f2504e0-4f89-11d3-9a0c-0305e82c3301.", ex.Status.Detail);
    }

    [Fact]
    public async Task Create_rejects_huge_user_id_before_parsing()
    {
        await using var host = await SessionsHost.StartAsync();
        var huge = TestTokens.UserId + new string(' ', 60_000);

        var ex = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateAsync(new CreateRequest { UserId = huge }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains("user_id must be a UUID", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_refuses_a_client_description_without_a_refresh_token_rather_than_dropping_it()
    {
        await using var host = await SessionsHost.StartAsync();

        var refused = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateAsync(
            new CreateRequest { UserId = TestTokens.UserId, ClientDescription = "Alice's phone" }).ResponseAsync);
        var created = await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId, WithRefreshToken = true, ClientDescription = "Alice's phone" });
        var listed = await host.Client.ListSessionsAsync(new ListSessionsRequest { UserId = TestTokens.UserId });

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal(
            "client_description is set but with_refresh_token is not: the description is kept with a refresh chain (ListSessions shows it), and a session without one keeps nothing. Set with_refresh_token to true, or leave client_description out.",
            refused.Status.Detail);
        var line = Assert.Single(host.Logs.Lines, l => l.Category == typeof(SessionsService).FullName && l.Message.Contains("invalid_client_description", StringComparison.Ordinal));
        Assert.Contains("Sessions.Create invalid_client_description session=-", line.Message, StringComparison.Ordinal);
        // With the chain, the description is kept: the one session listed is the one created, described.
        var session = Assert.Single(listed.Sessions);
        Assert.Equal(created.ChainId, session.ChainId);
        Assert.Equal("Alice's phone", session.ClientDescription);
    }

    [Fact]
    public async Task Create_writes_one_log_line_with_session_id_and_no_token()
    {
        await using var host = await SessionsHost.StartAsync();

        var reply = await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });

        var line = Assert.Single(host.Logs.Lines, l => l.Category == typeof(SessionsService).FullName);
        Assert.Equal(1, line.EventId.Id);
        Assert.Contains("Create issued", line.Message, StringComparison.Ordinal);
        Assert.Contains(reply.SessionId, line.Message, StringComparison.Ordinal);
        Assert.Contains(" ms", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Logs.Lines, l => l.Message.Contains(reply.Token, StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs.Lines, l => l.Message.Contains(SessionsHost.Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_Create_logs_its_line_with_session_dash()
    {
        await using var host = await SessionsHost.StartAsync();

        await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateAsync(new CreateRequest { UserId = "not-a-uuid" }).ResponseAsync);

        var line = Assert.Single(host.Logs.Lines, l => l.Category == typeof(SessionsService).FullName);
        Assert.Contains("Sessions.Create invalid_user_id session=- in ", line.Message, StringComparison.Ordinal);
    }
}
