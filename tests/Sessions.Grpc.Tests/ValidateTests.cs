using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests;

public sealed class ValidateTests
{
    [Fact]
    public async Task Validate_accepts_created_token_and_echoes_it_with_the_same_times()
    {
        await using var host = await SessionsHost.StartAsync();
        var created = await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });

        var reply = await host.Client.ValidateAsync(new ValidateTokenRequest { Token = created.Token });

        Assert.True(reply.Valid);
        Assert.Equal(created.Token, reply.Token);
        Assert.Equal(created.IssuedAt, reply.IssuedAt);
        Assert.Equal(created.ExpiredAt, reply.ExpiredAt);
        Assert.Equal(TestTokens.UserId, reply.Subject);
        Assert.Equal(created.SessionId, reply.SessionId);
    }

    [Fact]
    public async Task Validate_accepts_hand_built_token_so_that_the_rejection_cases_differ_in_one_thing_only()
    {
        await using var host = await SessionsHost.StartAsync();
        var token = TestTokens.Sign(TestTokens.Header(), TestTokens.Claims(host.Time.GetUtcNow()));

        var reply = await host.Client.ValidateAsync(new ValidateTokenRequest { Token = token });

        Assert.True(reply.Valid);
    }

    public static TheoryData<string, string, string> Rejections => new()
    {
        { "empty", "token is missing", "missing" },
        { "garbage", "token is malformed", "malformed" },
        { "two segments", "token is malformed", "malformed" },
        { "tampered payload", "token signature is invalid", "bad_signature" },
        { "signed with another secret", "token signature is invalid", "bad_signature" },
        { "alg none", "token algorithm is not allowed", "unsupported_algorithm" },
        { "HS512 with the same secret", "token algorithm is not allowed", "unsupported_algorithm" },
        { "not yet valid", "token is not valid yet", "not_yet_valid" },
        { "wrong issuer", "token issuer is not accepted", "wrong_issuer" },
        { "wrong audience", "token audience is not accepted", "wrong_audience" },
        { "100 KB", "token is too large", "too_large" },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public async Task Validate_rejects_bad_token_with_invalid_argument_naming_the_reason(string kind, string message, string reason)
    {
        await using var host = await SessionsHost.StartAsync();
        var token = BadToken(kind, host.Time.GetUtcNow());

        var ex = await AssertRefusedAsync(host, token, StatusCode.InvalidArgument, message, reason);

        Assert.DoesNotContain(SessionsHost.Secret, ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_rejects_expired_token_once_lifetime_and_clock_skew_have_passed()
    {
        await using var host = await SessionsHost.StartAsync();
        var created = await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });

        host.Time.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(29));
        Assert.True((await host.Client.ValidateAsync(new ValidateTokenRequest { Token = created.Token })).Valid);

        host.Time.Advance(TimeSpan.FromSeconds(2));
        await AssertRefusedAsync(host, created.Token, StatusCode.InvalidArgument, "token is expired", "expired");
    }

    [Fact]
    public async Task Validate_writes_one_log_line_with_the_reason_and_never_the_token()
    {
        await using var host = await SessionsHost.StartAsync();
        var token = BadToken("signed with another secret", host.Time.GetUtcNow());

        await AssertRefusedAsync(host, token, StatusCode.InvalidArgument, "token signature is invalid", "bad_signature");

        var line = Assert.Single(host.Logs.Lines, l => l.Category == typeof(SessionsService).FullName);
        Assert.Contains("Validate bad_signature", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Logs.Lines, l => l.Message.Contains(token, StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs.Lines, l => l.Message.Contains(token.Split('.')[2], StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_request_over_a_smaller_limit_the_host_set_is_refused_naming_that_limit()
    {
        await using var host = await SessionsHost.StartAsync(
            builder =>
            {
                builder.Services.Configure<global::Grpc.AspNetCore.Server.GrpcServiceOptions<SessionsService>>(o => o.MaxReceiveMessageSize = 8 * 1024);
                builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret);
            },
            app => app.MapSessions());
        var request = new ValidateTokenRequest { Token = new string('a', 9 * 1024) };

        var ex = await Assert.ThrowsAsync<RpcException>(() => host.Client.ValidateAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal(
            $"the request's gRPC message is {request.CalculateSize()} bytes, more than the limit of 8192 bytes (8 KiB) of sessions.Sessions/Validate: send a message of at most 8192 bytes.",
            ex.Status.Detail);
    }

    [Fact]
    public async Task Request_over_the_size_limit_is_refused_with_resource_exhausted_and_the_server_keeps_serving()
    {
        await using var host = await SessionsHost.StartAsync();
        var tenMegabytes = new string('a', 10 * 1024 * 1024);

        var request = new ValidateTokenRequest { Token = tenMegabytes };

        var ex = await Assert.ThrowsAsync<RpcException>(() => host.Client.ValidateAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal(
            $"the request's gRPC message is {request.CalculateSize()} bytes, more than the limit of {SessionsService.MaxReceiveMessageSize} bytes (128 KiB) of sessions.Sessions/Validate: send a message of at most {SessionsService.MaxReceiveMessageSize} bytes.",
            ex.Status.Detail);
        var reply = await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });
        Assert.True((await host.Client.ValidateAsync(new ValidateTokenRequest { Token = reply.Token })).Valid);
    }

    private static async Task<RpcException> AssertRefusedAsync(TestHost host, string token, StatusCode status, string message, string reason)
    {
        var call = host.Client.ValidateAsync(new ValidateTokenRequest { Token = token });
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(status, ex.StatusCode);
        Assert.Equal(message, ex.Status.Detail);
        Assert.Equal(reason, ex.Trailers.GetValue(SessionsMetadataKeys.FailureReason));
        if (token.Length > 0)
        {
            Assert.DoesNotContain(token, ex.Status.Detail, StringComparison.Ordinal);
        }

        return ex;
    }

    private static string BadToken(string kind, DateTimeOffset now)
    {
        var claims = TestTokens.Claims(now);
        switch (kind)
        {
            case "empty":
                return "";
            case "garbage":
                return "this is not a token";
            case "two segments":
                return string.Join('.', TestTokens.Sign(TestTokens.Header(), claims).Split('.')[..2]);
            case "tampered payload":
                var token = TestTokens.Sign(TestTokens.Header(), claims).Split('.');
                claims["sub"] = "00000000-0000-0000-0000-000000000001";
                return $"{token[0]}.{TestTokens.Encode(claims)}.{token[2]}";
            case "signed with another secret":
                return TestTokens.Sign(TestTokens.Header(), claims, "another-secret-that-is-also-32-bytes-long");
            case "alg none":
                return $"{TestTokens.Encode(TestTokens.Header("none"))}.{TestTokens.Encode(claims)}.";
            case "HS512 with the same secret":
                return TestTokens.Sign(TestTokens.Header("HS512"), claims);
            case "not yet valid":
                claims["nbf"] = (now + TimeSpan.FromHours(1)).ToUnixTimeSeconds();
                return TestTokens.Sign(TestTokens.Header(), claims);
            case "wrong issuer":
                claims["iss"] = "someone-else";
                return TestTokens.Sign(TestTokens.Header(), claims);
            case "wrong audience":
                claims["aud"] = "admin";
                return TestTokens.Sign(TestTokens.Header(), claims);
            case "100 KB":
                // 76,800 padding characters make a 100 KB token: too large for the validator, small enough for the
                // service's request limit, so the validator's reason is what the client sees.
                claims["pad"] = new string('x', 75 * 1024);
                var large = TestTokens.Sign(TestTokens.Header(), claims);
                Assert.InRange(large.Length, 100 * 1024, SessionsService.MaxReceiveMessageSize - 1024);
                return large;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }
}
