using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Sessions.Grpc.Tests.Infrastructure;
using Sessions.Jwt;

namespace Sessions.Grpc.Tests.Abuse;

/// <summary>
/// Secrets never leak: with every logger at Trace level (Kestrel, ASP.NET Core hosting and routing, gRPC, ours), no
/// token, no signature, no signing input and no secret — as text, base64, base64url or hex — appears in any log
/// line, log value, scope or exception, nor in any status message, header or trailer the server sends back.
/// </summary>
public sealed class SecretLeakTests
{
    private const string ShortSecret = "short-but-recognisable-secret";

    [Fact]
    public async Task No_token_signature_or_secret_reaches_logs_statuses_or_trailers_through_good_and_hostile_calls()
    {
        var logs = new CapturedLogs();
        var host = await SessionsHost.StartAsync(
            builder =>
            {
                AbuseServer.CaptureEverything(builder.Services, logs);
                builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret);
            },
            app => app.MapSessions());
        var tokens = new List<string>();
        var replies = new List<string>();

        await using (host)
        {
            var client = host.Client;
            var now = host.Time.GetUtcNow();
            for (var i = 0; i < 3; i++)
            {
                var created = await Record(client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId, Claims = { ["tenant"] = new ClaimValue { StringValue = "acme" } } }), replies);
                tokens.Add(created!.Token);
                await Record(client.ValidateAsync(new ValidateTokenRequest { Token = created.Token }), replies);
                await Record(client.ValidateAsync(new ValidateTokenRequest { Token = created.Token[..^1] + (created.Token[^1] == 'A' ? 'B' : 'A') }), replies);
            }

            foreach (var hostile in HostileTokens.All)
            {
                var token = hostile.Make(now);
                tokens.Add(token);
                await Record(client.ValidateAsync(new ValidateTokenRequest { Token = token }), replies);
            }

            foreach (var hostile in HostileCreates.All)
            {
                var reply = await Record(client.CreateAsync(hostile.Make()), replies);
                if (reply is not null)
                {
                    tokens.Add(reply.Token);
                }
            }

            host.Time.Advance(TimeSpan.FromDays(2));
            await Record(client.ValidateAsync(new ValidateTokenRequest { Token = tokens[0] }), replies);
        }

        Assert.NotEmpty(logs.Entries);
        Assert.Contains(logs.Entries, e => e.StartsWith("Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal) && e.Contains(" Trace ", StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.StartsWith("Grpc.AspNetCore.Server", StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.StartsWith(typeof(SessionsService).FullName!, StringComparison.Ordinal));
        AssertNoSecretIn(logs.Entries, SecretForms(SessionsHost.Secret).Concat(tokens.SelectMany(TokenForms)));
        AssertNoSecretIn(replies, SecretForms(SessionsHost.Secret));
    }

    public static TheoryData<string, string> BadSecrets => new()
    {
        { "too short", ShortSecret },
        { "too short, base64", "base64:" + Convert.ToBase64String(Encoding.UTF8.GetBytes(ShortSecret)) },
        { "not base64", "base64:" + ShortSecret + "!!!" },
    };

    [Theory]
    [MemberData(nameof(BadSecrets))]
    public async Task A_bad_secret_stops_the_host_with_a_message_naming_the_setting_and_never_the_value(string kind, string secret)
    {
        _ = kind;
        var logs = new CapturedLogs();
        var builder = SessionsHost.CreateBuilder(new FakeTimeProvider(SessionsHost.Start), new LogCollector());
        AbuseServer.CaptureEverything(builder.Services, logs);
        builder.Services.AddSessions(o => o.Secret = secret);
        await using var app = builder.Build();
        app.MapSessions();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Sessions:Secret", ex.Message, StringComparison.Ordinal);
        AssertNoSecretIn([ex.ToString(), .. ex.Failures, .. logs.Entries], SecretForms(secret).Append(ShortSecret));
    }

    [Fact]
    public async Task A_bad_key_ring_secret_names_the_setting_and_never_the_value()
    {
        var logs = new CapturedLogs();
        var builder = SessionsHost.CreateBuilder(new FakeTimeProvider(SessionsHost.Start), new LogCollector());
        AbuseServer.CaptureEverything(builder.Services, logs);
        builder.Services.AddSessions(o => o.Keys.Add(new JwtSessionKeyOptions { Id = "k1", Secret = ShortSecret }));
        await using var app = builder.Build();
        app.MapSessions();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Sessions:Keys:0:Secret", ex.Message, StringComparison.Ordinal);
        AssertNoSecretIn([ex.ToString(), .. logs.Entries], SecretForms(ShortSecret));
    }

    [Fact]
    public void The_sample_server_refuses_a_short_JWT_SECRET_without_echoing_it()
    {
        var logs = new CapturedLogs();

        // The sample checks its settings while it builds, so that Main can report a bad one as a single line.
        var ex = Assert.Throws<InvalidOperationException>(() => global::Sessions.SampleServer.Program.Build(
            ["--JWT_SECRET=" + ShortSecret, "--PORT=0", "--LISTEN_ADDRESS=127.0.0.1"],
            services => AbuseServer.CaptureEverything(services, logs)));

        Assert.StartsWith("JWT_SECRET is 29 bytes", ex.Message, StringComparison.Ordinal);
        AssertNoSecretIn([ex.ToString(), .. logs.Entries], SecretForms(ShortSecret));
    }

    [Fact]
    public void The_issuer_refusing_claims_names_the_claim_and_never_a_key()
    {
        using var issuer = new JwtSessionIssuer(new JwtSessionOptions { Secret = SessionsHost.Secret });

        var ex = Assert.Throws<ArgumentException>(() => issuer.Issue(TestTokens.UserId, new SessionClaims { ["exp"] = 1L }));

        Assert.Contains("'exp'", ex.Message, StringComparison.Ordinal);
        AssertNoSecretIn([ex.ToString()], SecretForms(SessionsHost.Secret));
    }

    /// <summary>The secret as text and in every encoding a careless log line might use.</summary>
    private static IEnumerable<string> SecretForms(string secret)
    {
        var bytes = Encoding.UTF8.GetBytes(secret);
        yield return secret;
        yield return Convert.ToBase64String(bytes);
        yield return Convert.ToBase64String(bytes).TrimEnd('=');
        yield return System.Buffers.Text.Base64Url.EncodeToString(bytes);
        yield return Convert.ToHexString(bytes);
        yield return Convert.ToHexStringLower(bytes);
        if (secret.StartsWith(JwtSessionOptions.Base64SecretPrefix, StringComparison.Ordinal))
        {
            yield return secret[JwtSessionOptions.Base64SecretPrefix.Length..];
        }
    }

    /// <summary>The whole token, its signing input and its signature, when long enough to be telling.</summary>
    private static IEnumerable<string> TokenForms(string token)
    {
        var lastDot = token.LastIndexOf('.');
        return new[] { token, lastDot > 0 ? token[..lastDot] : "", lastDot >= 0 ? token[(lastDot + 1)..] : "" }.Where(s => s.Length >= 16);
    }

    private static void AssertNoSecretIn(IEnumerable<string> texts, IEnumerable<string> secrets)
    {
        var forbidden = secrets.Where(s => s.Length >= 8).Distinct().ToList();
        foreach (var text in texts)
        {
            foreach (var secret in forbidden)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"A secret or token appears in: {text[..Math.Min(200, text.Length)]}");
            }
        }
    }

    /// <summary>Awaits the call; keeps the status message, response headers and trailers the client saw.</summary>
    private static async Task<TokenReply?> Record(AsyncUnaryCall<TokenReply> call, List<string> seen)
    {
        using (call)
        {
            try
            {
                var reply = await call.ResponseAsync;
                seen.AddRange((await call.ResponseHeadersAsync).Select(e => $"{e.Key}: {e.Value}"));
                seen.AddRange(call.GetTrailers().Select(e => $"{e.Key}: {e.Value}"));
                return reply;
            }
            catch (RpcException ex)
            {
                seen.Add(ex.Status.Detail);
                seen.AddRange(ex.Trailers.Select(e => $"{e.Key}: {e.Value}"));
                return null;
            }
        }
    }
}
