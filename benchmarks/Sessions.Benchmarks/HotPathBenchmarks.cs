using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Sessions.Jwt.Internal.Signing;

namespace Sessions.Benchmarks;

/// <summary>
/// The hot path of a session server: signing a new session token and verifying one, for our implementation and for
/// the usual .NET JWT libraries, each set up once as a careful user would. Every category has a keyed-HMAC "floor"
/// row as its baseline: the cost of the HS256 signature alone over the same bytes through .NET's keyed HMAC object.
/// The "HMAC midstates" rows are the MAC alone as Sessions.Jwt computes it on Linux (<c>HmacSha256Key</c> over
/// OpenSSL's SHA-256), which costs less than that object: ratios below 1 are possible, and read against them.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public partial class HotPathBenchmarks
{
    public const string Sign = "Sign";
    public const string Verify = "Verify";
    public const string SignClaims = "SignClaims";
    public const string VerifyClaims = "VerifyClaims";

    /// <summary>The subject every row signs: a UUID, like the service's user ids.</summary>
    internal static readonly string Subject = "6f1c2b9e-2f4d-4e8a-9a57-0b3c1d2e4f60";

    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private IncrementalHash _hmac = null!;
    private HmacSha256Key _midstates = null!;

    // A plain session token (319 characters) and one carrying five custom claims, as every verify row sees them.
    private string _token = null!;
    private string _badSignatureToken = null!;
    private string _malformedToken = null!;
    private string _claimsToken = null!;

    private byte[] _signingInput = null!;
    private byte[] _signature = null!;
    private byte[] _claimsSigningInput = null!;
    private byte[] _claimsSignature = null!;

    [GlobalSetup]
    public void Setup()
    {
        _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, ReferenceTokens.Key);
        _midstates = new HmacSha256Key(ReferenceTokens.Key);

        var now = DateTimeOffset.UtcNow;
        _token = CreateOursOrReference(now, withCustomClaims: false);
        _claimsToken = CreateOursOrReference(now, withCustomClaims: true);
        _badSignatureToken = ReferenceTokens.WithBadSignature(_token);
        _malformedToken = ReferenceTokens.Malformed(_token);

        _signingInput = ReferenceTokens.SigningInput(_token);
        _signature = ReferenceTokens.Signature(_token);
        _claimsSigningInput = ReferenceTokens.SigningInput(_claimsToken);
        _claimsSignature = ReferenceTokens.Signature(_claimsToken);

        ReferenceTokens.Require(Verify_Floor(), "the HMAC floor verifies the reference token");
        ReferenceTokens.Require(Verify_HashData(), "one-shot HMAC verifies the reference token");
        ReferenceTokens.Require(VerifyClaims_Floor(), "the HMAC floor verifies the claims token");
        ReferenceTokens.Require(Verify_Midstates(), "the midstate HMAC verifies the reference token");
        Console.WriteLine($"// HmacSha256Key computes from midstates over OpenSSL's SHA-256: {_midstates.UsesMidstates}");

        SetupPeers();
        SetupOurs();
        Console.WriteLine($"// Token: {_token.Length} chars, signing input {_signingInput.Length} bytes; claims token: {_claimsToken.Length} chars");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _hmac.Dispose();
        _midstates.Dispose();
        _issuer.Dispose();
        _validator.Dispose();
    }

    // ---- Floors: the HS256 signature alone, with the key set once. ----

    [Benchmark(Baseline = true, Description = "HMAC floor (IncrementalHash)")]
    [BenchmarkCategory(Sign)]
    public int Sign_Floor() => Mac(_signingInput);

    [Benchmark(Description = "HMACSHA256.HashData (one-shot)")]
    [BenchmarkCategory(Sign)]
    public int Sign_HashData()
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var written = HMACSHA256.HashData(ReferenceTokens.Key, _signingInput, mac);
        return written + mac[0];
    }

    [Benchmark(Description = "HMAC midstates (HmacSha256Key)")]
    [BenchmarkCategory(Sign)]
    public int Sign_Midstates()
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        _midstates.Compute(_signingInput, mac);
        return mac[0];
    }

    [Benchmark(Baseline = true, Description = "HMAC floor (IncrementalHash)")]
    [BenchmarkCategory(Verify)]
    public bool Verify_Floor() => MacMatches(_signingInput, _signature);

    [Benchmark(Description = "HMAC midstates (HmacSha256Key)")]
    [BenchmarkCategory(Verify)]
    public bool Verify_Midstates() => _midstates.Verify(_signingInput, _signature);

    [Benchmark(Description = "HMACSHA256.HashData (one-shot)")]
    [BenchmarkCategory(Verify)]
    public bool Verify_HashData()
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(ReferenceTokens.Key, _signingInput, mac);
        return CryptographicOperations.FixedTimeEquals(mac, _signature);
    }

    [Benchmark(Baseline = true, Description = "HMAC floor (IncrementalHash)")]
    [BenchmarkCategory(SignClaims)]
    public int SignClaims_Floor() => Mac(_claimsSigningInput);

    [Benchmark(Baseline = true, Description = "HMAC floor (IncrementalHash)")]
    [BenchmarkCategory(VerifyClaims)]
    public bool VerifyClaims_Floor() => MacMatches(_claimsSigningInput, _claimsSignature);

    private int Mac(byte[] signingInput)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        _hmac.AppendData(signingInput);
        _hmac.TryGetHashAndReset(mac, out var written);
        return written + mac[0];
    }

    private bool MacMatches(byte[] signingInput, byte[] expected)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        _hmac.AppendData(signingInput);
        _hmac.TryGetHashAndReset(mac, out _);
        return CryptographicOperations.FixedTimeEquals(mac, expected);
    }
}
