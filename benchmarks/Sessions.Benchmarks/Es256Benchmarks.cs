using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Sessions.Jwt;

namespace Sessions.Benchmarks;

/// <summary>
/// ES256 issue and validate against their floor, the platform's ECDSA P-256 sign or verify alone over the same bytes:
/// what the token code (low-S normalising and checking included) adds to the curve work.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class Es256Benchmarks
{
    private const string Subject = "6f1c2b9e-2f4d-4e8a-9a57-0b3c1d2e4f60";

    private ECDsa _ecdsa = null!;
    private JwtSessionIssuer _issuer = null!;
    private JwtSessionValidator _validator = null!;
    private string _token = null!;
    private byte[] _signingInput = null!;
    private byte[] _signature = null!;

    [GlobalSetup]
    public void Setup()
    {
        _ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var options = new JwtSessionOptions();
        options.Keys.Add(new JwtSessionKeyOptions { Id = "ec", Algorithm = "ES256", Pem = _ecdsa.ExportPkcs8PrivateKeyPem() });
        _issuer = new JwtSessionIssuer(options);
        _validator = new JwtSessionValidator(options);
        _token = Completed(_issuer.IssueAsync(Subject)).Token;
        var lastDot = _token.LastIndexOf('.');
        _signingInput = Encoding.ASCII.GetBytes(_token[..lastDot]);
        _signature = Base64Url.DecodeFromChars(_token.AsSpan(lastDot + 1));
        ReferenceTokens.Require(Verify_Floor(), "the platform verifies the issued ES256 token");
        ReferenceTokens.Require(Verify_Ours(), "our validator accepts the issued ES256 token");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _issuer.Dispose();
        _validator.Dispose();
        _ecdsa.Dispose();
    }

    [Benchmark(Baseline = true, Description = "ECDsa.SignData floor (P-256)")]
    [BenchmarkCategory("Sign")]
    public byte[] Sign_Floor() => _ecdsa.SignData(_signingInput, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    [Benchmark(Description = "Ours: JwtSessionIssuer, ES256")]
    [BenchmarkCategory("Sign")]
    public string Sign_Ours() => Completed(_issuer.IssueAsync(Subject)).Token;

    [Benchmark(Baseline = true, Description = "ECDsa.VerifyData floor (P-256)")]
    [BenchmarkCategory("Verify")]
    public bool Verify_Floor() => _ecdsa.VerifyData(_signingInput, _signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    [Benchmark(Description = "Ours: JwtSessionValidator, ES256")]
    [BenchmarkCategory("Verify")]
    public bool Verify_Ours() => _validator.Validate(_token).IsValid;

    private static T Completed<T>(ValueTask<T> task) =>
        task.IsCompletedSuccessfully ? task.Result : throw new InvalidOperationException("Expected a synchronously completed ValueTask.");
}
