using Sessions.Internal;

namespace Sessions.Grpc.Tests;

/// <summary>
/// The one rule for what a message or a log line may repeat of a name a client sent: a short name of a name's
/// characters, never a secret the server accepts or issues.
/// </summary>
public sealed class EchoedNameTests
{
    [Fact]
    public void A_repeated_name_is_well_below_the_shortest_secret()
    {
        // A name's characters are one UTF-8 byte each: a repeated name is at most MaxLength bytes.
        Assert.True(EchoedName.MaxLength <= SessionsApiKeyOptions.MinimumKeyBytes * 3 / 4, "an API key could be repeated");
        Assert.True(EchoedName.MaxLength < 64 / 2, "a refresh token (64 characters) could be repeated");
        // The longest name of sessions.proto, misspelt, is still named.
        Assert.True(EchoedName.IsEchoed("client_descriptionn"));
    }

    [Theory]
    [InlineData("user_idd", "field 'user_idd'")]
    [InlineData("userIdd", "field 'userIdd'")]
    [InlineData("claims.role", "field 'claims.role'")]
    [InlineData("auth-level", "field 'auth-level'")]
    [InlineData("", "field ''")]
    [InlineData("abcdefghijklmnopqrstuvwx", "field 'abcdefghijklmnopqrstuvwx'")]
    [InlineData("abcdefghijklmnopqrstuvwxy", "field of 25 characters")]
    [InlineData("us'er", "field of 5 characters")]
    [InlineData("user id", "field of 7 characters")]
    [InlineData("us\u00e9r", "field of 4 characters")]
    [InlineData("a/b", "field of 3 characters")]
    [InlineData("\n", "field of 1 character")]
    public void A_name_is_repeated_only_when_short_and_made_of_a_names_characters(string name, string expected) =>
        Assert.Equal(expected, EchoedName.Describe("field", name));

    [Fact]
    public void No_secret_is_repeated_whole_or_in_part()
    {
        var apiKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(SessionsApiKeyOptions.MinimumKeyBytes));
        var refreshToken = System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48));
        var hexKey = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(SessionsApiKeyOptions.MinimumKeyBytes / 2));

        foreach (var secret in new[] { apiKey, apiKey.TrimEnd('='), refreshToken, hexKey })
        {
            Assert.False(EchoedName.IsEchoed(secret));
            Assert.Equal($"field of {secret.Length} characters", EchoedName.Describe("field", secret));
        }
    }
}
