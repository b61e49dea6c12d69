using BenchmarkDotNet.Attributes;
using Sessions.Jwt;

namespace Sessions.Benchmarks;

// ==== Our rows: Sessions.Jwt (JwtSessionIssuer, JwtSessionValidator) ====
// Built from fixed options with the same secret, issuer, audience, lifetime and clock skew as the peers. The verify
// rows of every library see the token our issuer wrote (319 characters; 423 with the five custom claims).
public partial class HotPathBenchmarks
{
    private JwtSessionIssuer _issuer = null!;
    private JwtSessionValidator _validator = null!;
    private string _expiredToken = null!;

    /// <summary>Our options, with the peers' secret, issuer, audience, lifetime and clock skew.</summary>
    internal static JwtSessionOptions OurOptions() => new()
    {
        Secret = ReferenceTokens.SecretText,
        Issuer = ReferenceTokens.Issuer,
        Audience = ReferenceTokens.Audience,
        Lifetime = Lifetime,
        ClockSkew = ClockSkew,
    };

    private string CreateOursOrReference(DateTimeOffset now, bool withCustomClaims)
    {
        _issuer ??= new JwtSessionIssuer(OurOptions());
        _validator ??= new JwtSessionValidator(OurOptions());
        var token = Completed(_issuer.IssueAsync(Subject, withCustomClaims ? CustomClaims() : null)).Token;

        // Our token has exactly the shape of the hand-made reference one (same header, claims and order).
        var reference = ReferenceTokens.Create(Subject, Guid.Empty, now, Lifetime, withCustomClaims);
        ReferenceTokens.Require(token.Length == reference.Length, $"our token has the reference shape ({token.Length} vs {reference.Length} characters)");
        return token;
    }

    private void SetupOurs()
    {
        // Signed with the right key, but issued two days ago by a clock that has stopped there.
        using (var pastIssuer = new JwtSessionIssuer(OurOptions(), new FixedTimeProvider(DateTimeOffset.UtcNow.AddDays(-2))))
        {
            _expiredToken = Completed(pastIssuer.IssueAsync(Subject)).Token;
        }

        ReferenceTokens.Require(Verify_Ours() == Subject, "ours accepts the good token and reads its subject");
        ReferenceTokens.Require(VerifyBadSignature_Ours() == SessionFailureReason.BadSignature, "ours refuses a bad signature as BadSignature");
        ReferenceTokens.Require(VerifyMalformed_Ours() == SessionFailureReason.Malformed, "ours refuses two segments as Malformed");
        ReferenceTokens.Require(VerifyExpired_Ours() == SessionFailureReason.Expired, "ours refuses the expired token as Expired");
        ReferenceTokens.Require(VerifyClaims_Ours() == Subject, "ours accepts the claims token");
        ReferenceTokens.Require(VerifyClaimsReadOne_Ours(), "ours reads one custom claim");
        ReferenceTokens.Require(VerifyClaimsReadAll_Ours() == 5, "ours reads the five custom claims");
        ReferenceTokens.Require(JsonWebTokenSubject(_expiredToken) is null, "JsonWebTokenHandler refuses the expired token too");
        RequireShape("ours", Sign_Ours());
        RequireShape("ours with claims", SignClaims_Ours(), "tenant", "roles", "level", "mfa", "device");
    }

    /// <summary>The five custom claims of the SignClaims and VerifyClaims rows.</summary>
    internal static SessionClaims CustomClaims() => new()
    {
        ["tenant"] = "acme",
        ["roles"] = new[] { "admin", "dev" },
        ["level"] = 2L,
        ["mfa"] = true,
        ["device"] = "d-123",
    };

    [Benchmark(Description = "Ours: JwtSessionIssuer")]
    [BenchmarkCategory(Sign)]
    public string Sign_Ours() => Completed(_issuer.IssueAsync(Subject)).Token;

    [Benchmark(Description = "Ours: JwtSessionValidator")]
    [BenchmarkCategory(Verify)]
    public string? Verify_Ours() => Completed(_validator.ValidateAsync(_token)).Session?.Subject;

    [Benchmark(Description = "Ours, bad signature")]
    [BenchmarkCategory(Verify)]
    public SessionFailureReason VerifyBadSignature_Ours() => Completed(_validator.ValidateAsync(_badSignatureToken)).FailureReason;

    [Benchmark(Description = "Ours, malformed (two segments)")]
    [BenchmarkCategory(Verify)]
    public SessionFailureReason VerifyMalformed_Ours() => Completed(_validator.ValidateAsync(_malformedToken)).FailureReason;

    [Benchmark(Description = "Ours, expired")]
    [BenchmarkCategory(Verify)]
    public SessionFailureReason VerifyExpired_Ours() => Completed(_validator.ValidateAsync(_expiredToken)).FailureReason;

    /// <summary>Issues with five custom claims, built per call as a caller would.</summary>
    [Benchmark(Description = "Ours: JwtSessionIssuer")]
    [BenchmarkCategory(SignClaims)]
    public string SignClaims_Ours() => Completed(_issuer.IssueAsync(Subject, CustomClaims())).Token;

    /// <summary>
    /// Verifies the claims token and reads its subject, as the plain Verify row does: the cost of carrying five claims
    /// (they are scanned and checked, not materialized).
    /// </summary>
    [Benchmark(Description = "Ours: JwtSessionValidator")]
    [BenchmarkCategory(VerifyClaims)]
    public string? VerifyClaims_Ours() => Completed(_validator.ValidateAsync(_claimsToken)).Session?.Subject;

    /// <summary>Verifies the claims token and reads one claim by name (<c>Session.TryGetClaim</c>).</summary>
    [Benchmark(Description = "Ours, + read one claim")]
    [BenchmarkCategory(VerifyClaims)]
    public bool VerifyClaimsReadOne_Ours()
    {
        var session = Completed(_validator.ValidateAsync(_claimsToken)).Session;
        return session is not null && session.TryGetClaim("tenant", out var tenant) && tenant.AsString() == "acme";
    }

    /// <summary>Verifies the claims token and reads the subject and all five custom claims; returns how many were read.</summary>
    [Benchmark(Description = "Ours, + read all five claims")]
    [BenchmarkCategory(VerifyClaims)]
    public int VerifyClaimsReadAll_Ours()
    {
        var result = Completed(_validator.ValidateAsync(_claimsToken));
        if (!result.IsValid || result.Session.Subject != Subject)
        {
            return -1;
        }

        var claims = result.Session.Claims;
        var read = 0;
        read += claims.TryGetValue("tenant", out var tenant) && tenant.AsString() == "acme" ? 1 : 0;
        read += claims.TryGetValue("roles", out var roles) && roles.AsStrings().Count == 2 ? 1 : 0;
        read += claims.TryGetValue("level", out var level) && level.AsInteger() == 2 ? 1 : 0;
        read += claims.TryGetValue("mfa", out var mfa) && mfa.AsBoolean() ? 1 : 0;
        read += claims.TryGetValue("device", out var device) && device.AsString() == "d-123" ? 1 : 0;
        return read;
    }

    /// <summary>Our issuer and validator complete synchronously; this takes the result and says so if one did not.</summary>
    private static T Completed<T>(ValueTask<T> task) =>
        task.IsCompletedSuccessfully ? task.Result : throw new InvalidOperationException("Expected a synchronously completed ValueTask.");

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
