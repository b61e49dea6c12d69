using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests;

/// <summary>
/// <c>client_description</c> is kept up to 200 characters, counted as a client in any language counts the UTF-8 text it
/// sends (Unicode code points), not as .NET's UTF-16 code units: a character outside the Basic Multilingual Plane (an
/// emoji, many CJK ideographs) is one character, and the refusal names the length the caller sent.
/// </summary>
public sealed class ClientDescriptionLengthTests
{
    private const string Emoji = "\U0001F4F1";

    [Fact]
    public async Task A_description_of_200_characters_outside_the_BMP_is_kept_and_listed_as_sent()
    {
        await using var host = await SessionsHost.StartAsync();
        var description = string.Concat(Enumerable.Repeat(Emoji, 200));

        var created = await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId, WithRefreshToken = true, ClientDescription = description });
        var listed = await host.Client.ListSessionsAsync(new ListSessionsRequest { UserId = TestTokens.UserId });

        var session = Assert.Single(listed.Sessions);
        Assert.Equal(created.ChainId, session.ChainId);
        Assert.Equal(description, session.ClientDescription);
    }

    [Theory]
    [InlineData(0, 201)]
    [InlineData(150, 51)]
    [InlineData(201, 0)]
    public async Task A_description_of_201_characters_is_refused_naming_its_length_in_characters(int emoji, int letters)
    {
        await using var host = await SessionsHost.StartAsync();
        var description = string.Concat(Enumerable.Repeat(Emoji, emoji)) + new string('d', letters);

        var refused = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateAsync(
            new CreateRequest { UserId = TestTokens.UserId, WithRefreshToken = true, ClientDescription = description }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal("client_description is 201 characters long; at most 200 are kept.", refused.Status.Detail);
    }
}
