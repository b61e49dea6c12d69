using System.Security.Cryptography;
using System.Text;

namespace Sessions.Grpc.Tests.Authorization;

/// <summary>The API key's hash is made once per key, and a key set later (a reloaded option) gets its own.</summary>
public sealed class ApiKeyHashTests
{
    private const string First = "the-first-api-key-for-tests-32-bytes-or-more";
    private const string Second = "the-second-api-key-for-tests-32-bytes-or-more";

    [Fact]
    public void The_hash_follows_the_key_it_is_asked_for()
    {
        var options = new SessionsApiKeyOptions { Key = First };
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(First)), options.KeyHash(First).ToArray());

        options.Key = Second;

        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(Second)), options.KeyHash(Second).ToArray());
        // A caller still holding the first key gets that key's hash, not the cached one.
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(First)), options.KeyHash(First).ToArray());
    }
}
