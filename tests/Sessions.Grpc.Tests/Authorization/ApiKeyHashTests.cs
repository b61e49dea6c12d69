using System.Security.Cryptography;
using System.Text;
using Sessions.Grpc.Internal;

namespace Sessions.Grpc.Tests.Authorization;

/// <summary>The API key's hash is made once per key, and a key set later (a reloaded option) gets its own.</summary>
public sealed class ApiKeyHashTests
{
    private const string First = "the-first-api-key-for-tests-32-bytes-or-more";
    private const string Second = "the-second-api-key-for-tests-32-bytes-or-more";

    [Fact]
    public void The_hash_follows_the_key_it_is_asked_for()
    {
        var check = new ApiKeyCheck();
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(First)), check.KeyHash(First).ToArray());

        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(Second)), check.KeyHash(Second).ToArray());
        // A caller still holding the first key gets that key's hash, not the cached one.
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(First)), check.KeyHash(First).ToArray());
    }

    [Fact]
    public void A_key_matches_itself_only_and_a_changed_key_is_followed()
    {
        var check = new ApiKeyCheck();

        Assert.True(check.Matches(First, First));
        Assert.False(check.Matches(Second, First));
        Assert.False(check.Matches(First[..^1], First));
        Assert.False(check.Matches(string.Empty, First));
        Assert.True(check.Matches(Second, Second));
        Assert.False(check.Matches(First, Second));
        // Longer than the stack buffer: hashed from the heap, and still compared.
        Assert.False(check.Matches(new string('k', 2048), First));
    }
}
