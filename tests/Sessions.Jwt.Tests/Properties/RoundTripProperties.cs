using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using CsCheck;
using Microsoft.Extensions.Time.Testing;

namespace Sessions.Jwt.Tests.Properties;

/// <summary>
/// Issue/validate round trips over random subjects, custom claims, clocks, lifetimes and skews; and validation of
/// random input, which must never throw nor succeed.
/// </summary>
public sealed class RoundTripProperties
{
    private const long MillisecondsPerDay = 86_400_000;
    private const long TenYears = 3653 * MillisecondsPerDay;

    /// <summary>1970-01-01 to 2200-01-01, in Unix milliseconds.</summary>
    private static readonly Gen<long> IssueInstant = Gen.Long[0, new DateTimeOffset(2200, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds()];

    /// <summary>Code points of every kind a subject may hold: ASCII, control characters, quotes, the BMP and beyond it.</summary>
    private static readonly Gen<int> CodePoint = Gen.Frequency(
        (6, Gen.Int[0x20, 0x7E]),
        (1, Gen.Int[0x00, 0x1F]),
        (1, Gen.OneOf('"', '\\', '\u007F').Select(c => (int)c)),
        (2, Gen.Int[0x80, 0xD7FF]),
        (1, Gen.Int[0xE000, 0xFFFF]),
        (1, Gen.Int[0x10000, 0x10FFFF]));

    private static readonly Gen<SessionClaimValue> ClaimValue = Gen.OneOf(
        Text(0, 32).Select(SessionClaimValue.FromString),
        Gen.Long.Select(SessionClaimValue.FromInteger),
        Gen.Double.Where(double.IsFinite).Select(SessionClaimValue.FromNumber),
        Gen.Bool.Select(SessionClaimValue.FromBoolean),
        Text(0, 16).Array[0, 4].Select(items => SessionClaimValue.FromStrings(items)));

    private static readonly Gen<KeyValuePair<string, SessionClaimValue>[]> CustomClaims =
        Gen.Select(Text(1, 64).Where(name => !SessionClaimNames.IsRegistered(name)), ClaimValue, (name, value) => new KeyValuePair<string, SessionClaimValue>(name, value))
            .Array[0, 6]
            .Select(claims => claims.DistinctBy(claim => claim.Key, StringComparer.Ordinal).ToArray());

    private sealed record Scenario(string Subject, KeyValuePair<string, SessionClaimValue>[] Claims, long IssuedAtMs, int LifetimeSeconds, int SkewSeconds);

    private static readonly Gen<Scenario> Scenarios = Gen.Select(
        Text(1, 256), CustomClaims, IssueInstant, Gen.Int[1, 366 * 86_400], Gen.Int[0, 300],
        (subject, claims, issuedAt, lifetime, skew) => new Scenario(subject, claims, issuedAt, lifetime, skew));

    /// <summary>Valid UTF-16 of <paramref name="min"/> to <paramref name="max"/> chars (a supplementary code point counts two).</summary>
    private static Gen<string> Text(int min, int max) =>
        CodePoint.Array[min, max].Select(codePoints =>
        {
            var text = new StringBuilder(max);
            foreach (var codePoint in codePoints)
            {
                var rune = new Rune(codePoint);
                if (text.Length + rune.Utf16SequenceLength > max)
                {
                    break;
                }

                text.Append(rune.ToString());
            }

            return text.ToString();
        }).Where(text => text.Length >= min);

    private static JwtSessionOptions Options(Scenario scenario) => new()
    {
        Secret = TestTokens.Secret,
        Lifetime = TimeSpan.FromSeconds(scenario.LifetimeSeconds),
        ClockSkew = TimeSpan.FromSeconds(scenario.SkewSeconds),
        MaxCustomClaimsBytes = 16_384,
        MaxTokenLength = 65_536,
    };

    private static (IssuedSession Issued, SessionValidationResult Result) IssueThenValidateAt(Scenario scenario, Func<IssuedSession, long> validateAtMs)
    {
        var options = Options(scenario);
        using var issuer = new JwtSessionIssuer(options, new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(scenario.IssuedAtMs)));
        var claims = scenario.Claims.Length == 0 ? null : new SessionClaims(scenario.Claims);
        var issued = issuer.Issue(scenario.Subject, claims);

        // A clock of its own: a FakeTimeProvider cannot be set back, and validation may come before issuing.
        using var validator = new JwtSessionValidator(options, new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(validateAtMs(issued))));
        return (issued, validator.Validate(issued.Token));
    }

    [Fact]
    public void A_token_validated_inside_its_lifetime_gives_back_the_session_it_was_issued_for()
    {
        Gen.Select(Scenarios, Gen.Double[0, 1]).Sample((scenario, position) =>
        {
            var (issued, result) = IssueThenValidateAt(scenario, issued =>
            {
                // Valid from nbf - skew (nbf = iat) to just before exp + skew.
                var from = issued.IssuedAt.ToUnixTimeMilliseconds() - (scenario.SkewSeconds * 1000L);
                var until = issued.ExpiresAt.ToUnixTimeMilliseconds() + (scenario.SkewSeconds * 1000L) - 1;
                return from + (long)Math.Floor((until - from) * position);
            });

            Assert.True(result.IsValid, $"{result.FailureReason} for {issued.Token}");
            var session = result.Session;
            Assert.Equal(scenario.Subject, session.Subject);
            Assert.Equal(issued.SessionId.ToString(), session.Id);
            Assert.Equal(issued.IssuedAt, session.IssuedAt);
            Assert.Equal(issued.IssuedAt, session.NotBefore);
            Assert.Equal(issued.ExpiresAt, session.ExpiresAt);
            Assert.Equal(issued.IssuedAt.AddSeconds(scenario.LifetimeSeconds), session.ExpiresAt);
            Assert.Equal(scenario.Claims.Length, session.Claims.Count);
            foreach (var (name, expected) in scenario.Claims)
            {
                AssertSameValue(expected, session.Claims[name]);
            }
        }, iter: 1000);
    }

    /// <summary>
    /// JSON has one kind of number: a double that is integral comes back as an integer of the same value; every other
    /// value comes back as it was.
    /// </summary>
    private static void AssertSameValue(SessionClaimValue expected, SessionClaimValue actual)
    {
        if (expected.Kind == SessionClaimKind.Number)
        {
            Assert.Contains(actual.Kind, new[] { SessionClaimKind.Number, SessionClaimKind.Integer });
            Assert.Equal(expected.AsNumber(), actual.AsNumber());
            return;
        }

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void A_token_validated_at_or_after_exp_plus_skew_is_expired()
    {
        Gen.Select(Scenarios, Gen.Long[0, TenYears]).Sample((scenario, late) =>
        {
            var (issued, result) = IssueThenValidateAt(scenario, issued =>
                issued.ExpiresAt.ToUnixTimeMilliseconds() + (scenario.SkewSeconds * 1000L) + late);
            Assert.Equal(SessionFailureReason.Expired, result.FailureReason);
            Assert.Null(result.Session);
        }, iter: 500);
    }

    [Fact]
    public void A_token_validated_before_nbf_minus_skew_is_not_yet_valid()
    {
        Gen.Select(Scenarios, Gen.Long[1, TenYears]).Sample((scenario, early) =>
        {
            var (issued, result) = IssueThenValidateAt(scenario, issued =>
                issued.IssuedAt.ToUnixTimeMilliseconds() - (scenario.SkewSeconds * 1000L) - early);
            Assert.Equal(SessionFailureReason.NotYetValid, result.FailureReason);
            Assert.Null(result.Session);
        }, iter: 500);
    }

    private static void AssertRefusedWithoutThrowing(string token)
    {
        using var validator = new JwtSessionValidator(TestTokens.Options(), TestTokens.Clock());
        var result = validator.Validate(token);
        Assert.False(result.IsValid);
        Assert.NotEqual(SessionFailureReason.None, result.FailureReason);
        Assert.Null(result.Session);
    }

    [Fact]
    public void Any_string_is_refused_without_an_exception()
    {
        Gen.String.Sample(AssertRefusedWithoutThrowing, iter: 2000);
        Gen.String[Gen.Char["ABCabcxyz0189-_.=+/ "], 0, 600].Sample(AssertRefusedWithoutThrowing, iter: 2000);
    }

    [Fact]
    public void Any_three_segments_of_random_bytes_are_refused_without_an_exception()
    {
        var segment = Gen.Byte.Array[0, 400].Select(bytes => Base64Url.EncodeToString(bytes));
        Gen.Select(segment, segment, segment, (header, payload, signature) => header + "." + payload + "." + signature)
            .Sample(AssertRefusedWithoutThrowing, iter: 2000);
    }

    [Fact]
    public void Random_bytes_signed_with_the_right_secret_are_refused_without_an_exception()
    {
        // The signature is right, so the header and claims readers see the random bytes.
        var key = Encoding.UTF8.GetBytes(TestTokens.Secret);
        var header = Gen.OneOf(
            Gen.Byte.Array[0, 64],
            Gen.Const(Encoding.UTF8.GetBytes(TestTokens.PlainHeader)));
        Gen.Select(header, Gen.Byte.Array[0, 600], (h, p) => TestTokens.SignRaw(h, p, key, HashAlgorithmName.SHA256))
            .Sample(AssertRefusedWithoutThrowing, iter: 2000);
    }
}
