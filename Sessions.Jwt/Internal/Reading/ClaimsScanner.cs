using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Sessions.Jwt.Internal.Settings;

namespace Sessions.Jwt.Internal.Reading;

/// <summary>
/// One pass over a signed payload: registered claims checked for JSON type and uniqueness and recorded without
/// allocating; custom claims only counted and checked for duplicate names (their values are read on demand).
/// </summary>
internal static class ClaimsScanner
{
    private const int Issuer = 1, Audience = 2, Subject = 4, SessionId = 8, IssuedAt = 16, NotBefore = 32, ExpiresAt = 64;
    private const long MinSeconds = -62_135_596_800, MaxSeconds = 253_402_300_799;

    /// <exception cref="JsonException">The payload is not valid JSON.</exception>
    /// <exception cref="InvalidOperationException">A string escape decodes to invalid UTF-16.</exception>
    public static SessionFailureReason Scan(ReadOnlySpan<byte> payload, SessionTokenSettings settings, int maxCustomClaims, out ClaimsFound found)
    {
        found = default;
        return Scan(payload, settings, maxCustomClaims, seenBefore: 0, ref found);
    }

    /// <summary>
    /// Scans the custom claims that follow the registered ones already read by <see cref="CanonicalPayloadReader"/>:
    /// <paramref name="tail"/> is <c>{</c> followed by the rest of the payload. A registered name there is a duplicate.
    /// </summary>
    /// <exception cref="JsonException">The payload is not valid JSON.</exception>
    /// <exception cref="InvalidOperationException">A string escape decodes to invalid UTF-16.</exception>
    public static SessionFailureReason ScanTail(ReadOnlySpan<byte> tail, SessionTokenSettings settings, int maxCustomClaims, ref ClaimsFound found) =>
        Scan(tail, settings, maxCustomClaims, Issuer | Audience | Subject | SessionId | IssuedAt | NotBefore | ExpiresAt, ref found);

    private static SessionFailureReason Scan(ReadOnlySpan<byte> payload, SessionTokenSettings settings, int maxCustomClaims, int seenBefore, ref ClaimsFound found)
    {
        var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 64 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return SessionFailureReason.Malformed;
        }

        var seen = seenBefore;
        Span<int> names = stackalloc int[maxCustomClaims * 2];
        List<string>? escapedNames = null;
        var reason = SessionFailureReason.None;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var claim = Identify(ref reader);
            if (claim != 0)
            {
                if ((seen & claim) != 0)
                {
                    return SessionFailureReason.Malformed;
                }

                seen |= claim;
                reader.Read();
                if (!ReadRegistered(ref reader, claim, settings, ref found))
                {
                    // Keep reading: a duplicate or a syntax error later in the payload outranks a wrong type here.
                    reason = SessionFailureReason.InvalidClaims;
                    reader.Skip();
                }

                continue;
            }

            if (found.CustomClaims == maxCustomClaims)
            {
                return SessionFailureReason.InvalidClaims;
            }

            if (reader.ValueIsEscaped)
            {
                (escapedNames ??= []).Add(reader.GetString()!);
            }
            else
            {
                var name = reader.ValueSpan;
                var start = checked((int)reader.TokenStartIndex + 1);
                for (var i = 0; i < found.CustomClaims - (escapedNames?.Count ?? 0); i++)
                {
                    if (payload.Slice(names[2 * i], names[(2 * i) + 1]).SequenceEqual(name))
                    {
                        return SessionFailureReason.Malformed;
                    }
                }

                var index = found.CustomClaims - (escapedNames?.Count ?? 0);
                names[2 * index] = start;
                names[(2 * index) + 1] = name.Length;
            }

            found.CustomClaims++;
            reader.Read();
            JsonValueSkipper.Skip(ref reader);
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            return SessionFailureReason.Malformed;
        }

        if (escapedNames is not null && HasDuplicate(payload, names[..(2 * (found.CustomClaims - escapedNames.Count))], escapedNames))
        {
            return SessionFailureReason.Malformed;
        }

        if (reason != SessionFailureReason.None)
        {
            return reason;
        }

        const int Required = Subject | SessionId | IssuedAt | ExpiresAt;
        if ((seen & Required) != Required)
        {
            return SessionFailureReason.InvalidClaims;
        }

        // A session that starts after it ends is never valid; refusing it keeps the skew windows from overlapping.
        return found.HasNotBefore && found.NotBefore > found.ExpiresAt ? SessionFailureReason.InvalidClaims : SessionFailureReason.None;
    }

    private static int Identify(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            // The common case: plain three-letter names, told apart by one integer comparison.
            var name = reader.ValueSpan;
            if (name.Length != 3)
            {
                return 0;
            }

            return (name[0] | (name[1] << 8) | (name[2] << 16)) switch
            {
                'i' | ('s' << 8) | ('s' << 16) => Issuer,
                'a' | ('u' << 8) | ('d' << 16) => Audience,
                's' | ('u' << 8) | ('b' << 16) => Subject,
                'j' | ('t' << 8) | ('i' << 16) => SessionId,
                'i' | ('a' << 8) | ('t' << 16) => IssuedAt,
                'n' | ('b' << 8) | ('f' << 16) => NotBefore,
                'e' | ('x' << 8) | ('p' << 16) => ExpiresAt,
                _ => 0,
            };
        }

        // ValueTextEquals unescapes, so "\u0065xp" is recognised as "exp" and cannot slip past as a custom claim.
        if (reader.ValueTextEquals("iss"u8))
        {
            return Issuer;
        }

        if (reader.ValueTextEquals("aud"u8))
        {
            return Audience;
        }

        if (reader.ValueTextEquals("sub"u8))
        {
            return Subject;
        }

        if (reader.ValueTextEquals("jti"u8))
        {
            return SessionId;
        }

        if (reader.ValueTextEquals("iat"u8))
        {
            return IssuedAt;
        }

        if (reader.ValueTextEquals("nbf"u8))
        {
            return NotBefore;
        }

        return reader.ValueTextEquals("exp"u8) ? ExpiresAt : 0;
    }

    private static bool ReadRegistered(ref Utf8JsonReader reader, int claim, SessionTokenSettings settings, ref ClaimsFound found)
    {
        switch (claim)
        {
            case Issuer:
                if (reader.TokenType != JsonTokenType.String)
                {
                    return false;
                }

                found.IssuerMatches = reader.ValueIsEscaped ? EscapedTextEquals(ref reader, settings.IssuerUtf8) : reader.ValueSpan.SequenceEqual(settings.IssuerUtf8);
                return true;

            case Audience:
                return ReadAudience(ref reader, settings, ref found);

            case Subject:
                if (reader.TokenType != JsonTokenType.String || reader.ValueSpan.IsEmpty)
                {
                    return false;
                }

                if (reader.ValueIsEscaped)
                {
                    found.Subject = reader.GetString();
                }
                else
                {
                    found.SubjectStart = checked((int)reader.TokenStartIndex + 1);
                    found.SubjectLength = reader.ValueSpan.Length;
                }

                return true;

            case SessionId:
                return ReadSessionId(ref reader, ref found);

            case IssuedAt:
                return TryReadNumericDate(ref reader, out found.IssuedAt);

            case NotBefore:
                found.HasNotBefore = true;
                return TryReadNumericDate(ref reader, out found.NotBefore);

            default:
                return TryReadNumericDate(ref reader, out found.ExpiresAt);
        }
    }

    private static bool ReadAudience(ref Utf8JsonReader reader, SessionTokenSettings settings, ref ClaimsFound found)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            found.AudienceMatches = reader.ValueIsEscaped ? EscapedTextEquals(ref reader, settings.AudienceUtf8) : reader.ValueSpan.SequenceEqual(settings.AudienceUtf8);
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        // RFC 7519, section 4.1.3: an array of strings, one of which must name us.
        var allStrings = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                found.AudienceMatches |= reader.ValueIsEscaped ? EscapedTextEquals(ref reader, settings.AudienceUtf8) : reader.ValueSpan.SequenceEqual(settings.AudienceUtf8);
            }
            else
            {
                allStrings = false;
                reader.Skip();
            }
        }

        return allStrings;
    }

    /// <summary>
    /// Compares an escaped string with <paramref name="expected"/> by its meaning, after proving its escapes decode to
    /// valid UTF-16: <see cref="Utf8JsonReader.ValueTextEquals(ReadOnlySpan{byte})"/> decodes nothing when the lengths
    /// rule out a match, so a lone surrogate would otherwise be refused or accepted depending on the configured name.
    /// Allocates, for escaped iss and aud values only (our issuer writes none).
    /// </summary>
    /// <exception cref="InvalidOperationException">An escape decodes to invalid UTF-16.</exception>
    private static bool EscapedTextEquals(ref Utf8JsonReader reader, ReadOnlySpan<byte> expected)
    {
        JsonValueSkipper.Skip(ref reader);
        return reader.ValueTextEquals(expected);
    }

    private static bool ReadSessionId(ref Utf8JsonReader reader, ref ClaimsFound found)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueSpan.IsEmpty)
        {
            return false;
        }

        if (reader.ValueIsEscaped)
        {
            found.SessionId = reader.GetString();
            return true;
        }

        var value = reader.ValueSpan;

        if (LowerCaseUuid.TryParse(value, out var guid))
        {
            found.SessionIdIsGuid = true;
            found.SessionGuid = guid;
            return true;
        }

        found.SessionIdStart = checked((int)reader.TokenStartIndex + 1);
        found.SessionIdLength = value.Length;
        return true;
    }

    /// <summary>Reads a NumericDate (RFC 7519, section 2): seconds, possibly fractional, within the range of DateTimeOffset.</summary>
    private static bool TryReadNumericDate(ref Utf8JsonReader reader, out long milliseconds)
    {
        milliseconds = 0;
        if (reader.TokenType != JsonTokenType.Number)
        {
            return false;
        }

        if (reader.TryGetInt64(out var seconds))
        {
            if (seconds is < MinSeconds or > MaxSeconds)
            {
                return false;
            }

            milliseconds = seconds * 1000;
            return true;
        }

        if (reader.TryGetDouble(out var fractional) && double.IsFinite(fractional) && fractional >= MinSeconds && fractional <= MaxSeconds)
        {
            milliseconds = (long)Math.Floor(fractional * 1000);
            return true;
        }

        return false;
    }

    private static bool HasDuplicate(ReadOnlySpan<byte> payload, ReadOnlySpan<int> names, List<string> escapedNames)
    {
        var all = new HashSet<string>(escapedNames.Count + (names.Length / 2), StringComparer.Ordinal);
        foreach (var name in escapedNames)
        {
            if (!all.Add(name))
            {
                return true;
            }
        }

        for (var i = 0; i < names.Length; i += 2)
        {
            if (!all.Add(Encoding.UTF8.GetString(payload.Slice(names[i], names[i + 1]))))
            {
                return true;
            }
        }

        return false;
    }
}
