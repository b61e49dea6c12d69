using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests;

/// <summary>Custom claims through the wire: Create with claims, Validate returns them, limits and registered names refused.</summary>
public sealed class ClaimsTests
{
    private static ClaimValue Text(string value) => new() { StringValue = value };

    private static ClaimValue Strings(params string[] values)
    {
        var list = new StringList();
        list.Values.AddRange(values);
        return new ClaimValue { StringsValue = list };
    }

    [Fact]
    public async Task Every_value_kind_round_trips_through_create_and_validate()
    {
        await using var host = await SessionsHost.StartAsync();
        var request = new CreateRequest { UserId = TestTokens.UserId };
        request.Claims.Add("tenant", Text("acme"));
        request.Claims.Add("roles", Strings("admin", "dev"));
        request.Claims.Add("auth_level", new ClaimValue { IntegerValue = 2 });
        request.Claims.Add("score", new ClaimValue { NumberValue = 0.75 });
        request.Claims.Add("mfa", new ClaimValue { BoolValue = true });
        request.Claims.Add("meta", new ClaimValue { JsonValue = """{"device":"d-1","tags":[1,2]}""" });

        var created = await host.Client.CreateAsync(request);
        var validated = await host.Client.ValidateAsync(new ValidateTokenRequest { Token = created.Token });

        Assert.Equal(request.Claims, created.Claims);
        Assert.Equal(request.Claims, validated.Claims);
        Assert.Equal("acme", TestTokens.Payload(created.Token).GetProperty("tenant").GetString());
        Assert.Equal(2, TestTokens.Payload(created.Token).GetProperty("auth_level").GetInt64());
        Assert.Equal(created.IssuedAt, validated.NotBefore);
    }

    [Fact]
    public async Task Old_clients_without_claims_see_no_claims()
    {
        await using var host = await SessionsHost.StartAsync();
        var created = await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });
        var validated = await host.Client.ValidateAsync(new ValidateTokenRequest { Token = created.Token });

        Assert.Empty(created.Claims);
        Assert.Empty(validated.Claims);
        Assert.Equal(["iss", "aud", "sub", "jti", "iat", "nbf", "exp"], TestTokens.Payload(created.Token).EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData("iss")]
    [InlineData("aud")]
    [InlineData("sub")]
    [InlineData("jti")]
    [InlineData("iat")]
    [InlineData("nbf")]
    [InlineData("exp")]
    public async Task Registered_claims_are_refused_naming_the_claim(string name)
    {
        await using var host = await SessionsHost.StartAsync();
        var request = new CreateRequest { UserId = TestTokens.UserId };
        request.Claims.Add(name, Text("forged"));

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        // The whole message: before, it ended with " (Parameter 'name')", the issuer's .NET parameter, not a field.
        Assert.Equal($"The claim '{name}' is registered and set by the issuer; it cannot be given as a custom claim.", error.Status.Detail);
    }

    [Fact]
    public async Task Limits_are_enforced_before_signing_with_a_message_naming_the_limit()
    {
        await using var host = await SessionsHost.StartAsync(o => { o.MaxCustomClaims = 2; o.MaxClaimNameLength = 10; o.MaxCustomClaimsBytes = 64; });

        var tooMany = new CreateRequest { UserId = TestTokens.UserId };
        tooMany.Claims.Add("a", Text("1"));
        tooMany.Claims.Add("b", Text("2"));
        tooMany.Claims.Add("c", Text("3"));
        var longName = new CreateRequest { UserId = TestTokens.UserId };
        longName.Claims.Add("a-very-long-claim-name", Text("x"));
        var tooBig = new CreateRequest { UserId = TestTokens.UserId };
        tooBig.Claims.Add("note", Text(new string('x', 100)));

        foreach (var (request, expected) in new[] { (tooMany, "at most 2 custom claims"), (longName, "at most 10 are allowed"), (tooBig, "at most 64 are allowed") })
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateAsync(request).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.Contains(expected, error.Status.Detail, StringComparison.Ordinal);
            Assert.DoesNotContain("(Parameter '", error.Status.Detail, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(host.Logs.Lines, line => line.Level >= LogLevel.Error || line.Exception is not null);
    }

    [Fact]
    public async Task A_claim_without_a_value_or_with_bad_json_is_refused()
    {
        await using var host = await SessionsHost.StartAsync();
        var empty = new CreateRequest { UserId = TestTokens.UserId };
        empty.Claims.Add("tenant", new ClaimValue());
        var badJson = new CreateRequest { UserId = TestTokens.UserId };
        badJson.Claims.Add("meta", new ClaimValue { JsonValue = "{" });
        var nan = new CreateRequest { UserId = TestTokens.UserId };
        nan.Claims.Add("score", new ClaimValue { NumberValue = double.NaN });
        // Valid JSON by its grammar, but the escape is half a surrogate pair: it was an INTERNAL error with a stack trace.
        var halfPair = new CreateRequest { UserId = TestTokens.UserId };
        halfPair.Claims.Add("j", new ClaimValue { JsonValue = """{"k":"a\udc00b"}""" });

        foreach (var (request, expected) in new[] { (empty, "claim 'tenant' has no value"), (badJson, "claim 'meta' json_value"), (nan, "claim 'score' is not a finite number"), (halfPair, "claim 'j' json_value") })
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateAsync(request).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.Contains(expected, error.Status.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_secret_sent_as_a_claim_name_is_not_repeated_in_the_refusal_nor_in_the_log()
    {
        await using var host = await SessionsHost.StartAsync(o => o.MaxClaimNameLength = 48);
        // A refresh token (64 characters of base64url) and an API key (openssl rand -base64 32) put where a name goes.
        var refreshToken = Base64Url(48);
        var apiKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var noValue = new CreateRequest { UserId = TestTokens.UserId };
        noValue.Claims.Add(refreshToken, new ClaimValue());
        var badJson = new CreateRequest { UserId = TestTokens.UserId };
        badJson.Claims.Add(apiKey, new ClaimValue { JsonValue = "{" });
        var tooLong = new CreateRequest { UserId = TestTokens.UserId };
        tooLong.Claims.Add(refreshToken, Text("x"));

        foreach (var (request, secret, expected) in new[]
        {
            (noValue, refreshToken, "claim of 64 characters has no value: set one of string_value"),
            (badJson, apiKey, "claim of 44 characters json_value is not one valid JSON value"),
            (tooLong, refreshToken, "The custom claim name of 64 characters is too long: at most 48 are allowed"),
        })
        {
            var call = host.Client.CreateAsync(request);
            var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
            var answer = error.Status.Detail + "\n" + string.Join("\n", error.Trailers.Select(static entry => entry.Key + ": " + entry.Value))
                + "\n" + string.Join("\n", (await call.ResponseHeadersAsync).Select(static entry => entry.Key + ": " + entry.Value));
            Assert.DoesNotContain(secret[..16], answer, StringComparison.Ordinal);
            Assert.DoesNotContain(host.Logs.Lines, line => (line.Message + line.Exception).Contains(secret[..16], StringComparison.Ordinal));
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.StartsWith(expected, error.Status.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_short_claim_name_is_still_named_in_the_refusal()
    {
        await using var host = await SessionsHost.StartAsync(o => o.MaxClaimNameLength = 8);
        var request = new CreateRequest { UserId = TestTokens.UserId };
        request.Claims.Add("tenant_id", Text("acme"));

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateAsync(request).ResponseAsync);

        Assert.Equal("The custom claim name 'tenant_id' is too long: at most 8 are allowed (Sessions:MaxClaimNameLength).", error.Status.Detail);
    }

    private static string Base64Url(int bytes) => System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(bytes));

    [Fact]
    public async Task Claims_of_a_token_made_by_another_library_come_back_typed()
    {
        await using var host = await SessionsHost.StartAsync();
        var now = SessionsHost.Start.ToUnixTimeSeconds();
        var token = TestTokens.Sign(TestTokens.Header(), new Dictionary<string, object>
        {
            ["iss"] = "session-server", ["aud"] = "user", ["sub"] = TestTokens.UserId, ["jti"] = "j-1", ["iat"] = now, ["exp"] = now + 60,
            ["tenant"] = "acme", ["roles"] = new[] { "admin" }, ["level"] = 3,
        });

        var reply = await host.Client.ValidateAsync(new ValidateTokenRequest { Token = token });

        Assert.Equal("acme", reply.Claims["tenant"].StringValue);
        Assert.Equal(["admin"], reply.Claims["roles"].StringsValue.Values);
        Assert.Equal(3, reply.Claims["level"].IntegerValue);
        Assert.Equal(0, reply.NotBefore);
    }
}
