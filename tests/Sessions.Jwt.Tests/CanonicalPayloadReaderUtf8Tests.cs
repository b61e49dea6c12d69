using System.Text;
using Sessions.Jwt.Internal;
using Sessions.Jwt.Internal.Reading;
using Sessions.Jwt.Internal.Settings;

namespace Sessions.Jwt.Tests;

public class CanonicalPayloadReaderUtf8Tests
{
    [Fact]
    public void A_subject_that_is_not_utf8_is_left_to_the_scanner_and_refused()
    {
        var payload = Encoding.UTF8.GetBytes("""{"iss":"session-server","aud":"user","sub":"ab","jti":"0b6e2c1e-8f3a-4c5d-9e7f-1a2b3c4d5e6f","iat":1,"nbf":1,"exp":2}""");
        var at = Array.IndexOf(payload, (byte)'a', 40);
        payload[at] = 0xC3;
        payload[at + 1] = 0x28;
        var settings = SessionTokenSettings.Create(TestTokens.Options(), new OptionsSessionKeySource(TestTokens.Options()).GetKeys());

        Assert.False(CanonicalPayloadReader.TryRead(payload, settings, 256, out _, out _));

        var token = TestTokens.SignRaw(Encoding.UTF8.GetBytes(TestTokens.PlainHeader), payload, Encoding.UTF8.GetBytes(TestTokens.Secret), System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var validator = new JwtSessionValidator(TestTokens.Options(), new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1)));
        Assert.Equal(SessionFailureReason.Malformed, validator.Validate(token).FailureReason);
    }
}
