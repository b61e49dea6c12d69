using Sessions.Grpc.Tests.Infrastructure;
using Sessions.SampleServer;

namespace Sessions.Grpc.Tests.SampleServer;

/// <summary>
/// A secret set beside an asymmetric <c>JWT_ALGORITHM</c>: tokens it signed stay valid (a switch from HS256 keeps the
/// sessions it issued), and whoever holds the secret can still make sessions the server accepts, which a switch to a
/// key only the server holds usually means to end. The server says so when it starts.
/// </summary>
public sealed class SampleSigningSettingsTests
{
    private const string Secret = "sample-secret-of-the-hs256-days-0123456789";

    private static Task<(LoopbackServer Server, LogCollector Logs)> StartAsync(params string[] settings) => SampleHost.StartAsync(settings);

    [Theory]
    [InlineData("--JWT_SECRET=" + Secret, "JWT_SECRET")]
    [InlineData("--Sessions:Secret=" + Secret, "Sessions:Secret")]
    public async Task A_secret_beside_ES256_is_warned_of_at_start_and_still_validates_its_tokens(string secretSetting, string named)
    {
        var (server, logs) = await StartAsync("--JWT_ALGORITHM=ES256", secretSetting);
        await using var _ = server;
        var now = DateTimeOffset.UtcNow;
        var signedWithTheSecret = TestTokens.Sign(TestTokens.Header(), TestTokens.Claims(now, TimeSpan.FromHours(1)), Secret);

        var warning = Assert.Single(logs.Lines, line => line.EventId.Name == "SecretBesideAsymmetricKey");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.StartsWith($"{named} is set while sessions are signed with JWT_ALGORITHM ES256: tokens signed with the secret", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, string.Join('\n', logs.Lines.Select(line => line.Message)), StringComparison.Ordinal);
        Assert.True((await server.Client.ValidateAsync(new ValidateTokenRequest { Token = signedWithTheSecret })).Valid);
        var created = await server.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });
        Assert.Equal("ES256", TestTokens.ReadHeader(created.Token).GetProperty("alg").GetString());
    }

    [Theory]
    [InlineData("--JWT_ALGORITHM=ES256")]
    [InlineData("--JWT_SECRET=" + Secret)]
    public async Task Without_both_there_is_no_such_warning(string setting)
    {
        var (server, logs) = await StartAsync(setting);
        await using var _ = server;

        Assert.DoesNotContain(logs.Lines, line => line.Message.Contains("is set while sessions are signed", StringComparison.Ordinal));
    }
}
