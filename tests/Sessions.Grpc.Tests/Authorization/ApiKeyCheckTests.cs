using Sessions.Grpc.Internal;
using Sessions.Grpc.Internal.Privileged;

namespace Sessions.Grpc.Tests.Authorization;

/// <summary>
/// The comparison of a sent API key with the configured one: equal strings only, whatever their lengths and
/// characters, and a key set later (a reloaded option) is followed.
/// </summary>
public sealed class ApiKeyCheckTests
{
    private const string First = "the-first-api-key-for-tests-32-bytes-or-more";
    private const string Second = "the-second-api-key-for-tests-32-bytes-or-more";

    [Fact]
    public void A_key_matches_itself_only()
    {
        var check = new ApiKeyCheck();

        Assert.True(check.Matches(First, First));
        Assert.True(check.Matches(new string(First.AsSpan()), First));   // equal, not the same instance
        Assert.False(check.Matches(Second, First));
        Assert.False(check.Matches(First[..^1], First));                 // a prefix
        Assert.False(check.Matches(First + "x", First));                 // longer by one
        Assert.False(check.Matches(First + "\0", First));                // longer by what the padding holds
        Assert.False(check.Matches(string.Empty, First));
        Assert.False(check.Matches(First.ToUpperInvariant(), First));
        Assert.False(check.Matches("x" + First[1..], First));           // the first character only differs
        Assert.False(check.Matches(First[..^1] + "x", First));           // the last character only differs
    }

    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(1023)]
    [InlineData(1024)]
    [InlineData(1025)]
    [InlineData(3000)]
    public void Keys_of_every_length_match_themselves_and_nothing_one_character_away(int length)
    {
        var check = new ApiKeyCheck();
        var key = string.Create(length, 0, (chars, _) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = (char)('a' + (i % 26));
            }
        });

        Assert.True(check.Matches(new string(key.AsSpan()), key));
        for (var at = 0; at < length; at += Math.Max(1, length / 17))
        {
            var changed = key.ToCharArray();
            changed[at] = 'Z';
            Assert.False(check.Matches(new string(changed), key));
        }

        Assert.False(check.Matches(key[..^1], key));
        Assert.False(check.Matches(key + "a", key));
    }

    [Fact]
    public void Values_longer_than_any_key_are_refused_and_characters_beyond_ASCII_are_compared_exactly()
    {
        var check = new ApiKeyCheck();
        const string key = "clé-d'api-pour-les-tests-de-32-octets-ou-plus-🔑";

        Assert.True(check.Matches(new string(key.AsSpan()), key));
        Assert.False(check.Matches(key.Replace('é', 'e'), key));
        Assert.False(check.Matches(new string('k', 5000), key));
        // A lone surrogate where the key has another: equal after a lossy UTF-8 round trip, different here.
        Assert.False(check.Matches(key[..^1] + "\ud800", key[..^1] + "\udfff"));
    }

    [Fact]
    public void A_changed_key_is_followed_and_a_caller_still_holding_the_first_gets_the_first()
    {
        var check = new ApiKeyCheck();

        Assert.True(check.Matches(First, First));
        Assert.True(check.Matches(Second, Second));
        Assert.False(check.Matches(First, Second));
        Assert.True(check.Matches(First, First));
        Assert.Equal(First, new string(check.Padded(First).AsSpan(0, First.Length)));
        Assert.All(check.Padded(First).AsSpan(First.Length).ToArray(), c => Assert.Equal('\0', c));
    }
}
