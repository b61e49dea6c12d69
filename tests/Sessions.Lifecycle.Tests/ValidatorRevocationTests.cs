using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Sessions.Lifecycle.Tests;

public sealed class ValidatorRevocationTests
{
    private readonly FakeTimeProvider _clock = TestTokens.Clock();

    private sealed class FixedList(RevocationStatus status, RevocationUnavailableBehavior behavior = RevocationUnavailableBehavior.Reject) : ISessionRevocationList
    {
        public RevocationUnavailableBehavior UnavailableBehavior => behavior;

        public int Calls { get; private set; }

        public RevocationStatus Check(Session session)
        {
            Calls++;
            return status;
        }
    }

    [Fact]
    public async Task Validate_refuses_a_session_revoked_by_id_as_revoked()
    {
        using var store = new InMemorySessionStore(timeProvider: _clock);
        using var issuer = new JwtSessionIssuer(TestTokens.Options(), _clock);
        using var validator = new JwtSessionValidator(TestTokens.Options(), null, store, _clock);
        var revoked = issuer.Issue(TestTokens.Subject);
        var other = issuer.Issue(TestTokens.Subject);

        await store.RevokeSessionAsync(revoked.SessionId.ToString(), revoked.ExpiresAt, _clock.GetUtcNow());

        Assert.Equal(SessionFailureReason.Revoked, validator.Validate(revoked.Token).FailureReason);
        Assert.True(validator.Validate(other.Token).IsValid);
    }

    [Fact]
    public async Task Validate_refuses_sessions_of_a_revoked_subject_issued_until_then_but_not_later()
    {
        using var store = new InMemorySessionStore(timeProvider: _clock);
        using var issuer = new JwtSessionIssuer(TestTokens.Options(), _clock);
        using var validator = new JwtSessionValidator(TestTokens.Options(), null, store, _clock);
        var before = issuer.Issue(TestTokens.Subject);
        var otherUser = issuer.Issue("someone-else");

        await store.RevokeSubjectAsync(TestTokens.Subject, _clock.GetUtcNow(), _clock.GetUtcNow().AddDays(1));
        _clock.Advance(TimeSpan.FromSeconds(1));
        var after = issuer.Issue(TestTokens.Subject);

        Assert.Equal(SessionFailureReason.Revoked, validator.Validate(before.Token).FailureReason);
        Assert.True(validator.Validate(otherUser.Token).IsValid);
        Assert.True(validator.Validate(after.Token).IsValid);
    }

    [Fact]
    public void Validate_with_unknown_revocation_status_rejects_as_unavailable_by_default()
    {
        using var issuer = new JwtSessionIssuer(TestTokens.Options(), _clock);
        using var validator = new JwtSessionValidator(TestTokens.Options(), null, new FixedList(RevocationStatus.Unknown), _clock);

        Assert.Equal(SessionFailureReason.Unavailable, validator.Validate(issuer.Issue(TestTokens.Subject).Token).FailureReason);
    }

    [Fact]
    public void Validate_with_unknown_revocation_status_accepts_on_signature_when_configured()
    {
        using var issuer = new JwtSessionIssuer(TestTokens.Options(), _clock);
        using var validator = new JwtSessionValidator(TestTokens.Options(), null, new FixedList(RevocationStatus.Unknown, RevocationUnavailableBehavior.AllowSignatureOnly), _clock);

        Assert.True(validator.Validate(issuer.Issue(TestTokens.Subject).Token).IsValid);
    }

    [Fact]
    public void Validate_asks_the_revocation_list_only_after_every_other_check_passed()
    {
        var list = new FixedList(RevocationStatus.Revoked);
        using var issuer = new JwtSessionIssuer(TestTokens.Options(), _clock);
        using var validator = new JwtSessionValidator(TestTokens.Options(), null, list, _clock);
        var token = issuer.Issue(TestTokens.Subject).Token;
        _clock.Advance(TimeSpan.FromDays(2));

        Assert.Equal(SessionFailureReason.Expired, validator.Validate(token).FailureReason);
        Assert.Equal(SessionFailureReason.Malformed, validator.Validate("a.b").FailureReason);
        Assert.Equal(0, list.Calls);
    }

    [Fact]
    public async Task AddJwtSessions_with_the_lifecycle_gives_the_validator_the_in_memory_revocation_list()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddJwtSessions(o => o.Secret = TestTokens.Secret).AddSessionLifecycle();
        await using var provider = services.BuildServiceProvider();
        var manager = provider.GetRequiredService<ISessionLifecycle>();
        var issued = await provider.GetRequiredService<ISessionIssuer>().IssueAsync(TestTokens.Subject);

        Assert.Equal(SessionFailureReason.None, await manager.RevokeTokenAsync(issued.Token));

        var result = await provider.GetRequiredService<ISessionValidator>().ValidateAsync(issued.Token);
        Assert.Equal(SessionFailureReason.Revoked, result.FailureReason);
    }
}
