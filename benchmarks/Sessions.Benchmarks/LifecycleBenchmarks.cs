using BenchmarkDotNet.Attributes;
using Sessions.Jwt;
using Sessions.Lifecycle;

namespace Sessions.Benchmarks;

/// <summary>
/// What the lifecycle costs on the in-memory store: issuing a session with a refresh token, and a refresh (sign a new
/// session, seal the successor, rotate), against issuing a plain session in the same run. A refresh must stay within
/// 2x of the previous design's cost (which signed and rotated without sealing).
/// </summary>
[MemoryDiagnoser]
public class LifecycleBenchmarks
{
    private const string Secret = "benchmark-secret-that-is-at-least-32-bytes!";
    private const string Subject = "6f1c2b9e-2f4d-4e8a-9a57-0b3c1d2e4f60";

    private JwtSessionIssuer _issuer = null!;
    private JwtSessionValidator _validator = null!;
    private InMemorySessionStore _store = null!;
    private SessionLifecycle _lifecycle = null!;
    private string _refreshToken = null!;
    private int _issued;
    private int _refreshed;

    [GlobalSetup]
    public void Setup()
    {
        var options = new JwtSessionOptions { Secret = Secret };
        _issuer = new JwtSessionIssuer(options);
        _store = new InMemorySessionStore(new SessionStoreOptions { MaxChainsPerSubject = 100_000, MaxChains = 100_000_000, MaxRefreshTokensPerChain = 100_000 });
        _validator = new JwtSessionValidator(options, null, _store);
        _lifecycle = new SessionLifecycle(_issuer, _validator, _store, new SessionStoreOptions());
        _refreshToken = _lifecycle.IssueWithRefreshTokenAsync(Subject).GetAwaiter().GetResult().RefreshToken;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        _validator.Dispose();
        _issuer.Dispose();
    }

    [Benchmark(Baseline = true, Description = "issue a plain session")]
    public string Issue() => _issuer.Issue(Subject).Token;

    // A user signs in on at most 100,000 devices here: every 50,000 calls the chains start over in a new store, so the
    // row measures a store of realistic size rather than one that grows with the benchmark's iteration count.
    [Benchmark(Description = "issue with a refresh token")]
    public string IssueWithRefreshToken()
    {
        if (++_issued % 50_000 == 0)
        {
            Cleanup();
            Setup();
        }

        return _lifecycle.IssueWithRefreshTokenAsync(Subject).GetAwaiter().GetResult().RefreshToken;
    }

    // Each call rotates the chain's newest token, as a client does; every 500 rotations a new chain starts, so the
    // chain stays as long as real ones get.
    [Benchmark(Description = "refresh")]
    public string Refresh()
    {
        if (++_refreshed % 500 == 0)
        {
            _refreshToken = _lifecycle.IssueWithRefreshTokenAsync(Subject).GetAwaiter().GetResult().RefreshToken;
        }

        var result = _lifecycle.RefreshAsync(_refreshToken).GetAwaiter().GetResult();
        _refreshToken = result.Issued!.RefreshToken;
        return _refreshToken;
    }
}
