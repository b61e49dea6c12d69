using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests.Abuse;

/// <summary>
/// Builds compact tokens from raw JSON text or raw bytes, so a hostile case can hold exactly the bytes an attacker
/// would send: duplicated members, invalid UTF-8, numbers no JSON library would write.
/// </summary>
public static class RawJwt
{
    public const string Header = """{"alg":"HS256","typ":"JWT"}""";

    /// <summary>The JSON members of a valid session at <paramref name="now"/>, in the issuer's order, as raw JSON values.</summary>
    public static JsonMembers Claims(DateTimeOffset now) => new JsonMembers()
        .Set("iss", "\"session-server\"")
        .Set("aud", "\"user\"")
        .Set("sub", $"\"{TestTokens.UserId}\"")
        .Set("jti", $"\"{Guid.NewGuid():D}\"")
        .Set("iat", now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture))
        .Set("exp", (now + TimeSpan.FromHours(1)).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Signs UTF-8 header and payload text with <paramref name="algorithm"/> (HS256, HS384 or HS512).</summary>
    public static string Sign(string header, string payload, string algorithm = "HS256", string secret = SessionsHost.Secret) =>
        Sign(Encoding.UTF8.GetBytes(header), Encoding.UTF8.GetBytes(payload), algorithm, secret);

    /// <summary>Signs raw header and payload bytes, which need not be UTF-8 nor JSON.</summary>
    public static string Sign(byte[] header, byte[] payload, string algorithm = "HS256", string secret = SessionsHost.Secret)
    {
        var signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(payload);
        var key = Encoding.UTF8.GetBytes(secret);
        var data = Encoding.ASCII.GetBytes(signingInput);
        var signature = algorithm switch
        {
            "HS384" => HMACSHA384.HashData(key, data),
            "HS512" => HMACSHA512.HashData(key, data),
            _ => HMACSHA256.HashData(key, data),
        };
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>An unsigned token: header and payload segments and an empty signature.</summary>
    public static string Unsigned(string header, string payload) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header)) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload)) + ".";

    /// <summary>A JSON value nested <paramref name="depth"/> arrays deep.</summary>
    public static string Nested(int depth) => new string('[', depth) + new string(']', depth);
}

/// <summary>An ordered list of JSON object members whose values are raw JSON text; duplicates are allowed on purpose.</summary>
public sealed class JsonMembers
{
    private readonly List<(string Name, string Value)> _members = [];

    /// <summary>Replaces the first member called <paramref name="name"/>, or appends it.</summary>
    public JsonMembers Set(string name, string json)
    {
        var index = _members.FindIndex(m => m.Name == name);
        if (index < 0)
        {
            _members.Add((name, json));
        }
        else
        {
            _members[index] = (name, json);
        }

        return this;
    }

    /// <summary>Appends a member even when one of that name exists.</summary>
    public JsonMembers Add(string name, string json)
    {
        _members.Add((name, json));
        return this;
    }

    public JsonMembers Remove(string name)
    {
        _members.RemoveAll(m => m.Name == name);
        return this;
    }

    /// <summary>The object as JSON text; names are written as given (so they may hold escapes).</summary>
    public override string ToString() => "{" + string.Join(",", _members.Select(m => $"\"{m.Name}\":{m.Value}")) + "}";
}
