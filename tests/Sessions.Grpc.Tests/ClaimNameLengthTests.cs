using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests;

/// <summary>
/// <c>MaxClaimNameLength</c> counts a claim name's characters as a client in any language counts the UTF-8 text it sends
/// (Unicode code points), not .NET's UTF-16 code units: a character outside the Basic Multilingual Plane is one, and the
/// refusal names the length the caller sent.
/// </summary>
public sealed class ClaimNameLengthTests
{
    private const string Emoji = "\U0001F511";

    [Fact]
    public async Task A_claim_name_of_as_many_characters_outside_the_BMP_as_the_limit_is_signed()
    {
        await using var host = await SessionsHost.StartAsync(o => o.MaxClaimNameLength = 10);
        var name = string.Concat(Enumerable.Repeat(Emoji, 10));
        var request = new CreateRequest { UserId = TestTokens.UserId };
        request.Claims.Add(name, new ClaimValue { StringValue = "x" });

        var created = await host.Client.CreateAsync(request);
        var validated = await host.Client.ValidateAsync(new ValidateTokenRequest { Token = created.Token });

        Assert.Equal("x", validated.Claims[name].StringValue);
    }

    [Fact]
    public async Task A_claim_name_one_character_over_the_limit_is_refused_naming_its_length_in_characters()
    {
        await using var host = await SessionsHost.StartAsync(o => o.MaxClaimNameLength = 10);
        var request = new CreateRequest { UserId = TestTokens.UserId };
        request.Claims.Add(string.Concat(Enumerable.Repeat(Emoji, 6)) + "abcde", new ClaimValue { StringValue = "x" });

        var refused = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal("The custom claim name of 11 characters is too long: at most 10 are allowed (Sessions:MaxClaimNameLength).", refused.Status.Detail);
    }
}
