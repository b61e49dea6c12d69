namespace Sessions.Lifecycle.Tests;

/// <summary>
/// A chain's description holds at most <see cref="RefreshChainRecord.MaxDescriptionLength"/> characters, counted as
/// Unicode code points: a character outside the Basic Multilingual Plane (two UTF-16 code units) is one.
/// </summary>
public sealed class ClientDescriptionTests : IDisposable
{
    private const string Emoji = "\U0001F4BB";

    private readonly InMemorySessionStore _store;
    private readonly JwtSessionIssuer _issuer;
    private readonly JwtSessionValidator _validator;
    private readonly SessionLifecycle _lifecycle;

    public ClientDescriptionTests()
    {
        var clock = TestTokens.Clock();
        var options = new SessionStoreOptions();
        _store = new InMemorySessionStore(options, clock);
        _issuer = new JwtSessionIssuer(TestTokens.Options(), clock);
        _validator = new JwtSessionValidator(TestTokens.Options(), null, _store, clock);
        _lifecycle = new SessionLifecycle(_issuer, _validator, _store, options, clock);
    }

    public void Dispose()
    {
        _store.Dispose();
        _issuer.Dispose();
        _validator.Dispose();
    }

    [Fact]
    public async Task Two_hundred_characters_outside_the_BMP_are_kept()
    {
        var description = string.Concat(Enumerable.Repeat(Emoji, RefreshChainRecord.MaxDescriptionLength));

        await _lifecycle.IssueWithRefreshTokenAsync(TestTokens.Subject, description: description);

        Assert.Equal(description, Assert.Single(await _lifecycle.ListSessionsAsync(TestTokens.Subject)).Description);
    }

    [Fact]
    public async Task Two_hundred_and_one_characters_are_refused_naming_their_count_in_characters()
    {
        var description = string.Concat(Enumerable.Repeat(Emoji, 150)) + new string('d', 51);

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => _lifecycle.IssueWithRefreshTokenAsync(TestTokens.Subject, description: description));

        Assert.Equal("description", refused.ParamName);
        Assert.StartsWith("The client description is 201 characters long; at most 200 are kept.", refused.Message, StringComparison.Ordinal);
    }
}
