using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests.Abuse;

/// <summary>One hostile <c>Create</c> request and how the server must answer it.</summary>
public sealed record HostileCreate(string Name, Func<CreateRequest> Make, Outcome Expected);

/// <summary>The table of hostile <c>Create</c> requests: user ids that are not UUIDs, and custom claims abuse.</summary>
public static class HostileCreates
{
    private const string Uuid = TestTokens.UserId;
    private static readonly Outcome Refused = new(StatusCode.InvalidArgument);

    public static readonly IReadOnlyList<HostileCreate> All =
    [
        // user_id
        new("empty user_id", () => User(""), Refused),
        new("whitespace user_id", () => User("   "), Refused),
        new("user_id that is a name", () => User("admin"), Refused),
        new("user_id that is a number", () => User("12345"), Refused),
        new("user_id with a NUL after the UUID", () => User(Uuid + "\0"), Refused),
        new("user_id with a NUL inside the UUID", () => User(Uuid.Insert(8, "\0")), Refused),
        new("user_id that is a NUL", () => User("\0"), Refused),
        new("user_id as a URN", () => User("urn:uuid:" + Uuid), Refused),
        new("user_id with a JSON quote", () => User(Uuid + "\",\"sub\":\"admin"), Refused),
        new("user_id with a path", () => User("../../" + Uuid), Refused),
        new("user_id of 65 characters that Guid.TryParse would trim to a UUID", () => User(Uuid + new string(' ', 65 - Uuid.Length)), Refused),
        new("user_id of 100 KB", () => User(new string('9', 100 * 1024)), Refused),
        new("user_id of 10 MB", () => User(new string('9', 10 * 1024 * 1024)), new(StatusCode.ResourceExhausted)),
        new("user_id of 64 characters that Guid.TryParse trims to a UUID", () => User(Uuid + new string(' ', 64 - Uuid.Length)), Outcome.Ok),
        new("user_id in braces", () => User("{" + Uuid + "}"), Outcome.Ok),
        new("user_id in upper case", () => User(Uuid.ToUpperInvariant()), Outcome.Ok),
        new("nil UUID", () => User(Guid.Empty.ToString()), Outcome.Ok),

        // custom claims
        new("claim named sub", () => WithClaims(("sub", Text("00000000-0000-0000-0000-000000000000"))), Refused),
        new("claim named exp", () => WithClaims(("exp", new ClaimValue { IntegerValue = long.MaxValue })), Refused),
        new("claim named iss", () => WithClaims(("iss", Text("attacker"))), Refused),
        new("claim named aud", () => WithClaims(("aud", Text("admin"))), Refused),
        new("claim named jti", () => WithClaims(("jti", Text("fixed"))), Refused),
        new("claim named nbf", () => WithClaims(("nbf", new ClaimValue { IntegerValue = 0 })), Refused),
        new("claim named iat", () => WithClaims(("iat", new ClaimValue { IntegerValue = 0 })), Refused),
        new("33 claims", () => WithClaims([.. Enumerable.Range(0, 33).Select(i => ($"c{i}", Text("x")))]), Refused),
        new("32 claims", () => WithClaims([.. Enumerable.Range(0, 32).Select(i => ($"c{i}", Text("x")))]), Outcome.Ok),
        new("claim name of 65 characters", () => WithClaims((new string('n', 65), Text("x"))), Refused),
        new("claim name of 100 KB", () => WithClaims((new string('n', 100 * 1024), Text("x"))), Refused),
        new("claim name empty", () => WithClaims(("", Text("x"))), Refused),
        new("claim value of 5,000 bytes", () => WithClaims(("big", Text(new string('v', 5000)))), Refused),
        new("claim value of 100 KB", () => WithClaims(("big", Text(new string('v', 100 * 1024)))), Refused),
        new("claim without a value", () => WithClaims(("empty", new ClaimValue())), Refused),
        new("claim NaN", () => WithClaims(("n", new ClaimValue { NumberValue = double.NaN })), Refused),
        new("claim infinity", () => WithClaims(("n", new ClaimValue { NumberValue = double.PositiveInfinity })), Refused),
        new("claim json_value that is not JSON", () => WithClaims(("j", new ClaimValue { JsonValue = "{\"a\":" })), Refused),
        new("claim json_value with two values", () => WithClaims(("j", new ClaimValue { JsonValue = "1 2" })), Refused),
        new("claim json_value with a member name twice in one object", () => WithClaims(("j", new ClaimValue { JsonValue = """{"a":1,"a":2}""" })), Refused),
        new("claim json_value with a member name twice, one escaped, deep in an array", () => WithClaims(("j", new ClaimValue { JsonValue = """[{"x":{"a":1,"\u0061":2}}]""" })), Refused),
        new("claim json_value with one name in sibling objects is only data", () => WithClaims(("j", new ClaimValue { JsonValue = """[{"a":1},{"a":{"a":2}}]""" })), Outcome.Ok),
        new("claim json_value nested 63 deep is only data", () => WithClaims(("j", new ClaimValue { JsonValue = RawJwt.Nested(63) })), Outcome.Ok),
        new("claim json_value nested 64 deep", () => WithClaims(("j", new ClaimValue { JsonValue = RawJwt.Nested(64) })), Refused),
        new("claim json_value nested 1000 deep", () => WithClaims(("j", new ClaimValue { JsonValue = RawJwt.Nested(1000) })), Refused),
        new("claim json_value that breaks out of the payload", () => WithClaims(("j", new ClaimValue { JsonValue = "1},\"sub\":\"admin\",\"x\":{" })), Refused),
        new("claim name with a NUL is only data", () => WithClaims(("a\0b", Text("x"))), Outcome.Ok),
        new("claim value with a NUL is only data", () => WithClaims(("a", Text("x\0y"))), Outcome.Ok),
        new("claim name with JSON syntax is only data", () => WithClaims(("\",\"sub\":\"admin", Text("x"))), Outcome.Ok),
    ];

    public static TheoryData<string> Names => [.. All.Select(c => c.Name)];

    public static HostileCreate Get(string name) => All.Single(c => c.Name == name);

    private static CreateRequest User(string userId) => new() { UserId = userId };

    private static ClaimValue Text(string value) => new() { StringValue = value };

    private static CreateRequest WithClaims(params (string Name, ClaimValue Value)[] claims)
    {
        var request = User(Uuid);
        foreach (var (name, value) in claims)
        {
            request.Claims[name] = value;
        }

        return request;
    }
}
