using System.Buffers.Text;
using System.Text;
using static Sessions.Grpc.Tests.Abuse.RawJwt;

namespace Sessions.Grpc.Tests.Abuse;

/// <summary>One hostile token: how to make it at the server's current time, and how <c>Validate</c> must answer.</summary>
public sealed record HostileToken(string Name, Func<DateTimeOffset, string> Make, Outcome Expected);

/// <summary>
/// The table of hostile tokens sent to <c>Validate</c>. Each row differs from a valid token in one way; add a row to
/// add a case. Tokens signed here use the server's own secret, so the row reaches the part of the validator it names.
/// </summary>
public static class HostileTokens
{
    private static readonly Outcome Malformed = Outcome.Refused("malformed");
    private static readonly Outcome InvalidClaims = Outcome.Refused("invalid_claims");
    private static readonly Outcome BadAlgorithm = Outcome.Refused("unsupported_algorithm");
    private static readonly Outcome BadHeader = Outcome.Refused("unsupported_header");
    private static readonly Outcome BadSignature = Outcome.Refused("bad_signature");

    private const string AttackerSecret = "the-attacker-own-secret-of-32-bytes-or-more";

    public static readonly IReadOnlyList<HostileToken> All =
    [
        // Shape
        new("empty", _ => "", Outcome.Refused("missing")),
        new("one space", _ => " ", Malformed),
        new("whitespace only", _ => " \t\r\n ", Malformed),
        new("one segment", now => Good(now).Split('.')[0], Malformed),
        new("two segments", now => string.Join('.', Good(now).Split('.')[..2]), Malformed),
        new("four segments", now => Good(now) + ".AAAA", Malformed),
        new("dots only", _ => "..", Malformed),
        new("empty header segment", now => "." + string.Join('.', Good(now).Split('.')[1..]), Malformed),
        new("leading space", now => " " + Good(now), Malformed),
        new("trailing newline", now => Good(now) + "\n", Malformed),
        new("Bearer prefix", now => "Bearer " + Good(now), Malformed),
        new("NUL byte alone", _ => "\0", Malformed),
        new("NUL byte inside the header segment", now => Good(now).Insert(4, "\0"), Malformed),
        new("NUL byte after the token", now => Good(now) + "\0", Malformed),
        new("one character over the length limit", _ => new string('A', 8193), Outcome.Refused("too_large")),

        // base64url
        new("standard base64 characters (+ and /)", now => Good(now).Replace('-', '+').Replace('_', '/') + "+/", Malformed),
        new("base64 padding", now => SwapHeader(Good(now), Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Header)) + "=="), Malformed),
        new("segment length 1 mod 4", now => SwapHeader(Good(now), Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Header)) + "A"), Malformed),
        new("non-canonical trailing bits in the header", now => SwapHeader(Good(now), NonCanonical("""{"alg":"HS256", "typ":"JWT"}""")), Malformed),
        new("non-ASCII letter", now => Good(now).Replace('e', 'é'), Malformed),
        new("signature cut short", now => Good(now)[..^2], BadSignature),
        new("signature empty", now => Good(now)[..(Good(now).LastIndexOf('.') + 1)], BadSignature),
        new("signature doubled", now => Good(now) + Good(now).Split('.')[2], BadSignature),

        // Bytes that are not UTF-8, or not JSON objects
        new("invalid UTF-8 in the header", now => Sign([0x7B, 0xFF, 0xFE, 0x7D], Encoding.UTF8.GetBytes(Claims(now).ToString())), Malformed),
        new("overlong UTF-8 in the header", now => Sign([.. "{\"alg\":\"HS256\",\"x\":\""u8, 0xC0, 0xAF, .. "\"}"u8], Encoding.UTF8.GetBytes(Claims(now).ToString())), Malformed),
        new("invalid UTF-8 in the payload", now => Sign(Encoding.UTF8.GetBytes(Header), [.. Encoding.UTF8.GetBytes(Claims(now).Add("x", "\"\u00e9\"").ToString()[..^3]), 0xFF, .. "\"}"u8]), Malformed),
        new("UTF-16 surrogate bytes (CESU-8) in the payload", now => Sign(Encoding.UTF8.GetBytes(Header), [.. Encoding.UTF8.GetBytes(Claims(now).Add("x", "\"").ToString()[..^2]), 0xED, 0xA0, 0x80, .. "\"}"u8]), Malformed),
        new("lone surrogate escape in a custom claim", now => Sign(Header, Claims(now).Add("x", "\"\\ud800\"").ToString()), Malformed),
        new("raw NUL byte inside a payload string", now => Sign(Header, Claims(now).Add("x", "\"a\0b\"").ToString()), Malformed),
        new("header is a JSON array", now => Sign("[]", Claims(now).ToString()), Malformed),
        new("header is a JSON string", now => Sign("\"HS256\"", Claims(now).ToString()), Malformed),
        new("header is empty", now => Sign("", Claims(now).ToString()), Malformed),
        new("payload is a JSON array", _ => Sign(Header, "[1,2,3]"), Malformed),
        new("payload is a JSON number", _ => Sign(Header, "42"), Malformed),
        new("payload is null", _ => Sign(Header, "null"), Malformed),
        new("payload is empty", _ => Sign(Header, ""), Malformed),
        new("payload has two objects", now => Sign(Header, Claims(now) + "{}"), Malformed),
        new("payload has a trailing comma", now => Sign(Header, Claims(now).ToString()[..^1] + ",}"), Malformed),
        new("payload has a comment", now => Sign(Header, "/* hi */" + Claims(now)), Malformed),

        // Claims of the wrong type, duplicated, out of range
        new("exp as a string", now => Sign(Header, Claims(now).Set("exp", $"\"{now.AddHours(1).ToUnixTimeSeconds()}\"").ToString()), InvalidClaims),
        new("exp as null", now => Sign(Header, Claims(now).Set("exp", "null").ToString()), InvalidClaims),
        new("exp missing", now => Sign(Header, Claims(now).Remove("exp").ToString()), InvalidClaims),
        new("iat as true", now => Sign(Header, Claims(now).Set("iat", "true").ToString()), InvalidClaims),
        new("aud as an object", now => Sign(Header, Claims(now).Set("aud", "{\"user\":true}").ToString()), InvalidClaims),
        new("aud as an array with a number", now => Sign(Header, Claims(now).Set("aud", "[\"user\",1]").ToString()), InvalidClaims),
        new("sub as a number", now => Sign(Header, Claims(now).Set("sub", "12345").ToString()), InvalidClaims),
        new("sub empty", now => Sign(Header, Claims(now).Set("sub", "\"\"").ToString()), InvalidClaims),
        new("iss as an array", now => Sign(Header, Claims(now).Set("iss", "[\"session-server\"]").ToString()), InvalidClaims),
        new("jti as an object", now => Sign(Header, Claims(now).Set("jti", "{}").ToString()), InvalidClaims),
        new("duplicated exp", now => Sign(Header, Claims(now).Add("exp", "99999999999").ToString()), Malformed),
        new("duplicated sub", now => Sign(Header, Claims(now).Add("sub", "\"00000000-0000-0000-0000-000000000000\"").ToString()), Malformed),
        new("duplicated exp spelled with an escape", now => Sign(Header, Claims(now).Add("\\u0065xp", "99999999999").ToString()), Malformed),
        new("duplicated custom claim", now => Sign(Header, Claims(now).Add("role", "\"user\"").Add("role", "\"admin\"").ToString()), Malformed),
        new("duplicated custom claim, one escaped", now => Sign(Header, Claims(now).Add("role", "\"user\"").Add("\\u0072ole", "\"admin\"").ToString()), Malformed),
        new("duplicated alg in the header", now => Sign("""{"alg":"HS256","alg":"none"}""", Claims(now).ToString()), Malformed),
        new("duplicated member in a claim's object", now => Sign(Header, Claims(now).Add("authz", """{"role":"user","role":"admin"}""").ToString()), Malformed),
        new("duplicated member in a claim's object, one escaped", now => Sign(Header, Claims(now).Add("authz", """{"role":"user","\u0072ole":"admin"}""").ToString()), Malformed),
        new("duplicated member in an object in a claim's array", now => Sign(Header, Claims(now).Add("grants", """[{"a":1},{"b":1,"b":2}]""").ToString()), Malformed),
        new("duplicated member deep in a claim's objects", now => Sign(Header, Claims(now).Add("x", """{"a":{"b":{"c":1,"c":1}}}""").ToString()), Malformed),
        new("duplicated member in an object the header carries", now => Sign("""{"alg":"HS256","typ":"JWT","ext":{"k":1,"k":2}}""", Claims(now).ToString()), Malformed),
        new("the same member name in two sibling objects is only data", now => Sign(Header, Claims(now).Add("pair", """[{"a":1},{"a":2}]""").Add("nest", """{"a":{"a":1}}""").ToString()), Outcome.Ok),
        new("exp just beyond 2^63", now => Sign(Header, Claims(now).Set("exp", "9223372036854775808").ToString()), InvalidClaims),
        new("exp beyond 2^64", now => Sign(Header, Claims(now).Set("exp", "18446744073709551616").ToString()), InvalidClaims),
        new("exp 1e400", now => Sign(Header, Claims(now).Set("exp", "1e400").ToString()), InvalidClaims),
        new("exp -2^63", now => Sign(Header, Claims(now).Set("exp", "-9223372036854775808").ToString()), InvalidClaims),
        new("exp past year 9999", now => Sign(Header, Claims(now).Set("exp", "253402300800").ToString()), InvalidClaims),
        new("iat with 400 digits", now => Sign(Header, Claims(now).Set("iat", "1" + new string('0', 400)).ToString()), InvalidClaims),
        new("nbf after exp", now => Sign(Header, Claims(now).Set("nbf", now.AddHours(2).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)).ToString()), InvalidClaims),
        new("custom claim beyond 2^64 is only data", now => Sign(Header, Claims(now).Add("big", "18446744073709551616").ToString()), Outcome.Ok),
        new("257 custom claims", now => Sign(Header, ManyClaims(Claims(now), 257).ToString()), InvalidClaims),

        // Nesting
        new("custom claim nested 63 deep is only data", now => Sign(Header, Claims(now).Add("deep", Nested(63)).ToString()), Outcome.Ok),
        new("custom claim nested 64 deep", now => Sign(Header, Claims(now).Add("deep", Nested(64)).ToString()), Malformed),
        new("custom claim nested 2000 deep", now => Sign(Header, Claims(now).Add("deep", Nested(2000)).ToString()), Malformed),
        new("header member nested 1000 deep", now => Sign("""{"alg":"HS256","x":""" + Nested(1000) + "}", Claims(now).ToString()), Malformed),
        new("unclosed nesting", now => Sign(Header, Claims(now).ToString()[..^1] + ",\"x\":" + new string('[', 500) + "}"), Malformed),

        // Algorithm
        new("alg none, unsigned", now => Unsigned("""{"alg":"none","typ":"JWT"}""", Claims(now).ToString()), BadAlgorithm),
        new("alg None, unsigned", now => Unsigned("""{"alg":"None","typ":"JWT"}""", Claims(now).ToString()), BadAlgorithm),
        new("alg NONE, unsigned", now => Unsigned("""{"alg":"NONE","typ":"JWT"}""", Claims(now).ToString()), BadAlgorithm),
        new("alg nOnE with an HS256 signature", now => Sign("""{"alg":"nOnE"}""", Claims(now).ToString()), BadAlgorithm),
        new("alg hs256 in lower case", now => Sign("""{"alg":"hs256"}""", Claims(now).ToString()), BadAlgorithm),
        new("alg empty", now => Sign("""{"alg":""}""", Claims(now).ToString()), BadAlgorithm),
        new("alg missing", now => Sign("""{"typ":"JWT"}""", Claims(now).ToString()), BadAlgorithm),
        new("alg as a number", now => Sign("""{"alg":256}""", Claims(now).ToString()), Malformed),
        new("alg as an array", now => Sign("""{"alg":["HS256"]}""", Claims(now).ToString()), Malformed),
        new("HS384 with the right secret", now => Sign("""{"alg":"HS384","typ":"JWT"}""", Claims(now).ToString(), "HS384"), BadAlgorithm),
        new("HS512 with the right secret", now => Sign("""{"alg":"HS512","typ":"JWT"}""", Claims(now).ToString(), "HS512"), BadAlgorithm),
        new("RS256 header over an HMAC signature", now => Sign("""{"alg":"RS256","typ":"JWT"}""", Claims(now).ToString()), BadAlgorithm),
        new("ES256 header over an HMAC signature", now => Sign("""{"alg":"ES256","typ":"JWT"}""", Claims(now).ToString()), BadAlgorithm),

        // Header parameters that must not steer validation
        new("crit naming exp", now => Sign("""{"alg":"HS256","crit":["exp"],"exp":1}""", Claims(now).ToString()), BadHeader),
        new("crit empty", now => Sign("""{"alg":"HS256","crit":[]}""", Claims(now).ToString()), BadHeader),
        new("typ JWS", now => Sign("""{"alg":"HS256","typ":"JWS"}""", Claims(now).ToString()), BadHeader),
        new("jku to the attacker, right secret: jku ignored", now => Sign("""{"alg":"HS256","jku":"http://127.0.0.1:9/jwks.json"}""", Claims(now).ToString()), Outcome.Ok),
        new("jku to the attacker, attacker's secret", now => Sign("""{"alg":"HS256","jku":"http://127.0.0.1:9/jwks.json"}""", Claims(now).ToString(), secret: AttackerSecret), BadSignature),
        new("x5u to the attacker, attacker's secret", now => Sign("""{"alg":"HS256","x5u":"http://127.0.0.1:9/cert.pem"}""", Claims(now).ToString(), secret: AttackerSecret), BadSignature),
        new("jwk holding the attacker's secret", now => Sign($$$"""{"alg":"HS256","jwk":{"kty":"oct","k":"{{{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(AttackerSecret))}}}"}}""", Claims(now).ToString(), secret: AttackerSecret), BadSignature),
        new("x5c chain, attacker's secret", now => Sign("""{"alg":"HS256","x5c":["MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"]}""", Claims(now).ToString(), secret: AttackerSecret), BadSignature),
        new("unknown kid", now => Sign("""{"alg":"HS256","kid":"attacker"}""", Claims(now).ToString()), Outcome.Refused("unknown_key")),
        new("kid with a path", now => Sign("""{"alg":"HS256","kid":"../../../../dev/null"}""", Claims(now).ToString()), Outcome.Refused("unknown_key")),
        new("kid with a NUL escape", now => Sign("""{"alg":"HS256","kid":"\u0000"}""", Claims(now).ToString()), Outcome.Refused("unknown_key")),
        new("kid as a number", now => Sign("""{"alg":"HS256","kid":1}""", Claims(now).ToString()), Malformed),
        new("33 header members", now => Sign("{\"alg\":\"HS256\"" + string.Concat(Enumerable.Range(0, 32).Select(i => $",\"h{i}\":0")) + "}", Claims(now).ToString()), Malformed),

        // Subjects the issuer would never write, but a holder of the secret could: the signature is what counts
        new("sub that is not a UUID, signed with the right secret", now => Sign(Header, Claims(now).Set("sub", "\"admin\"").ToString()), Outcome.Ok),
        new("sub holding an escaped NUL, signed with the right secret", now => Sign(Header, Claims(now).Set("sub", "\"a\\u0000b\"").ToString()), Outcome.Ok),
    ];

    public static TheoryData<string> Names => [.. All.Select(c => c.Name)];

    public static HostileToken Get(string name) => All.Single(c => c.Name == name);

    /// <summary>A valid token at <paramref name="now"/>.</summary>
    public static string Good(DateTimeOffset now) => Sign(Header, Claims(now).ToString());

    private static string SwapHeader(string token, string header) => header + token[token.IndexOf('.', StringComparison.Ordinal)..];

    /// <summary>The header's base64url with its unused trailing bits set: the same bytes, a second spelling.</summary>
    private static string NonCanonical(string json)
    {
        var encoded = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
        Assert.NotEqual(0, encoded.Length % 4);
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return encoded[..^1] + Alphabet[Alphabet.IndexOf(encoded[^1], StringComparison.Ordinal) + 1];
    }

    private static JsonMembers ManyClaims(JsonMembers claims, int count)
    {
        for (var i = 0; i < count; i++)
        {
            claims.Add($"c{i}", "0");
        }

        return claims;
    }
}
