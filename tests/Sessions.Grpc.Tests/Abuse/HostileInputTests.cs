using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests.Abuse;

/// <summary>
/// Every row of <see cref="HostileTokens"/> and <see cref="HostileCreates"/> against one real server on 127.0.0.1:
/// the exact status and reason trailer, no token in the status message, and a good Create and Validate afterwards.
/// </summary>
public sealed class HostileInputTests(AbuseServer server) : IClassFixture<AbuseServer>
{
    [Theory]
    [MemberData(nameof(HostileTokens.Names), MemberType = typeof(HostileTokens))]
    public async Task Validate_answers_hostile_token_exactly_and_keeps_serving(string name)
    {
        var hostile = HostileTokens.Get(name);
        var token = hostile.Make(server.Time.GetUtcNow());

        var error = await hostile.Expected.AssertAsync(() => server.Client.ValidateAsync(new ValidateTokenRequest { Token = token }));

        if (error is not null && token.Length >= 8)
        {
            Assert.DoesNotContain(token, error.Status.Detail, StringComparison.Ordinal);
        }

        await server.AssertStillServingAsync();
    }

    [Theory]
    [MemberData(nameof(HostileCreates.Names), MemberType = typeof(HostileCreates))]
    public async Task Create_answers_hostile_request_exactly_and_keeps_serving(string name)
    {
        var hostile = HostileCreates.Get(name);
        var request = hostile.Make();

        var error = await hostile.Expected.AssertAsync(() => server.Client.CreateAsync(request));

        if (error is null)
        {
            // Whatever was accepted gives a session for the canonical UUID, with the claims exactly as given.
            var reply = await server.Client.CreateAsync(request);
            Assert.Equal(Guid.Parse(request.UserId).ToString("D"), reply.Subject);
            Assert.Equal(request.Claims, reply.Claims);
            var validated = await server.Client.ValidateAsync(new ValidateTokenRequest { Token = reply.Token });
            Assert.Equal(request.Claims, validated.Claims);
        }
        else if (error.StatusCode == StatusCode.InvalidArgument)
        {
            Assert.True(error.Status.Detail.Length <= 300, "The message stays short whatever the input's size.");
        }

        await server.AssertStillServingAsync();
    }

    [Fact]
    public void The_battery_covers_every_case_the_issue_lists()
    {
        string[] required =
        [
            "empty", "whitespace only", "one segment", "two segments", "four segments", "standard base64 characters (+ and /)",
            "invalid UTF-8 in the header", "invalid UTF-8 in the payload", "payload is a JSON array", "exp as a string",
            "aud as an object", "duplicated exp", "exp just beyond 2^63", "custom claim nested 2000 deep", "alg none, unsigned",
            "alg None, unsigned", "alg NONE, unsigned", "HS384 with the right secret", "HS512 with the right secret",
            "crit naming exp", "jku to the attacker, attacker's secret", "x5u to the attacker, attacker's secret",
            "jwk holding the attacker's secret", "unknown kid", "NUL byte inside the header segment",
        ];

        Assert.All(required, name => Assert.Contains(HostileTokens.All, c => c.Name == name));
        Assert.Equal(HostileTokens.All.Count, HostileTokens.All.Select(c => c.Name).Distinct().Count());
        Assert.Equal(HostileCreates.All.Count, HostileCreates.All.Select(c => c.Name).Distinct().Count());
        Assert.True(TestTokens.UserId.Length < SessionsService.MaxUserIdLength);
    }
}
