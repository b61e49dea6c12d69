using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Sessions.Jwt.Tests;

public class JwtSessionIssuerTests
{
    private static JsonElement Part(string token, int index) =>
        JsonDocument.Parse(Base64Url.DecodeFromChars(token.Split('.')[index])).RootElement;

    [Fact]
    public void Issue_writes_the_original_header_byte_for_byte()
    {
        using var issuer = new JwtSessionIssuer(TestTokens.Options(), TestTokens.Clock());
        var session = issuer.Issue(TestTokens.Subject);

        var header = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(session.Token.Split('.')[0]));
        Assert.Equal("""{"alg":"HS256","typ":"JWT"}""", header);
    }

    [Fact]
    public void Issue_writes_every_registered_claim_with_defaults()
    {
        var clock = TestTokens.Clock();
        using var issuer = new JwtSessionIssuer(TestTokens.Options(), clock);
        var session = issuer.Issue(TestTokens.Subject);
        var claims = Part(session.Token, 1);

        Assert.Equal("session-server", claims.GetProperty("iss").GetString());
        Assert.Equal("user", claims.GetProperty("aud").GetString());
        Assert.Equal(TestTokens.Subject, claims.GetProperty("sub").GetString());
        Assert.Equal(session.SessionId.ToString(), claims.GetProperty("jti").GetString());
        Assert.Equal(TestTokens.NowSeconds, claims.GetProperty("iat").GetInt64());
        Assert.Equal(TestTokens.NowSeconds, claims.GetProperty("nbf").GetInt64());
        Assert.Equal(TestTokens.NowSeconds + (24 * 3600), claims.GetProperty("exp").GetInt64());
        Assert.Equal(TestTokens.Now, session.IssuedAt);
        Assert.Equal(TestTokens.Now.AddHours(24), session.ExpiresAt);
    }

    [Fact]
    public void The_issued_SessionId_and_the_validated_Session_Id_are_one_value_in_two_forms()
    {
        var clock = TestTokens.Clock();
        using var issuer = new JwtSessionIssuer(TestTokens.Options(), clock);
        using var validator = new JwtSessionValidator(TestTokens.Options(), clock);
        var issued = issuer.Issue(TestTokens.Subject);

        var validated = validator.Validate(issued.Token).Session!;

        Assert.Equal(issued.SessionId.ToString(), validated.Id);
        Assert.Equal(validated.Id, Part(issued.Token, 1).GetProperty("jti").GetString());
    }

    [Fact]
    public void Issue_gives_every_session_a_fresh_version_7_uuid_with_the_issue_millisecond()
    {
        var clock = TestTokens.Clock();
        clock.Advance(TimeSpan.FromMilliseconds(437));
        using var issuer = new JwtSessionIssuer(TestTokens.Options(), clock);
        var ids = Enumerable.Range(0, 1000).Select(_ => issuer.Issue(TestTokens.Subject).SessionId).ToHashSet();
        Assert.Equal(1000, ids.Count);
        Assert.All(ids, id =>
        {
            Assert.Equal(7, id.Version);
            var milliseconds = (long)(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(id.ToByteArray(bigEndian: true)) >> 16);
            Assert.Equal(clock.GetUtcNow().ToUnixTimeMilliseconds(), milliseconds);
        });
    }

    [Fact]
    public void Issue_honours_issuer_audience_and_lifetime_options()
    {
        using var issuer = new JwtSessionIssuer(
            TestTokens.Options(o => { o.Issuer = "auth.example"; o.Audience = "api"; o.Lifetime = TimeSpan.FromMinutes(90); }),
            TestTokens.Clock());
        var claims = Part(issuer.Issue("someone").Token, 1);

        Assert.Equal("auth.example", claims.GetProperty("iss").GetString());
        Assert.Equal("api", claims.GetProperty("aud").GetString());
        Assert.Equal(90 * 60, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());
    }

    [Theory]
    [InlineData("user \"quoted\" \\ back")]
    [InlineData("ユーザー")]
    [InlineData("tab\tand\nnewline")]
    public void Issue_escapes_subjects_that_are_not_plain_ascii(string subject)
    {
        using var issuer = new JwtSessionIssuer(TestTokens.Options(), TestTokens.Clock());
        var token = issuer.Issue(subject).Token;

        Assert.Equal(subject, Part(token, 1).GetProperty("sub").GetString());
        using var validator = new JwtSessionValidator(TestTokens.Options(), TestTokens.Clock());
        Assert.Equal(subject, validator.Validate(token).Session!.Subject);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void Issue_refuses_an_empty_subject(string? subject)
    {
        using var issuer = new JwtSessionIssuer(TestTokens.Options(), TestTokens.Clock());
        Assert.ThrowsAny<ArgumentException>(() => issuer.Issue(subject!));
    }

    [Fact]
    public void Issue_refuses_a_subject_longer_than_256_characters()
    {
        using var issuer = new JwtSessionIssuer(TestTokens.Options(), TestTokens.Clock());
        var error = Assert.Throws<ArgumentException>(() => issuer.Issue(new string('u', 257)));
        Assert.Contains("256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Issue_refuses_a_subject_with_a_lone_surrogate()
    {
        using var issuer = new JwtSessionIssuer(TestTokens.Options(), TestTokens.Clock());
        Assert.ThrowsAny<ArgumentException>(() => issuer.Issue("bad\uD800"));
    }

    [Fact]
    public async Task IssueAsync_completes_synchronously_and_honours_cancellation()
    {
        using var issuer = new JwtSessionIssuer(TestTokens.Options(), TestTokens.Clock());
        var pending = issuer.IssueAsync(TestTokens.Subject);
        Assert.True(pending.IsCompletedSuccessfully);
        Assert.NotEmpty((await pending).Token);

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await issuer.IssueAsync(TestTokens.Subject, null, cancelled.Token));
    }

    [Theory]
    [InlineData("short", "9 bytes")]
    [InlineData("base64:c2hvcnQ=", "5 bytes")]
    public void Options_refuse_a_secret_shorter_than_32_bytes_naming_setting_and_minimum(string secret, string size)
    {
        var error = Assert.Throws<OptionsValidationException>(() => new JwtSessionIssuer(new JwtSessionOptions { Secret = secret == "short" ? "too-short" : secret }));
        Assert.Contains("JwtSessionOptions.Secret", error.Message, StringComparison.Ordinal);
        Assert.Contains("at least 32 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains(size, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_refuse_a_missing_secret()
    {
        var error = Assert.Throws<OptionsValidationException>(() => new JwtSessionIssuer(new JwtSessionOptions()));
        Assert.Contains("JwtSessionOptions.Secret is not set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_refuse_invalid_base64_secret_without_echoing_it()
    {
        var error = Assert.Throws<OptionsValidationException>(() => new JwtSessionIssuer(new JwtSessionOptions { Secret = "base64:not*valid*base64*at*all*but*long*enough" }));
        Assert.Contains("not valid base64", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not*valid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_list_every_problem_at_once()
    {
        var error = Assert.Throws<OptionsValidationException>(() => new JwtSessionIssuer(new JwtSessionOptions
        {
            Secret = TestTokens.Secret,
            Issuer = "",
            Lifetime = TimeSpan.Zero,
            ClockSkew = TimeSpan.FromHours(1),
            MaxTokenLength = 10,
        }));
        Assert.Equal(4, error.Failures.Count());
    }

    [Fact]
    public void A_base64_secret_signs_with_the_decoded_bytes()
    {
        var key = new byte[32];
        Random.Shared.NextBytes(key);
        using var issuer = new JwtSessionIssuer(new JwtSessionOptions { Secret = "base64:" + Convert.ToBase64String(key) }, TestTokens.Clock());
        var token = issuer.Issue(TestTokens.Subject).Token;

        var parts = token.Split('.');
        var expected = System.Security.Cryptography.HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        Assert.Equal(Base64Url.EncodeToString(expected), parts[2]);
    }
}
