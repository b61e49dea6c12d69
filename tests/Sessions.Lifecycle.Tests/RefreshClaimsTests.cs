using Microsoft.Extensions.Time.Testing;
using Sessions.Lifecycle.Internal;

namespace Sessions.Lifecycle.Tests;

/// <summary>Custom claims given when a refresh chain is created are carried by every session the chain issues.</summary>
public sealed class RefreshClaimsTests : IDisposable
{
    private readonly FakeTimeProvider _clock = TestTokens.Clock();
    private readonly InMemorySessionStore _store;
    private readonly JwtSessionIssuer _issuer;
    private readonly JwtSessionValidator _validator;
    private readonly SessionLifecycle _manager;

    public RefreshClaimsTests()
    {
        _store = new InMemorySessionStore(timeProvider: _clock);
        _issuer = new JwtSessionIssuer(TestTokens.Options(), _clock);
        _validator = new JwtSessionValidator(TestTokens.Options(), null, _store, _clock);
        _manager = new SessionLifecycle(_issuer, _validator, _store, new SessionStoreOptions(), _clock);
    }

    public void Dispose()
    {
        _store.Dispose();
        _issuer.Dispose();
        _validator.Dispose();
    }

    private static SessionClaims AllKinds() => new()
    {
        { "tenant", "acme" },
        { "auth_level", 2L },
        { "score", 0.75 },
        { "mfa", true },
        { "roles", new[] { "admin", "dev" } },
    };

    private SessionClaims ClaimsOf(RefreshTokenIssued issued)
    {
        var result = _validator.Validate(issued.Session.Token);
        Assert.True(result.IsValid, result.FailureReason.ToString());
        return result.Session.Claims;
    }

    private static void AssertSameClaims(SessionClaims expected, SessionClaims actual) =>
        Assert.Equal(expected.ToList(), actual.ToList());

    [Fact]
    public async Task Sessions_issued_by_refreshes_carry_the_claims_given_at_create()
    {
        var claims = AllKinds();
        var created = await _manager.IssueWithRefreshTokenAsync(TestTokens.Subject, claims);
        _clock.Advance(TimeSpan.FromMinutes(5));

        var first = await _manager.RefreshAsync(created.RefreshToken);
        _clock.Advance(TimeSpan.FromMinutes(5));
        var second = await _manager.RefreshAsync(first.Issued!.RefreshToken);

        Assert.Equal(RefreshTokenRotationStatus.Rotated, second.Status);
        AssertSameClaims(claims, ClaimsOf(created));
        AssertSameClaims(claims, ClaimsOf(first.Issued));
        AssertSameClaims(claims, ClaimsOf(second.Issued!));
        AssertSameClaims(claims, created.Claims);
        AssertSameClaims(claims, first.Issued.Claims);
        AssertSameClaims(claims, second.Issued!.Claims);
        Assert.Equal(SessionClaimKind.Integer, ClaimsOf(second.Issued)["auth_level"].Kind);
        Assert.Equal(SessionClaimKind.Number, ClaimsOf(second.Issued)["score"].Kind);
    }

    [Fact]
    public async Task A_refresh_within_the_grace_period_carries_the_claims_too()
    {
        var claims = new SessionClaims { { "tenant", "acme" } };
        var created = await _manager.IssueWithRefreshTokenAsync(TestTokens.Subject, claims);
        await _manager.RefreshAsync(created.RefreshToken);

        var again = await _manager.RefreshAsync(created.RefreshToken);

        Assert.Equal(RefreshTokenRotationStatus.RotatedWithinGracePeriod, again.Status);
        AssertSameClaims(claims, ClaimsOf(again.Issued!));
    }

    [Fact]
    public async Task A_chain_created_without_claims_issues_sessions_without_claims()
    {
        var created = await _manager.IssueWithRefreshTokenAsync(TestTokens.Subject);
        var first = await _manager.RefreshAsync(created.RefreshToken);
        var second = await _manager.RefreshAsync(first.Issued!.RefreshToken);

        Assert.Empty(created.Claims);
        Assert.Empty(ClaimsOf(first.Issued));
        Assert.Empty(ClaimsOf(second.Issued!));
        Assert.Empty(second.Issued!.Claims);
    }

    [Fact]
    public async Task A_chain_stored_without_claims_refreshes_into_sessions_without_claims()
    {
        var chainId = RefreshTokens.NewChainId(TestTokens.Subject);
        var (token, hash) = RefreshTokens.Create(chainId);
        var now = _clock.GetUtcNow();
        await _store.CreateChainAsync(
            new RefreshChainRecord(chainId, TestTokens.Subject, now, now.AddDays(2)),
            new RefreshTokenRecord(hash, Guid.NewGuid().ToString("D"), now.AddHours(1), now, now.AddDays(1)));

        var refreshed = await _manager.RefreshAsync(token);

        Assert.Equal(RefreshTokenRotationStatus.Rotated, refreshed.Status);
        Assert.Empty(ClaimsOf(refreshed.Issued!));
    }

    [Fact]
    public async Task The_claims_are_stored_as_one_JSON_object_with_the_chain()
    {
        var created = await _manager.IssueWithRefreshTokenAsync(TestTokens.Subject, AllKinds());
        var refreshed = await _manager.RefreshAsync(created.RefreshToken);

        var record = await _store.FindChainAsync(refreshed.Issued!.ChainId);

        Assert.Equal("""{"tenant":"acme","auth_level":2,"score":0.75,"mfa":true,"roles":["admin","dev"]}""", record!.Claims);
    }

    [Fact]
    public async Task Claims_beyond_the_limits_are_refused_at_create_and_nothing_is_stored()
    {
        var tooMany = new SessionClaims();
        for (var i = 0; i < 33; i++)
        {
            tooMany.Add("c" + i, i);
        }

        await Assert.ThrowsAsync<ArgumentException>(() => _manager.IssueWithRefreshTokenAsync(TestTokens.Subject, tooMany));
        await Assert.ThrowsAsync<ArgumentException>(() => _manager.IssueWithRefreshTokenAsync(TestTokens.Subject, new SessionClaims { { "sub", "forged" } }));
        Assert.Equal(0, _store.RefreshTokenCount);
    }

    [Fact]
    public void The_stored_form_round_trips_every_kind_and_is_checked_on_the_way_in()
    {
        var claims = AllKinds();
        claims.Add("meta", SessionClaimValue.FromJson("""{"device":"d-1","tags":[1,2]}"""));

        var json = StoredClaims.Write(claims);

        AssertSameClaims(claims, StoredClaims.Read(json)!);
        Assert.Null(StoredClaims.Write(null));
        Assert.Null(StoredClaims.Write(new SessionClaims()));
        Assert.Null(StoredClaims.Read(null));
        var now = TestTokens.Now;
        RefreshChainRecord Record(string claimsJson) => new("00000000000000000000000000000000", "s", now, now, claimsJson);
        Assert.Throws<ArgumentException>(() => Record("[1,2]"));
        Assert.Throws<ArgumentException>(() => Record("{\"a\":"));
        Assert.Throws<ArgumentException>(() => Record("{} {}"));
        Assert.Throws<ArgumentException>(() => Record(string.Empty));
        Assert.Equal("{}", Record("{}").Claims);
    }
}
