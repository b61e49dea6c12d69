using BenchmarkDotNet.Attributes;
using Sessions.Jwt;
using Sessions.Lifecycle;

namespace Sessions.Benchmarks;

/// <summary>
/// What revocation adds to verifying a token: the stateless validator is the baseline; the other rows consult the
/// in-memory revocation set the Redis store also uses — empty, and holding 10,000 revoked sessions and 1,000 revoked
/// subjects (the token itself is not revoked, so every check runs to the end). Target: within 1.1× of the baseline.
/// </summary>
[MemoryDiagnoser]
public class RevocationBenchmarks
{
    private const string Secret = "benchmark-secret-that-is-at-least-32-bytes!";
    private const string Subject = "6f1c2b9e-2f4d-4e8a-9a57-0b3c1d2e4f60";

    private JwtSessionValidator _stateless = null!;
    private JwtSessionValidator _withEmptyList = null!;
    private JwtSessionValidator _withRevocations = null!;
    private InMemorySessionStore _empty = null!;
    private InMemorySessionStore _full = null!;
    private string _token = null!;

    [GlobalSetup]
    public void Setup()
    {
        var options = new JwtSessionOptions { Secret = Secret };
        using var issuer = new JwtSessionIssuer(options);
        _token = issuer.Issue(Subject).Token;
        _empty = new InMemorySessionStore();
        _full = new InMemorySessionStore();
        var expires = DateTimeOffset.UtcNow.AddDays(1);
        for (var i = 0; i < 10_000; i++)
        {
            _full.RevokeSessionAsync(Guid.NewGuid().ToString(), expires, DateTimeOffset.UtcNow).GetAwaiter().GetResult();
        }

        for (var i = 0; i < 1_000; i++)
        {
            _full.RevokeSubjectAsync(Guid.NewGuid().ToString(), DateTimeOffset.UtcNow, expires).GetAwaiter().GetResult();
        }

        _stateless = new JwtSessionValidator(options);
        _withEmptyList = new JwtSessionValidator(options, null, _empty);
        _withRevocations = new JwtSessionValidator(options, null, _full);
        if (!_stateless.Validate(_token).IsValid || !_withEmptyList.Validate(_token).IsValid || !_withRevocations.Validate(_token).IsValid)
        {
            throw new InvalidOperationException("Every row must verify the token.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stateless.Dispose();
        _withEmptyList.Dispose();
        _withRevocations.Dispose();
        _empty.Dispose();
        _full.Dispose();
    }

    [Benchmark(Baseline = true)]
    public bool Verify_Stateless() => _stateless.Validate(_token).IsValid;

    [Benchmark]
    public bool VerifyWithRevocation_Empty() => _withEmptyList.Validate(_token).IsValid;

    [Benchmark]
    public bool VerifyWithRevocation() => _withRevocations.Validate(_token).IsValid;
}
