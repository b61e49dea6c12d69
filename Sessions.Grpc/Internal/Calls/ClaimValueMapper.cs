using Google.Protobuf.Collections;
using Grpc.Core;
using Sessions.Grpc.Protocol;
using Sessions.Internal;

namespace Sessions.Grpc.Internal.Calls;

/// <summary>Translates custom claims between protobuf <see cref="ClaimValue"/> and <see cref="SessionClaimValue"/>.</summary>
internal static class ClaimValueMapper
{
    /// <summary>Reads the request's claims; <see langword="null"/> when there are none.</summary>
    /// <exception cref="RpcException"><see cref="StatusCode.InvalidArgument"/> for a claim without a value or a non-finite number.</exception>
    public static SessionClaims? FromRequest(MapField<string, ClaimValue> claims)
    {
        if (claims.Count == 0)
        {
            return null;
        }

        var result = new SessionClaims();
        foreach (var (name, value) in claims)
        {
            result[name] = value.KindCase switch
            {
                ClaimValue.KindOneofCase.StringValue => value.StringValue,
                ClaimValue.KindOneofCase.IntegerValue => value.IntegerValue,
                ClaimValue.KindOneofCase.NumberValue when double.IsFinite(value.NumberValue) => value.NumberValue,
                ClaimValue.KindOneofCase.BoolValue => value.BoolValue,
                ClaimValue.KindOneofCase.StringsValue => SessionClaimValue.FromStrings(value.StringsValue.Values),
                ClaimValue.KindOneofCase.JsonValue => FromJson(name, value.JsonValue),
                ClaimValue.KindOneofCase.NumberValue => throw Invalid($"{Claim(name)} is not a finite number."),
                _ => throw Invalid($"{Claim(name)} has no value: set one of string_value, integer_value, number_value, bool_value, strings_value, json_value."),
            };
        }

        return result;
    }

    /// <summary>Copies <paramref name="claims"/> into the reply's map.</summary>
    public static void ToReply(SessionClaims claims, MapField<string, ClaimValue> reply)
    {
        foreach (var (name, value) in claims)
        {
            reply[name] = ToProto(value);
        }
    }

    private static ClaimValue ToProto(SessionClaimValue value)
    {
        var proto = new ClaimValue();
        switch (value.Kind)
        {
            case SessionClaimKind.String:
                proto.StringValue = value.AsString();
                break;
            case SessionClaimKind.Integer:
                proto.IntegerValue = value.AsInteger();
                break;
            case SessionClaimKind.Number:
                proto.NumberValue = value.AsNumber();
                break;
            case SessionClaimKind.Boolean:
                proto.BoolValue = value.AsBoolean();
                break;
            case SessionClaimKind.StringArray:
                proto.StringsValue = new StringList();
                proto.StringsValue.Values.AddRange(value.AsStrings());
                break;
            default:
                proto.JsonValue = value.AsJson();
                break;
        }

        return proto;
    }

    private static SessionClaimValue FromJson(string name, string json)
    {
        try
        {
            return SessionClaimValue.FromJson(json);
        }
        catch (ArgumentException)
        {
            throw Invalid($"{Claim(name)} json_value is not one valid JSON value (at most 63 levels deep, each object's member names unique).");
        }
    }

    // claim 'tenant', or claim of 64 characters for a name EchoedName does not repeat (a secret sent as a claim name).
    private static string Claim(string name) => EchoedName.Describe("claim", name);

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));
}
