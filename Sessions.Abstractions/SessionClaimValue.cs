using System.Globalization;
using System.Runtime.CompilerServices;

namespace Sessions;

/// <summary>
/// The value of a custom claim: a string, an integer, a number, a boolean or an array of strings.
/// </summary>
/// <remarks>
/// Values convert implicitly from the matching .NET types, so claims read naturally:
/// <c>claims["tenant"] = "acme"; claims["level"] = 2; claims["roles"] = new[] { "admin" };</c>
/// </remarks>
public readonly struct SessionClaimValue : IEquatable<SessionClaimValue>
{
    private readonly object? _reference;
    private readonly long _bits;

    // The deepest a claim value may nest: a token's payload is one JSON object read with a 64-level limit, so a claim
    // inside it has 63 levels. Equal limits mean every claim of an accepted token can be read, and every claim that
    // can be issued is accepted.
    private const int MaxJsonDepth = 63;

    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // A value is two words rather than three (a claim set of eight entries 64 bytes smaller): numbers and booleans keep
    // their kind's marker where a reference would be, and a JSON text is told from a string by its bits.
    private static readonly KindMarker IntegerMarker = new(SessionClaimKind.Integer);
    private static readonly KindMarker NumberMarker = new(SessionClaimKind.Number);
    private static readonly KindMarker BooleanMarker = new(SessionClaimKind.Boolean);
    private const long JsonBits = 1;

    private SessionClaimValue(SessionClaimKind kind, object? reference, long bits)
    {
        _reference = kind switch
        {
            SessionClaimKind.Integer => IntegerMarker,
            SessionClaimKind.Number => NumberMarker,
            SessionClaimKind.Boolean => BooleanMarker,
            _ => reference,
        };
        _bits = kind == SessionClaimKind.Json ? JsonBits : bits;
    }

    /// <summary>The JSON type of the value.</summary>
    public SessionClaimKind Kind
    {
        get
        {
            // Exact type comparisons: both classes are sealed, so neither needs the cast helpers an array type does.
            var reference = _reference;
            if (reference is KindMarker marker)
            {
                return marker.Kind;
            }

            // A string, or default(SessionClaimValue): a string without text. What is left is the string array.
            return reference is null || reference.GetType() == typeof(string)
                ? _bits == JsonBits ? SessionClaimKind.Json : SessionClaimKind.String
                : SessionClaimKind.StringArray;
        }
    }

    /// <summary>Creates a string value.</summary>
    /// <param name="value">The string.</param>
    /// <returns>The claim value.</returns>
    public static SessionClaimValue FromString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new SessionClaimValue(SessionClaimKind.String, value, 0);
    }

    /// <summary>Creates an integer value.</summary>
    /// <param name="value">The integer.</param>
    /// <returns>The claim value.</returns>
    public static SessionClaimValue FromInteger(long value) => new(SessionClaimKind.Integer, null, value);

    /// <summary>Creates a number value.</summary>
    /// <param name="value">The number; must be finite (JSON has no NaN or infinity).</param>
    /// <returns>The claim value.</returns>
    public static SessionClaimValue FromNumber(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A claim number must be finite: JSON has no NaN or infinity.");
        }

        return new SessionClaimValue(SessionClaimKind.Number, null, BitConverter.DoubleToInt64Bits(value));
    }

    /// <summary>Creates a boolean value.</summary>
    /// <param name="value">The boolean.</param>
    /// <returns>The claim value.</returns>
    public static SessionClaimValue FromBoolean(bool value) => new(SessionClaimKind.Boolean, null, value ? 1 : 0);

    /// <summary>Creates a string-array value.</summary>
    /// <param name="values">The strings; copied, so later changes to the array do not show.</param>
    /// <returns>The claim value.</returns>
    public static SessionClaimValue FromStrings(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);

        // A copy, so that the value cannot change behind the claim; an array (what the implicit conversion gets) is
        // copied as a span, without the enumerable's type tests.
        var copy = values.GetType() == typeof(string[]) ? Unsafe.As<string[]>(values).AsSpan().ToArray() : values.ToArray();
        foreach (var item in copy)
        {
            if (item is null)
            {
                throw new ArgumentException("A string-array claim cannot hold null.", nameof(values));
            }
        }

        return new SessionClaimValue(SessionClaimKind.StringArray, copy, 0);
    }

    /// <summary>Creates a value from JSON text, for claims that are none of the simple kinds.</summary>
    /// <param name="json">One complete JSON value (an object, an array, <c>null</c>...).</param>
    /// <returns>The claim value, of kind <see cref="SessionClaimKind.Json"/>.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="json"/> is not one complete JSON value, nests deeper than 63 levels, holds an object with a
    /// member name twice, or holds half of a UTF-16 surrogate pair (as a character or as a <c>\u</c> escape).
    /// </exception>
    public static SessionClaimValue FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            // Reading to the end refuses a second value and anything after the first. The text is encoded strictly, so
            // that half a surrogate pair is refused rather than read as U+FFFD; an escaped string is decoded, so that a
            // \u escape of half a pair is too: a token holding either would be refused by every strict reader, ours first.
            var reader = new System.Text.Json.Utf8JsonReader(StrictUtf8.GetBytes(json), new System.Text.Json.JsonReaderOptions { MaxDepth = MaxJsonDepth });
            var names = default(Internal.UniqueMemberNames);
            while (reader.Read())
            {
                names.Observe(ref reader);
                if (reader.TokenType == System.Text.Json.JsonTokenType.String && reader.ValueIsEscaped)
                {
                    _ = reader.GetString();
                }
            }
        }
        catch (System.Text.EncoderFallbackException exception)
        {
            throw new ArgumentException("The claim JSON is not valid text: it holds half of a UTF-16 surrogate pair.", nameof(json), exception);
        }
        catch (System.Text.Json.JsonException exception)
        {
            throw new ArgumentException($"The claim JSON is not valid JSON (or nests deeper than {MaxJsonDepth} levels): " + exception.Message, nameof(json), exception);
        }
        catch (InvalidOperationException exception)
        {
            // A member name or string whose escapes decode to invalid UTF-16 (a lone surrogate).
            throw new ArgumentException("The claim JSON is not valid JSON: " + exception.Message, nameof(json), exception);
        }

        return new SessionClaimValue(SessionClaimKind.Json, json, 0);
    }

    // A string value's text. default(SessionClaimValue) is a string (kind 0) without one: it reads as the empty
    // string, so that a value nobody set never turns into a null where a string is promised.
    private string Text => (string?)_reference ?? string.Empty;

    /// <summary>The JSON text; throws unless <see cref="Kind"/> is <see cref="SessionClaimKind.Json"/>.</summary>
    /// <returns>The JSON text of the value.</returns>
    public string AsJson() => Kind == SessionClaimKind.Json ? (string)_reference! : throw WrongKind(SessionClaimKind.Json);

    /// <summary>The string; throws unless <see cref="Kind"/> is <see cref="SessionClaimKind.String"/>.</summary>
    /// <returns>The string value.</returns>
    public string AsString() => Kind == SessionClaimKind.String ? Text : throw WrongKind(SessionClaimKind.String);

    /// <summary>The integer; throws unless <see cref="Kind"/> is <see cref="SessionClaimKind.Integer"/>.</summary>
    /// <returns>The integer value.</returns>
    public long AsInteger() => Kind == SessionClaimKind.Integer ? _bits : throw WrongKind(SessionClaimKind.Integer);

    /// <summary>
    /// The value as a double; works for <see cref="SessionClaimKind.Number"/> and <see cref="SessionClaimKind.Integer"/>.
    /// </summary>
    /// <returns>The numeric value.</returns>
    public double AsNumber() => Kind switch
    {
        SessionClaimKind.Number => BitConverter.Int64BitsToDouble(_bits),
        SessionClaimKind.Integer => _bits,
        _ => throw WrongKind(SessionClaimKind.Number),
    };

    /// <summary>The boolean; throws unless <see cref="Kind"/> is <see cref="SessionClaimKind.Boolean"/>.</summary>
    /// <returns>The boolean value.</returns>
    public bool AsBoolean() => Kind == SessionClaimKind.Boolean ? _bits != 0 : throw WrongKind(SessionClaimKind.Boolean);

    /// <summary>The strings; throws unless <see cref="Kind"/> is <see cref="SessionClaimKind.StringArray"/>.</summary>
    /// <returns>The string-array value.</returns>
    public IReadOnlyList<string> AsStrings() => Kind == SessionClaimKind.StringArray ? (string[])_reference! : throw WrongKind(SessionClaimKind.StringArray);

    /// <summary>
    /// Whether the value is <paramref name="text"/> (a string) or contains it (a string array), ordinally.
    /// </summary>
    /// <param name="text">The string to look for.</param>
    /// <returns><see langword="true"/> when found.</returns>
    public bool Contains(string text) => Kind switch
    {
        SessionClaimKind.String => string.Equals(Text, text, StringComparison.Ordinal),
        SessionClaimKind.StringArray => Array.IndexOf((string[])_reference!, text) >= 0,
        _ => false,
    };

    /// <summary>Converts a string.</summary>
    /// <param name="value">The string.</param>
    public static implicit operator SessionClaimValue(string value) => FromString(value);

    /// <summary>Converts an integer.</summary>
    /// <param name="value">The integer.</param>
    public static implicit operator SessionClaimValue(long value) => FromInteger(value);

    /// <summary>Converts a number.</summary>
    /// <param name="value">The number.</param>
    public static implicit operator SessionClaimValue(double value) => FromNumber(value);

    /// <summary>Converts a boolean.</summary>
    /// <param name="value">The boolean.</param>
    public static implicit operator SessionClaimValue(bool value) => FromBoolean(value);

    /// <summary>Converts a string array.</summary>
    /// <param name="values">The strings.</param>
    public static implicit operator SessionClaimValue(string[] values) => FromStrings(values);

    /// <inheritdoc/>
    public bool Equals(SessionClaimValue other)
    {
        if (Kind != other.Kind)
        {
            return false;
        }

        return Kind switch
        {
            SessionClaimKind.String or SessionClaimKind.Json => string.Equals(Text, other.Text, StringComparison.Ordinal),
            SessionClaimKind.StringArray => ((string[]?)_reference ?? []).AsSpan().SequenceEqual((string[]?)other._reference ?? []),
            _ => _bits == other._bits,
        };
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SessionClaimValue other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        switch (Kind)
        {
            case SessionClaimKind.String:
            case SessionClaimKind.Json:
                return HashCode.Combine(Kind, Text.GetHashCode(StringComparison.Ordinal));
            case SessionClaimKind.StringArray:
                var hash = new HashCode();
                hash.Add(Kind);
                foreach (var item in (string[]?)_reference ?? [])
                {
                    hash.Add(item, StringComparer.Ordinal);
                }

                return hash.ToHashCode();
            default:
                return HashCode.Combine(Kind, _bits);
        }
    }

    /// <summary>Compares two values for equality.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when both have the same kind and value.</returns>
    public static bool operator ==(SessionClaimValue left, SessionClaimValue right) => left.Equals(right);

    /// <summary>Compares two values for inequality.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(SessionClaimValue left, SessionClaimValue right) => !left.Equals(right);

    /// <summary>The value as text: strings as they are, numbers in invariant culture, arrays comma-separated.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Kind switch
    {
        SessionClaimKind.String or SessionClaimKind.Json => Text,
        SessionClaimKind.Integer => _bits.ToString(CultureInfo.InvariantCulture),
        SessionClaimKind.Number => BitConverter.Int64BitsToDouble(_bits).ToString("R", CultureInfo.InvariantCulture),
        SessionClaimKind.Boolean => _bits != 0 ? "true" : "false",
        SessionClaimKind.StringArray => string.Join(",", (string[])_reference!),
        _ => string.Empty,
    };

    private InvalidOperationException WrongKind(SessionClaimKind wanted) =>
        new($"The claim value is a {Kind}, not a {wanted}.");

    private sealed class KindMarker(SessionClaimKind kind)
    {
        public SessionClaimKind Kind { get; } = kind;
    }
}
