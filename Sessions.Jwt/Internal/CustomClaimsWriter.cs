using System.Buffers;
using System.Text.Json;

namespace Sessions.Jwt.Internal;

/// <summary>
/// Checks custom claims against the configured limits and writes them as JSON members (without braces), before
/// anything is signed.
/// </summary>
internal static class CustomClaimsWriter
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>
    /// Writes <paramref name="claims"/> as <c>"name":value,...</c> and returns the bytes, valid until the next call on
    /// this thread.
    /// </summary>
    /// <exception cref="ArgumentException">A claim breaks a limit or names a registered claim.</exception>
    public static ReadOnlySpan<byte> Write(SessionClaims claims, SessionTokenSettings settings)
    {
        if (claims.Count > settings.MaxCustomClaims)
        {
            throw new ArgumentException(
                $"A session may carry at most {settings.MaxCustomClaims} custom claims; {claims.Count} were given.", nameof(claims));
        }

        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        var writer = t_writer;
        if (writer is null)
        {
            writer = t_writer = new Utf8JsonWriter(buffer);
        }
        else
        {
            writer.Reset(buffer);
        }

        writer.WriteStartObject();
        foreach (var (name, value) in claims)
        {
            CheckName(name, settings);
            writer.WritePropertyName(name);
            WriteValue(writer, name, value);
        }

        writer.WriteEndObject();
        writer.Flush();

        // Drop the braces: the members are spliced into the payload after the registered claims.
        var members = buffer.WrittenSpan[1..^1];
        if (members.Length > settings.MaxCustomClaimsBytes)
        {
            throw new ArgumentException(
                $"The custom claims take {members.Length} bytes of JSON; at most {settings.MaxCustomClaimsBytes} are allowed (Sessions:MaxCustomClaimsBytes).",
                nameof(claims));
        }

        return members;
    }

    private static void CheckName(string name, SessionTokenSettings settings)
    {
        if (name.Length == 0)
        {
            throw new ArgumentException("A custom claim name must not be empty.", nameof(name));
        }

        if (name.Length > settings.MaxClaimNameLength)
        {
            throw new ArgumentException(
                $"The custom claim name '{name[..Math.Min(name.Length, 32)]}…' is {name.Length} characters; at most {settings.MaxClaimNameLength} are allowed (Sessions:MaxClaimNameLength).",
                nameof(name));
        }

        if (SessionClaimNames.IsRegistered(name))
        {
            throw new ArgumentException(
                $"The claim '{name}' is registered and set by the issuer; it cannot be given as a custom claim.", nameof(name));
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, string name, SessionClaimValue value)
    {
        switch (value.Kind)
        {
            case SessionClaimKind.String:
                writer.WriteStringValue(value.AsString());
                break;
            case SessionClaimKind.Integer:
                writer.WriteNumberValue(value.AsInteger());
                break;
            case SessionClaimKind.Number:
                writer.WriteNumberValue(value.AsNumber());
                break;
            case SessionClaimKind.Boolean:
                writer.WriteBooleanValue(value.AsBoolean());
                break;
            case SessionClaimKind.StringArray:
                writer.WriteStartArray();
                foreach (var item in value.AsStrings())
                {
                    writer.WriteStringValue(item);
                }

                writer.WriteEndArray();
                break;
            case SessionClaimKind.Json:
                writer.WriteRawValue(value.AsJson(), skipInputValidation: false);
                break;
            default:
                throw new ArgumentException($"The claim '{name}' has a value of unknown kind {value.Kind}.", nameof(value));
        }
    }
}
