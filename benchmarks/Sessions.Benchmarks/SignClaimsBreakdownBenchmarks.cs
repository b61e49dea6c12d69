using BenchmarkDotNet.Attributes;
using Sessions.Jwt;
using Sessions.Jwt.Internal.Settings;
using Sessions.Jwt.Internal.Signing;
using Sessions.Jwt.Internal.Writing;

namespace Sessions.Benchmarks;

/// <summary>
/// What five custom claims add to signing a session, part by part: building the claim set, writing it as JSON, signing
/// with a set built once, and the MAC over the longer token. The baseline is the plain sign, as in the hot-path table.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project benchmarks/Sessions.Benchmarks -- --filter '*SignClaimsBreakdown*'</c>
/// </remarks>
[MemoryDiagnoser]
public class SignClaimsBreakdownBenchmarks
{
    private JwtSessionIssuer _issuer = null!;
    private SessionTokenSettingsSource _settings = null!;
    private SessionClaims _claims = null!;
    private HmacSha256Key _key = null!;
    private byte[] _plainSigningInput = null!;
    private byte[] _claimsSigningInput = null!;

    [GlobalSetup]
    public void Setup()
    {
        _issuer = new JwtSessionIssuer(HotPathBenchmarks.OurOptions());
        _settings = new SessionTokenSettingsSource(HotPathBenchmarks.OurOptions(), keys: null, keepsSigner: true);
        _claims = HotPathBenchmarks.CustomClaims();
        _key = new HmacSha256Key(ReferenceTokens.Key);
        _plainSigningInput = ReferenceTokens.SigningInput(_issuer.Issue(HotPathBenchmarks.Subject).Token);
        _claimsSigningInput = ReferenceTokens.SigningInput(_issuer.Issue(HotPathBenchmarks.Subject, _claims).Token);
        ReferenceTokens.Require(WriteClaims() > 0, "the claims writer writes the five claims");
        Console.WriteLine($"// Signing input: {_plainSigningInput.Length} bytes plain, {_claimsSigningInput.Length} with the five claims");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _issuer.Dispose();
        _settings.Dispose();
        _key.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Sign, no claims")]
    public string SignPlain() => _issuer.Issue(HotPathBenchmarks.Subject).Token;

    [Benchmark(Description = "Sign, five claims built per call")]
    public string SignClaimsBuilt() => _issuer.Issue(HotPathBenchmarks.Subject, HotPathBenchmarks.CustomClaims()).Token;

    [Benchmark(Description = "Sign, five claims built once")]
    public string SignClaimsPrebuilt() => _issuer.Issue(HotPathBenchmarks.Subject, _claims).Token;

    [Benchmark(Description = "Build the five claims")]
    public int BuildClaims() => HotPathBenchmarks.CustomClaims().Count;

    [Benchmark(Description = "Write the five claims as JSON")]
    public int WriteClaims() => CustomClaimsWriter.Write(_claims, _settings.Current).Length;

    [Benchmark(Description = "MAC, plain token")]
    public int MacPlain()
    {
        Span<byte> mac = stackalloc byte[32];
        _key.Compute(_plainSigningInput, mac);
        return mac[0];
    }

    [Benchmark(Description = "MAC, token with the five claims")]
    public int MacClaims()
    {
        Span<byte> mac = stackalloc byte[32];
        _key.Compute(_claimsSigningInput, mac);
        return mac[0];
    }
}
