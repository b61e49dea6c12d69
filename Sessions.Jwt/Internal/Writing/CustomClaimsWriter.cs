using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Sessions.Internal;
using Sessions.Jwt.Internal.Settings;

namespace Sessions.Jwt.Internal.Writing;

/// <summary>
/// Checks custom claims against the configured limits and writes them as JSON members (without braces), before
/// anything is signed. Plain ASCII names and strings are copied as they are; anything that needs escaping goes
/// through <see cref="JsonEncodedText"/>.
/// </summary>
internal static class CustomClaimsWriter
{
    [ThreadStatic]
    private static byte[]? t_buffer;

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

        var limit = settings.MaxCustomClaimsBytes;
        var buffer = t_buffer;
        if (buffer is null || buffer.Length < limit + 1)
        {
            buffer = t_buffer = new byte[limit + 1];
        }

        // One byte of room past the limit lets "exactly at the limit" and "over it" be told apart.
        var writer = new BoundedWriter(buffer.AsSpan(0, limit + 1));
        var first = true;
        foreach (var (name, value) in claims)
        {
            CheckName(name, settings);
            if (!first)
            {
                writer.Byte((byte)',');
            }

            first = false;
            writer.String(name);
            writer.Byte((byte)':');

            // Inlined, like the writer's methods, so that the writer stays in registers across the whole loop.
            WriteValue(ref writer, name, value);
            if (writer.Overflowed)
            {
                break;
            }
        }

        if (writer.Overflowed || writer.Length > limit)
        {
            throw new ArgumentException(
                $"The custom claims take more than {limit} bytes of JSON; at most {limit} are allowed (Sessions:MaxCustomClaimsBytes).",
                nameof(claims));
        }

        return buffer.AsSpan(0, writer.Length);
    }

    private static void CheckName(string name, SessionTokenSettings settings)
    {
        if (name.Length == 0)
        {
            throw new ArgumentException("A custom claim name must not be empty.", nameof(name));
        }

        // Characters as the client counts them (code points); never more of them than UTF-16 code units, so a name
        // within the limit in code units is not scanned.
        if (name.Length > settings.MaxClaimNameLength && CodePoints.Count(name) > settings.MaxClaimNameLength)
        {
            // Create answers with this message: the name is repeated only as EchoedName allows, so that a caller who
            // sent a secret as a claim name does not get it back.
            throw new ArgumentException(
                $"The custom {EchoedName.Describe("claim name", name)} is too long: at most {settings.MaxClaimNameLength} are allowed (Sessions:MaxClaimNameLength).",
                nameof(name));
        }

        if (SessionClaimNames.IsRegistered(name))
        {
            throw new ArgumentException(
                $"The claim '{name}' is registered and set by the issuer; it cannot be given as a custom claim.", nameof(name));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteValue(ref BoundedWriter writer, string name, SessionClaimValue value)
    {
        switch (value.Kind)
        {
            case SessionClaimKind.String:
                writer.String(value.AsString());
                break;
            case SessionClaimKind.Integer:
                writer.Integer(value.AsInteger());
                break;
            case SessionClaimKind.Number:
                writer.Number(value.AsNumber());
                break;
            case SessionClaimKind.Boolean:
                writer.Raw(value.AsBoolean() ? "true"u8 : "false"u8);
                break;
            case SessionClaimKind.StringArray:
                writer.Byte((byte)'[');
                var items = value.AsStrings();
                if (items is string[] array)
                {
                    // What the value holds: indexing the array directly spares an interface call per item.
                    for (var i = 0; i < array.Length; i++)
                    {
                        writer.Separator(i);
                        writer.String(array[i]);
                    }
                }
                else
                {
                    for (var i = 0; i < items.Count; i++)
                    {
                        writer.Separator(i);
                        writer.String(items[i]);
                    }
                }

                writer.Byte((byte)']');
                break;
            case SessionClaimKind.Json:
                writer.Raw(CompactJson(value.AsJson()));
                break;
            default:
                throw UnknownKind(name, value);
        }
    }

    /// <summary>A JSON claim value without its whitespace, so that whitespace does not count against the limit.</summary>
    // Validated as one JSON value when it was made. Out of line: the JSON kind is rare and its code large.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static byte[] CompactJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        var compact = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(compact))
        {
            document.RootElement.WriteTo(writer);
        }

        return compact.WrittenSpan.ToArray();
    }

    private static ArgumentException UnknownKind(string name, SessionClaimValue value) =>
        new($"The claim '{name}' has a value of unknown kind {value.Kind}.", nameof(value));

    /// <summary>Appends to a fixed span and remembers, instead of throwing, when it ran out of room.</summary>
    private ref struct BoundedWriter(Span<byte> destination)
    {
        private readonly Span<byte> _destination = destination;

        public int Length { get; private set; }

        public bool Overflowed { get; private set; }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Byte(byte value)
        {
            if (Length < _destination.Length)
            {
                _destination[Length++] = value;
            }
            else
            {
                Overflowed = true;
            }
        }

        /// <summary>The comma before every item of a list but the first.</summary>
        public void Separator(int index)
        {
            if (index > 0)
            {
                Byte((byte)',');
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Raw(ReadOnlySpan<byte> bytes)
        {
            if (bytes.TryCopyTo(_destination[Length..]))
            {
                Length += bytes.Length;
            }
            else
            {
                Overflowed = true;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void String(string text)
        {
            // Plain text is printable ASCII: one byte per character, checked and narrowed in one pass.
            var start = Length;
            if (start + text.Length + 2 <= _destination.Length && JsonText.TryCopyPlain(text, _destination[(start + 1)..]))
            {
                _destination[start] = (byte)'"';
                _destination[start + 1 + text.Length] = (byte)'"';
                Length = start + text.Length + 2;
                return;
            }

            StringNotCopied(text);
        }

        // Out of line: text that needs escaping is rare, and so is running out of room.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private void StringNotCopied(string text)
        {
            if (!JsonText.IsPlain(text))
            {
                // Escaping may allocate. Throws ArgumentException for invalid UTF-16 (a lone surrogate).
                Byte((byte)'"');
                Raw(JsonText.Escape(text));
                Byte((byte)'"');
                return;
            }

            Overflowed = true;
        }

        public void Integer(long value)
        {
            if (Utf8Formatter.TryFormat(value, _destination[Length..], out var written))
            {
                Length += written;
            }
            else
            {
                Overflowed = true;
            }
        }

        public void Number(double value)
        {
            // "R" round-trips and is valid JSON for every finite double (e.g. 0.25, 1E+300).
            if (value.TryFormat(_destination[Length..], out var written, "R", CultureInfo.InvariantCulture))
            {
                Length += written;
            }
            else
            {
                Overflowed = true;
            }
        }
    }
}
