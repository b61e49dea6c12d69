using System.Globalization;
using System.Text;
using Sessions.Jwt;

namespace Sessions.Fuzz;

/// <summary>The starting corpus: valid inputs for each mode and a few mutations that reach each check.</summary>
internal static class Seeds
{
    public static void Write(string directory, FuzzTarget.Mode mode)
    {
        Directory.CreateDirectory(directory);
        var seeds = mode == FuzzTarget.Mode.Token ? TokenSeeds() : JsonSeeds();
        var i = 0;
        foreach (var seed in seeds)
        {
            File.WriteAllBytes(Path.Combine(directory, $"seed-{i++:D2}"), Encoding.UTF8.GetBytes(seed));
        }
    }

    private static string Payload(string extra = "", string sub = "\"3f2504e0-4f89-11d3-9a0c-0305e82c3301\"")
    {
        var iat = FuzzTarget.Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var exp = FuzzTarget.Now.AddHours(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $$"""{"iss":"session-server","aud":"user","sub":{{sub}},"jti":"0b6e2c1e-8f3a-4c5d-9e7f-1a2b3c4d5e6f","iat":{{iat}},"nbf":{{iat}},"exp":{{exp}}{{extra}}}""";
    }

    private static IEnumerable<string> JsonSeeds()
    {
        yield return Payload();
        yield return FuzzTarget.DefaultHeader + "\n" + Payload(
            ",\"tenant\":\"acme\",\"level\":2,\"score\":0.25,\"mfa\":true,\"roles\":[\"a\",\"b\"],\"meta\":{\"n\":[1,{\"x\":null}]}");
        yield return """{"alg":"HS256","kid":"k","crit":["x"]}""" + "\n" + Payload();
        yield return Payload(",\"s\":\"\\u00e9\\ud83d\\ude00\\n\"", "\"\\u0061dmin\"");
        yield return Payload().Replace("\"aud\":\"user\"", "\"aud\":[\"user\",\"other\"]", StringComparison.Ordinal);
        yield return Payload(",\"big\":1e400,\"neg\":-9223372036854775809");
    }

    private static IEnumerable<string> TokenSeeds()
    {
        using var issuer = new JwtSessionIssuer(new JwtSessionOptions { Secret = FuzzTarget.Secret }, new FuzzTarget.FixedClockProvider());
        yield return issuer.Issue("3f2504e0-4f89-11d3-9a0c-0305e82c3301").Token;
        var withClaims = issuer.Issue("3f2504e0-4f89-11d3-9a0c-0305e82c3301", new SessionClaims { ["tenant"] = "acme", ["roles"] = new[] { "a", "b" }, ["n"] = 2L }).Token;
        yield return withClaims;
        foreach (var json in JsonSeeds())
        {
            yield return FuzzTarget.SignedToken(Encoding.UTF8.GetBytes(json));
        }

        yield return withClaims[..^1];
        yield return withClaims + ".x";
        yield return "eyJhbGciOiJub25lIn0." + withClaims.Split('.')[1] + ".";
    }
}
