using System.Text;
using Sessions.Jwt.Internal;
using Sessions.Jwt.Internal.Reading;
using Sessions.Jwt.Internal.Settings;

namespace Sessions.Jwt.Tests;

/// <summary>The fast reader for our own payloads must agree with the general scanner on every payload it takes.</summary>
public class CanonicalPayloadReaderTests
{
    private static readonly SessionTokenSettings s_settings = SessionTokenSettings.Create(TestTokens.Options(), new OptionsSessionKeySource(TestTokens.Options()).GetKeys());

    private static string Canonical(string subject = TestTokens.Subject, string jti = TestTokens.SessionId, string iat = "1795867200", string nbf = "1795867200", string exp = "1795953600") =>
        $$"""{"iss":"session-server","aud":"user","sub":"{{subject}}","jti":"{{jti}}","iat":{{iat}},"nbf":{{nbf}},"exp":{{exp}}}""";

    private static readonly string[] s_payloads =
    [
        Canonical(),
        Canonical(subject: "ユーザー"),
        Canonical(subject: "a b"),
        Canonical(iat: "0", nbf: "0", exp: "1"),
        Canonical(iat: "-5", nbf: "-5", exp: "10"),
        Canonical(nbf: "1795953601"),
        Canonical(exp: "253402300799"),
        Canonical(exp: "253402300800"),
        Canonical(exp: "0123"),
        Canonical(exp: "1e3"),
        Canonical(exp: "1.5"),
        Canonical(jti: "3F2504E0-4F89-11D3-9A0C-0305E82C3301"),
        Canonical(jti: "not-a-uuid-but-thirty-six-characters"),
        Canonical(subject: ""),
        Canonical(subject: "a\\\"b"),
        Canonical(subject: "tab\there"),
        Canonical() + " ",
        Canonical().Replace("}", ",\"x\":1}", StringComparison.Ordinal),
        Canonical().Replace("}", ",}", StringComparison.Ordinal),
        Canonical().Replace("}", ", }", StringComparison.Ordinal),
        Canonical().Replace("}", ",\"x\":1,}", StringComparison.Ordinal),
        Canonical().Replace("}", ",\"x\":1,\"x\":2}", StringComparison.Ordinal),
        Canonical().Replace("}", ",\"exp\":1}", StringComparison.Ordinal),
        Canonical().Replace("}", ",\"\\u0065xp\":1}", StringComparison.Ordinal),
        Canonical().Replace("}", ",\"roles\":[\"a\",\"b\"],\"t\":{\"n\":[1,{}]},\"b\":true}", StringComparison.Ordinal),
        Canonical().Replace("}", ",\"bad\":\"\\ud800\"}", StringComparison.Ordinal),
        Canonical().Replace("}", ",\"x\":1} ", StringComparison.Ordinal),
        Canonical().Replace("}", ",\"x\":1}{}", StringComparison.Ordinal),
        Canonical().Replace("}", " ,\"x\":1}", StringComparison.Ordinal),
        Canonical().Replace("\"iss\":", "\"iss\": ", StringComparison.Ordinal),
        Canonical().Replace("session-server", "other", StringComparison.Ordinal),
        Canonical().Replace(",\"nbf\":1795867200", string.Empty, StringComparison.Ordinal),
        Canonical().Replace("\"exp\":1795953600", "\"exp\":1795953600,\"exp\":1", StringComparison.Ordinal),
    ];

    public static TheoryData<int> Payloads() => new(Enumerable.Range(0, s_payloads.Length));

    [Theory]
    [MemberData(nameof(Payloads))]
    public void Agrees_with_the_general_scanner(int index)
    {
        var payload = s_payloads[index];
        var bytes = Encoding.UTF8.GetBytes(payload);
        SessionFailureReason scanned;
        ClaimsFound general;
        try
        {
            scanned = ClaimsScanner.Scan(bytes, s_settings, 256, out general);
        }
        catch (Exception exception) when (exception is System.Text.Json.JsonException or InvalidOperationException)
        {
            // The validator reports this as Malformed.
            (scanned, general) = (SessionFailureReason.Malformed, default);
        }

        SessionFailureReason fastReason;
        ClaimsFound fast;
        bool taken;
        try
        {
            taken = CanonicalPayloadReader.TryRead(bytes.ToArray(), s_settings, 256, out fast, out fastReason);
        }
        catch (Exception exception) when (exception is System.Text.Json.JsonException or InvalidOperationException)
        {
            (taken, fast, fastReason) = (true, default, SessionFailureReason.Malformed);
        }

        if (taken)
        {
            // Both must refuse alike (reasons may differ in rank), or both accept with the same claims.
            Assert.True((scanned == SessionFailureReason.None) == (fastReason == SessionFailureReason.None), $"{payload}: the scanner says {scanned}, the fast reader {fastReason}");
        }

        if (taken && fastReason == SessionFailureReason.None)
        {
            Assert.Equal(general.IssuedAt, fast.IssuedAt);
            Assert.Equal(general.NotBefore, fast.NotBefore);
            Assert.Equal(general.ExpiresAt, fast.ExpiresAt);
            Assert.Equal(general.SessionIdIsGuid, fast.SessionIdIsGuid);
            Assert.Equal(IdOf(general, bytes), IdOf(fast, bytes));
            Assert.Equal(general.SubjectStart, fast.SubjectStart);
            Assert.Equal(general.SubjectLength, fast.SubjectLength);
            Assert.True(fast.IssuerMatches && general.IssuerMatches && fast.AudienceMatches && general.AudienceMatches);
            Assert.Equal(general.CustomClaims, fast.CustomClaims);
        }
    }

    private static string IdOf(ClaimsFound found, byte[] payload) =>
        found.SessionIdIsGuid ? found.SessionGuid.ToString() : found.SessionId ?? Encoding.UTF8.GetString(payload, found.SessionIdStart, found.SessionIdLength);

    [Fact]
    public void Takes_every_payload_our_issuer_writes_without_custom_claims()
    {
        using var issuer = new JwtSessionIssuer(TestTokens.Options());
        // Subjects the writer has to escape (non-ASCII, quotes) are left to the general scanner.
        foreach (var subject in new[] { TestTokens.Subject, "someone", "a b c" })
        {
            var token = issuer.Issue(subject).Token;
            var payload = System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[1]);
            Assert.True(CanonicalPayloadReader.TryRead(payload, s_settings, 256, out _, out var reason));
            Assert.Equal(SessionFailureReason.None, reason);
        }
    }
}
