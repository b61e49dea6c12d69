using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Sessions.Jwt.Tests.Differential;

/// <summary>A valid token and the library that wrote it.</summary>
internal sealed record BaseToken(string Library, string Token);

/// <summary>A token derived from a <see cref="BaseToken"/> by one named mutation, and its deliberate-difference class.</summary>
internal sealed record MutatedToken(string Library, string Kind, string Detail, string Token, KnownDifference Difference)
{
    public override string ToString() => $"[{Library}] {Kind} ({Detail}) class={Difference} token={Token}";
}

/// <summary>
/// Derives tokens from valid ones with seeded, named mutations. Mutations of the JSON are re-signed with the right
/// secret so validation reaches the claims; mutations of the encoded token are not, so signature checking is
/// exercised. Each mutation states its <see cref="KnownDifference"/> from what it changed, never from any verdict.
/// </summary>
internal sealed class TokenMutator
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private const int MaxTokenLength = 8192;
    private const int MaxCustomClaims = 256;

    /// <summary>NumericDate range our reader accepts: that of DateTimeOffset.</summary>
    private const long MinSeconds = -62_135_596_800, MaxSeconds = 253_402_300_799;

    private static readonly string[] RegisteredClaims = ["iss", "aud", "sub", "jti", "iat", "nbf", "exp"];

    private readonly byte[] _secret;
    private readonly long _now;
    private readonly int _skew;
    private readonly (string Kind, Func<Random, Parts, (string Token, string Detail, KnownDifference Difference)> Apply)[] _mutations;

    public TokenMutator(byte[] secret, long nowSeconds, int skewSeconds)
    {
        _secret = secret;
        _now = nowSeconds;
        _skew = skewSeconds;
        _mutations =
        [
            // The encoded token, not re-signed.
            (nameof(ReplaceChar), ReplaceChar),
            (nameof(FlipCharBit), FlipCharBit),
            (nameof(Truncate), Truncate),
            (nameof(ExtraSegments), ExtraSegments),
            (nameof(Padding), Padding),
            (nameof(InsertWhitespace), InsertWhitespace),
            (nameof(InsertNonAscii), InsertNonAscii),
            (nameof(ForeignSignature), ForeignSignature),
            (nameof(AlgNone), AlgNone),

            // The header, re-signed.
            (nameof(HeaderAlg), HeaderAlg),
            (nameof(HeaderTyp), HeaderTyp),
            (nameof(HeaderCrit), HeaderCrit),
            (nameof(HeaderKid), HeaderKid),
            (nameof(HeaderDuplicate), HeaderDuplicate),
            (nameof(HeaderEscapedName), HeaderEscapedName),
            (nameof(HeaderExtraMembers), HeaderExtraMembers),
            (nameof(HeaderWhitespace), HeaderWhitespace),
            (nameof(HeaderNotObject), HeaderNotObject),
            (nameof(NonCanonicalSegment), NonCanonicalSegment),

            // The payload, re-signed.
            (nameof(ClaimWrongType), ClaimWrongType),
            (nameof(ClaimMissing), ClaimMissing),
            (nameof(ClaimEmpty), ClaimEmpty),
            (nameof(ClaimDuplicate), ClaimDuplicate),
            (nameof(ClaimEscapedName), ClaimEscapedName),
            (nameof(PayloadWhitespace), PayloadWhitespace),
            (nameof(NonAsciiClaims), NonAsciiClaims),
            (nameof(InvalidUtf8), InvalidUtf8),
            (nameof(LoneSurrogate), LoneSurrogate),
            (nameof(HugeNumber), HugeNumber),
            (nameof(NumberSpelling), NumberSpelling),
            (nameof(TimeShift), TimeShift),
            (nameof(NestedJson), NestedJson),
            (nameof(ManyClaims), ManyClaims),
            (nameof(LargeClaim), LargeClaim),
            (nameof(PayloadNotObject), PayloadNotObject),
            (nameof(IssuerVariant), IssuerVariant),
            (nameof(AudienceVariant), AudienceVariant),
            (nameof(CustomClaims), CustomClaims),
        ];
    }

    public static MutatedToken Unchanged(BaseToken baseToken) => new(baseToken.Library, "Unchanged", "as issued", baseToken.Token, KnownDifference.None);

    public MutatedToken Mutate(Random rng, BaseToken baseToken, BaseToken other)
    {
        var (kind, apply) = _mutations[rng.Next(_mutations.Length)];
        var parts = new Parts(baseToken.Token, other.Token);
        var (token, detail, difference) = apply(rng, parts);
        return new MutatedToken(baseToken.Library, kind, detail, token, difference);
    }

    /// <summary>The segments of a base token, decoded.</summary>
    private sealed class Parts
    {
        public Parts(string token, string other)
        {
            Token = token;
            Other = other;
            Segments = token.Split('.');
            Header = JsonMembers.Parse(Base64Url.DecodeFromChars(Segments[0]));
            Payload = JsonMembers.Parse(Base64Url.DecodeFromChars(Segments[1]));
        }

        public string Token { get; }

        public string Other { get; }

        public string[] Segments { get; }

        public JsonMembers Header { get; }

        public JsonMembers Payload { get; }
    }

    private static T Pick<T>(Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];

    private string Sign(string headerJson, string payloadJson) => SignRaw(Encoding.UTF8.GetBytes(headerJson), Encoding.UTF8.GetBytes(payloadJson));

    private string SignRaw(byte[] header, byte[] payload) => TestTokens.SignRaw(header, payload, _secret, HashAlgorithmName.SHA256);

    private string SignSegments(string header, string payload)
    {
        var input = header + "." + payload;
        return input + "." + Base64Url.EncodeToString(HMACSHA256.HashData(_secret, Encoding.ASCII.GetBytes(input)));
    }

    private string WithHeader(Parts parts, JsonMembers header) => Sign(header.ToJson(), parts.Payload.ToJson());

    private string WithPayload(Parts parts, JsonMembers payload) => Sign(parts.Header.ToJson(), payload.ToJson());

    private static string Quote(string text) => "\"" + text + "\"";

    // ---- The encoded token, not re-signed ----

    /// <summary>
    /// Whether replacing the last character of the signature changes only its unused trailing bits (43 characters
    /// carry 258 bits for a 256-bit MAC), so a lenient decoder reads the same MAC.
    /// </summary>
    private static bool SameMac(Parts parts, int segment, int position, char replacement) =>
        segment == 2 && position == parts.Segments[2].Length - 1 && Alphabet.Contains(replacement, StringComparison.Ordinal) &&
        (Alphabet.IndexOf(replacement, StringComparison.Ordinal) >> 2) == (Alphabet.IndexOf(parts.Segments[2][^1], StringComparison.Ordinal) >> 2);

    private (string, string, KnownDifference) ReplaceCharAt(Parts parts, int segment, int position, char replacement)
    {
        var segments = (string[])parts.Segments.Clone();
        var chars = segments[segment].ToCharArray();
        var old = chars[position];
        chars[position] = replacement;
        segments[segment] = new string(chars);
        var difference = SameMac(parts, segment, position, replacement) ? KnownDifference.NonCanonicalBase64 : KnownDifference.None;
        return (string.Join('.', segments), $"segment {segment} char {position} '{old}'→U+{(int)replacement:X4}", difference);
    }

    private (string, string, KnownDifference) ReplaceChar(Random rng, Parts parts)
    {
        var segment = rng.Next(3);
        // Favour the last character of the signature: it is where lenient decoders differ.
        var position = segment == 2 && rng.Next(3) == 0 ? parts.Segments[2].Length - 1 : rng.Next(parts.Segments[segment].Length);
        char replacement;
        do
        {
            replacement = Alphabet[rng.Next(Alphabet.Length)];
        }
        while (replacement == parts.Segments[segment][position]);

        return ReplaceCharAt(parts, segment, position, replacement);
    }

    private (string, string, KnownDifference) FlipCharBit(Random rng, Parts parts)
    {
        var segment = rng.Next(3);
        var position = rng.Next(parts.Segments[segment].Length);
        var replacement = (char)(parts.Segments[segment][position] ^ (1 << rng.Next(7)));
        return ReplaceCharAt(parts, segment, position, replacement);
    }

    private (string, string, KnownDifference) Truncate(Random rng, Parts parts)
    {
        var length = rng.Next(3) == 0 ? parts.Token.Length - 1 - rng.Next(4) : rng.Next(parts.Token.Length);
        return (parts.Token[..length], $"first {length} of {parts.Token.Length} chars", KnownDifference.None);
    }

    private (string, string, KnownDifference) ExtraSegments(Random rng, Parts parts)
    {
        var extra = string.Concat(Enumerable.Range(0, rng.Next(1, 3)).Select(_ => "." + RandomBase64Url(rng, rng.Next(0, 60))));
        return rng.Next(2) == 0
            ? (parts.Token + extra, $"appended '{extra}'", KnownDifference.None)
            : (parts.Segments[0] + "." + parts.Segments[1] + extra + "." + parts.Segments[2], $"inserted '{extra}' before the signature", KnownDifference.None);
    }

    private static string RandomBase64Url(Random rng, int length) =>
        string.Create(length, rng, static (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[r.Next(Alphabet.Length)];
            }
        });

    private (string, string, KnownDifference) Padding(Random rng, Parts parts)
    {
        var segment = rng.Next(3);
        var padding = rng.Next(2) == 0 ? "=" : "==";
        var segments = (string[])parts.Segments.Clone();
        segments[segment] += padding;
        // Padding on the signature does not change the MAC a lenient decoder reads; on the other segments it changes
        // the signing input, so both must refuse.
        var difference = segment == 2 ? KnownDifference.NonCanonicalBase64 : KnownDifference.None;
        return (string.Join('.', segments), $"'{padding}' after segment {segment}", difference);
    }

    private (string, string, KnownDifference) InsertWhitespace(Random rng, Parts parts)
    {
        var position = rng.Next(4) switch { 0 => 0, 1 => parts.Token.Length, _ => rng.Next(parts.Token.Length + 1) };
        var whitespace = Pick(rng, [" ", "\t", "\n", "\r\n", "\u00A0", "\u2028"]);
        return (parts.Token.Insert(position, whitespace), $"U+{(int)whitespace[0]:X4} at {position}", KnownDifference.None);
    }

    private (string, string, KnownDifference) InsertNonAscii(Random rng, Parts parts)
    {
        var position = rng.Next(parts.Token.Length + 1);
        var text = Pick(rng, ["é", "ё", "日本", "\U0001F600", "\0", "\uFEFF", "ı", "Ａ", "\uD800"]);
        return (parts.Token.Insert(position, text), $"U+{(int)text[0]:X4} at {position}", KnownDifference.None);
    }

    private (string, string, KnownDifference) ForeignSignature(Random rng, Parts parts)
    {
        var otherSignature = parts.Other[(parts.Other.LastIndexOf('.') + 1)..];
        if (otherSignature == parts.Segments[2] || rng.Next(2) == 0)
        {
            var wrong = Encoding.UTF8.GetBytes("another-secret-that-is-also-long-enough-" + rng.Next(100));
            var input = parts.Segments[0] + "." + parts.Segments[1];
            var mac = Base64Url.EncodeToString(HMACSHA256.HashData(wrong, Encoding.ASCII.GetBytes(input)));
            return (input + "." + mac, "signed with another secret", KnownDifference.None);
        }

        return (parts.Segments[0] + "." + parts.Segments[1] + "." + otherSignature, "signature of another token", KnownDifference.None);
    }

    private (string, string, KnownDifference) AlgNone(Random rng, Parts parts)
    {
        var header = TestTokens.Segment(Pick(rng, ["""{"alg":"none"}""", """{"alg":"none","typ":"JWT"}""", """{"alg":"None"}"""]));
        var signature = rng.Next(2) == 0 ? string.Empty : parts.Segments[2];
        return (header + "." + parts.Segments[1] + "." + signature, signature.Length == 0 ? "alg none, empty signature" : "alg none, old signature", KnownDifference.None);
    }

    // ---- The header, re-signed ----

    private (string, string, KnownDifference) HeaderAlg(Random rng, Parts parts)
    {
        var alg = Pick(rng, ["\"HS384\"", "\"HS512\"", "\"none\"", "\"RS256\"", "\"hs256\"", "\"HS256 \"", "\"\"", "256", "null", "[\"HS256\"]", "\"HS256\"", "\"HS\\u0032\\u00356\""]);
        if (rng.Next(4) == 0)
        {
            return (WithHeader(parts, parts.Header.Without("alg")), "alg removed", KnownDifference.None);
        }

        return (WithHeader(parts, parts.Header.With("alg", alg)), $"alg {alg}", KnownDifference.None);
    }

    private (string, string, KnownDifference) HeaderTyp(Random rng, Parts parts)
    {
        if (rng.Next(4) == 0)
        {
            return (WithHeader(parts, parts.Header.Without("typ")), "typ removed", KnownDifference.None);
        }

        var typ = Pick(rng, ["\"JWT\"", "\"jwt\"", "\"Jwt\"", "\"at+jwt\"", "\"JWS\"", "\"\"", "1", "null", "[\"JWT\"]", "\"J\\u0057T\"", "\"application/jwt\""]);
        var isJwt = typ is "\"JWT\"" or "\"jwt\"" or "\"Jwt\"" or "\"J\\u0057T\"";
        return (WithHeader(parts, parts.Header.With("typ", typ)), $"typ {typ}", isJwt ? KnownDifference.None : KnownDifference.TokenType);
    }

    private (string, string, KnownDifference) HeaderCrit(Random rng, Parts parts)
    {
        var crit = Pick(rng, ["[\"exp\"]", "[\"b64\"]", "[]", "\"exp\"", "[\"kid\"]", "null"]);
        return (WithHeader(parts, parts.Header.With("crit", crit)), $"crit {crit}", KnownDifference.UnknownCrit);
    }

    private (string, string, KnownDifference) HeaderKid(Random rng, Parts parts)
    {
        var kid = Pick(rng, ["\"k1\"", "\"\"", "\"0\"", "7", "null"]);
        return (WithHeader(parts, parts.Header.With("kid", kid)), $"kid {kid}", KnownDifference.KeyId);
    }

    private (string, string, KnownDifference) HeaderDuplicate(Random rng, Parts parts)
    {
        var member = Pick(rng, parts.Header.Items);
        var value = rng.Next(2) == 0 ? member.Value : Pick(rng, ["\"HS256\"", "\"JWT\"", "\"none\""]);
        return (WithHeader(parts, parts.Header.Append(member.Key, value)), $"{member.Key} again as {value}", KnownDifference.DuplicateNames);
    }

    private static string EscapeOne(Random rng, string name)
    {
        var i = rng.Next(name.Length);
        return name[..i] + "\\u" + ((int)name[i]).ToString("x4", CultureInfo.InvariantCulture) + name[(i + 1)..];
    }

    private (string, string, KnownDifference) HeaderEscapedName(Random rng, Parts parts)
    {
        var index = rng.Next(parts.Header.Items.Count);
        var escaped = EscapeOne(rng, parts.Header.Items[index].Key);
        return (WithHeader(parts, parts.Header.Rename(index, escaped)), $"name {escaped}", KnownDifference.EscapedHeaderName);
    }

    private (string, string, KnownDifference) HeaderExtraMembers(Random rng, Parts parts)
    {
        var (name, value) = Pick(rng, [
            ("jku", "\"https://attacker.example/jwks\""), ("x5u", "\"https://attacker.example/x5u\""),
            ("jwk", "{\"kty\":\"oct\",\"k\":\"AAAA\"}"), ("cty", "\"JWT\""), ("custom", "[1,{\"a\":[null,true]},\"x\"]"),
            ("zip", "\"DEF\""), ("x5t", "\"abc\""), ("enc", "\"A128GCM\"")]);
        return (WithHeader(parts, parts.Header.With(name, value)), $"{name}: {value}", KnownDifference.None);
    }

    private static string RandomWhitespace(Random rng) => Pick(rng, ["", " ", "\t", "\n", "\r\n", "  \n\t "]);

    private (string, string, KnownDifference) HeaderWhitespace(Random rng, Parts parts)
    {
        var space = RandomWhitespace(rng) + " ";
        var json = space + parts.Header.ToJson(space + "," + space, space + ":" + space, "{" + space, space + "}") + space;
        return (Sign(json, parts.Payload.ToJson()), "whitespace around every token", KnownDifference.None);
    }

    private (string, string, KnownDifference) HeaderNotObject(Random rng, Parts parts)
    {
        var json = parts.Header.ToJson();
        var trailing = new[] { json + " x", json + "{}", json + "\0" };
        var header = Pick(rng, ["[]", "null", "\"HS256\"", "{", "{}", json[..^1] + ",}", "[" + json + "]", json[..^1], "/*c*/" + json, .. trailing]);
        var difference = trailing.Contains(header) ? KnownDifference.TrailingData : KnownDifference.None;
        return (Sign(header, parts.Payload.ToJson()), $"header {header}", difference);
    }

    private (string, string, KnownDifference) NonCanonicalSegment(Random rng, Parts parts)
    {
        var segments = new[] { parts.Segments[0], parts.Segments[1] };
        var which = rng.Next(2);
        var segment = segments[which];
        if (rng.Next(3) == 0 || segment.Length % 4 == 0)
        {
            segments[which] = segment + new string('=', (4 - (segment.Length % 4)) % 4 is 0 ? 1 : (4 - (segment.Length % 4)) % 4);
            return (SignSegments(segments[0], segments[1]), $"segment {which} padded", KnownDifference.NonCanonicalBase64);
        }

        var unusedBits = segment.Length % 4 == 2 ? 4 : 2;
        var value = Alphabet.IndexOf(segment[^1], StringComparison.Ordinal);
        var sibling = Alphabet[value ^ (1 + rng.Next((1 << unusedBits) - 1))];
        segments[which] = segment[..^1] + sibling;
        return (SignSegments(segments[0], segments[1]), $"segment {which} last char {segment[^1]}→{sibling}", KnownDifference.NonCanonicalBase64);
    }

    // ---- The payload, re-signed ----

    private string TimeValue(Random rng) => (_now + rng.Next(-100_000, 100_000)).ToString(CultureInfo.InvariantCulture);

    private (string, string, KnownDifference) ClaimWrongType(Random rng, Parts parts)
    {
        var claim = Pick(rng, RegisteredClaims);
        string value = claim switch
        {
            "iss" => Pick(rng, ["1", "null", "true", "[\"session-server\"]", "{}", "{\"session-server\":1}"]),
            "aud" => Pick(rng, ["1", "null", "true", "{}", "[\"user\",1]", "[\"user\",null]", "[[\"user\"]]", "[\"user\",{}]", "{\"user\":1}"]),
            "sub" or "jti" => Pick(rng, ["1", "0", "null", "true", "false", "{}", "[]", "[\"a\"]", "{\"a\":\"b\"}", "1.5"]),
            _ => Pick(rng, ["\"" + TimeValue(rng) + "\"", "\"" + (_now + 3600).ToString(CultureInfo.InvariantCulture) + "\"", "true", "null", "[" + TimeValue(rng) + "]", "{}", "\"\"", "\"soon\""]),
        };
        return (WithPayload(parts, parts.Payload.With(claim, value)), $"{claim}: {value}", KnownDifference.ClaimWrongJsonType);
    }

    private (string, string, KnownDifference) ClaimMissing(Random rng, Parts parts)
    {
        var claim = Pick(rng, RegisteredClaims);
        var difference = claim is "sub" or "jti" or "iat" ? KnownDifference.MissingRequiredClaim : KnownDifference.None;
        return (WithPayload(parts, parts.Payload.Without(claim)), $"{claim} removed", difference);
    }

    private (string, string, KnownDifference) ClaimEmpty(Random rng, Parts parts)
    {
        var claim = Pick(rng, ["sub", "jti"]);
        return (WithPayload(parts, parts.Payload.With(claim, "\"\"")), $"{claim} empty", KnownDifference.MissingRequiredClaim);
    }

    private (string, string, KnownDifference) ClaimDuplicate(Random rng, Parts parts)
    {
        var member = Pick(rng, parts.Payload.Items);
        var value = rng.Next(2) == 0 ? member.Value : Pick(rng, ["\"session-server\"", "\"user\"", "\"x\"", TimeValue(rng), "1"]);
        var name = rng.Next(3) == 0 ? EscapeOne(rng, member.Key) : member.Key;
        return (WithPayload(parts, parts.Payload.Append(name, value)), $"{name} again as {value}", KnownDifference.DuplicateNames);
    }

    private (string, string, KnownDifference) ClaimEscapedName(Random rng, Parts parts)
    {
        // Escaped names are the same names: registered claims are still found and checked, nothing differs.
        var index = rng.Next(parts.Payload.Items.Count);
        var escaped = EscapeOne(rng, parts.Payload.Items[index].Key);
        return (WithPayload(parts, parts.Payload.Rename(index, escaped)), $"name {escaped}", KnownDifference.None);
    }

    private (string, string, KnownDifference) PayloadWhitespace(Random rng, Parts parts)
    {
        var space = RandomWhitespace(rng);
        var json = space + parts.Payload.ToJson(space + "," + space, space + ":" + space, "{" + space, space + "}") + space;
        return (Sign(parts.Header.ToJson(), json), "whitespace around every token", KnownDifference.None);
    }

    private (string, string, KnownDifference) NonAsciiClaims(Random rng, Parts parts)
    {
        var text = Pick(rng, ["ü日本\U0001F600", "\\u00fc\\u65e5", "\\ud83d\\ude00", "Ωmega\\n\\t\\\"", "\u00A0", "\\u0000"]);
        return rng.Next(4) switch
        {
            0 => (WithPayload(parts, parts.Payload.With("sub", Quote(text))), $"sub {text}", KnownDifference.None),
            1 => (WithPayload(parts, parts.Payload.With("jti", Quote(text))), $"jti {text}", KnownDifference.None),
            2 => (WithPayload(parts, parts.Payload.With("iss", Quote("session-server" + text))), $"iss + {text}", KnownDifference.None),
            _ => (WithPayload(parts, parts.Payload.With(Pick(rng, ["名前", "ü", "\\u00e9t\\u00e9", "x\\ty"]), Quote(text))), $"custom claim {text}", KnownDifference.None),
        };
    }

    private (string, string, KnownDifference) InvalidUtf8(Random rng, Parts parts)
    {
        var json = Encoding.UTF8.GetBytes(parts.Payload.ToJson());
        var insideSub = Encoding.UTF8.GetString(json).IndexOf("\"sub\":\"", StringComparison.Ordinal) + 7;
        var bad = Pick(rng, new byte[][] { [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0x80], [0xF4, 0x90, 0x80, 0x80] });
        var position = rng.Next(2) == 0 && insideSub > 7 ? insideSub : rng.Next(json.Length);
        var mutated = json[..position].Concat(bad).Concat(json[position..]).ToArray();
        if (rng.Next(4) == 0)
        {
            return (SignRaw(mutated, Encoding.UTF8.GetBytes(parts.Payload.ToJson())), $"header with bytes {Convert.ToHexString(bad)}", KnownDifference.InvalidUtf8);
        }

        return (SignRaw(Encoding.UTF8.GetBytes(parts.Header.ToJson()), mutated), $"bytes {Convert.ToHexString(bad)} at {position}", KnownDifference.InvalidUtf8);
    }

    private (string, string, KnownDifference) LoneSurrogate(Random rng, Parts parts)
    {
        var claim = Pick(rng, ["sub", "jti", "custom"]);
        var value = Quote(Pick(rng, ["\\ud800", "x\\udfff", "\\ude00\\ud83d"]));
        var name = claim == "custom" ? "note" : claim;

        // Both must refuse: the strings cannot be held faithfully in .NET. In a custom claim we accept it today and
        // Session.Claims then throws (a finding, asserted here as the correct refusal).
        return (WithPayload(parts, parts.Payload.With(name, value)), $"{name}: {value}", KnownDifference.None);
    }

    private static bool InRange(decimal seconds) => seconds >= MinSeconds && seconds <= MaxSeconds;

    private (string, string, KnownDifference) HugeNumber(Random rng, Parts parts)
    {
        var claim = Pick(rng, ["iat", "nbf", "exp"]);
        var value = Pick(rng, [
            "1e300", "-1e300", "99999999999999999999", "-99999999999999999999", "9223372036854775807", "-9223372036854775808",
            "253402300799", "253402300800", "-62135596800", "-62135596801", "1e10", "2e11", "1.7976931348623157e308", "0", "-1",
            "123456789012345678901234567890.5", "1E400"]);
        var numeric = decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : (decimal?)null;
        var difference = numeric is { } n && InRange(n) ? KnownDifference.None : KnownDifference.NumericDateRange;
        return (WithPayload(parts, parts.Payload.With(claim, value)), $"{claim}: {value}", difference);
    }

    private (string, string, KnownDifference) NumberSpelling(Random rng, Parts parts)
    {
        // The same instants written as other JSON numbers: RFC 7519 NumericDate is any JSON number.
        var claim = Pick(rng, ["iat", "nbf", "exp"]);
        var current = parts.Payload.ValueOf(claim) ?? _now.ToString(CultureInfo.InvariantCulture);
        var seconds = decimal.Parse(current, NumberStyles.Float, CultureInfo.InvariantCulture);
        var value = rng.Next(5) switch
        {
            0 => seconds.ToString("0.0", CultureInfo.InvariantCulture),
            1 => seconds.ToString("0.000", CultureInfo.InvariantCulture),
            2 => ((double)seconds).ToString("E10", CultureInfo.InvariantCulture),
            3 => (seconds / 10).ToString("0.0", CultureInfo.InvariantCulture) + "e1",
            _ => seconds.ToString("0", CultureInfo.InvariantCulture) + ".25",
        };
        return (WithPayload(parts, parts.Payload.With(claim, value)), $"{claim}: {current} as {value}", KnownDifference.None);
    }

    private (string, string, KnownDifference) TimeShift(Random rng, Parts parts)
    {
        var payload = parts.Payload;
        long Offset(long[] choices) => _now + Pick(rng, choices);
        var skew = (long)_skew;
        switch (rng.Next(4))
        {
            case 0:
                {
                    var exp = Offset([-100_000, -3600, -skew - 1, -skew, -skew + 1, -1, 0, 1, 60, 3600]);
                    payload = payload.With("exp", exp.ToString(CultureInfo.InvariantCulture));
                    if (payload.ValueOf("nbf") is not null)
                    {
                        payload = payload.With("nbf", Math.Min(exp, _now - 3600).ToString(CultureInfo.InvariantCulture));
                    }

                    var difference = exp == _now - skew ? KnownDifference.ExpBoundary : KnownDifference.None;
                    return (WithPayload(parts, payload), $"exp now{exp - _now:+0;-0;+0}", difference);
                }

            case 1:
                {
                    var nbf = Offset([-3600, -1, 0, 1, skew - 1, skew, skew + 1, 3600]);
                    payload = payload.With("nbf", nbf.ToString(CultureInfo.InvariantCulture)).With("exp", (_now + 7200).ToString(CultureInfo.InvariantCulture));
                    return (WithPayload(parts, payload), $"nbf now{nbf - _now:+0;-0;+0}", KnownDifference.None);
                }

            case 2:
                {
                    // Fractional instants near the edge of the window. Within the second before now - skew the handler,
                    // which drops the fraction, still accepts.
                    var offset = Pick(rng, [-1.5m, -0.5m, -0.001m, 0.001m, 0.5m, 1.5m]);
                    var exp = _now - skew + offset;
                    payload = payload.With("exp", exp.ToString(CultureInfo.InvariantCulture)).With("nbf", (_now - 3600).ToString(CultureInfo.InvariantCulture));
                    var difference = offset is > -1m and <= 0m ? KnownDifference.ExpBoundary : KnownDifference.None;
                    return (WithPayload(parts, payload), $"exp now-skew{offset:+0.###;-0.###}", difference);
                }

            default:
                {
                    // nbf after exp, with now inside both windows once the skew is applied.
                    var exp = _now + Pick(rng, [-skew + 1, -1, 0, 1]);
                    var nbf = exp + Pick(rng, [1, 2, skew / 2]);
                    payload = payload.With("exp", exp.ToString(CultureInfo.InvariantCulture)).With("nbf", nbf.ToString(CultureInfo.InvariantCulture));
                    return (WithPayload(parts, payload), $"exp now{exp - _now:+0;-0;+0}, nbf exp+{nbf - exp}", KnownDifference.NotBeforeAfterExpiry);
                }
        }
    }

    private (string, string, KnownDifference) NestedJson(Random rng, Parts parts)
    {
        var depth = Pick(rng, [1, 3, 15, 16, 17, 30, 62, 63, 64, 65, 100]);
        var array = rng.Next(2) == 0;
        var value = array
            ? new string('[', depth) + "1" + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
        var inHeader = rng.Next(4) == 0;

        // The payload object is level 1, the claim's value opens level 2: depth d nests to d + 1 (+1 for the value
        // inside an object chain); the reader's limit is 64 levels in the payload and 16 in the header.
        var levels = depth + 1;
        var limit = inHeader ? 16 : 64;
        var difference = levels > limit ? KnownDifference.NestingDepth : KnownDifference.None;
        return inHeader
            ? (WithHeader(parts, parts.Header.With("nest", value)), $"header nest depth {depth}", difference)
            : (WithPayload(parts, parts.Payload.With("nest", value)), $"claim nest depth {depth}", difference);
    }

    private int CustomCount(JsonMembers payload) => payload.Items.Count(item => !RegisteredClaims.Contains(item.Key));

    private (string, string, KnownDifference) ManyClaims(Random rng, Parts parts)
    {
        var add = Pick(rng, [10, 200, 250, 251, 252, 253, 254, 255, 256, 257, 300]);
        var payload = parts.Payload;
        for (var i = 0; i < add; i++)
        {
            payload = payload.Append("m" + i.ToString(CultureInfo.InvariantCulture), "1");
        }

        return Classified(WithPayload(parts, payload), $"{add} more custom claims ({CustomCount(payload)} in all)", CustomCount(payload));
    }

    private (string, string, KnownDifference) Classified(string token, string detail, int customClaims)
    {
        var difference = token.Length > MaxTokenLength ? KnownDifference.TooLarge
            : customClaims > MaxCustomClaims ? KnownDifference.TooManyClaims
            : KnownDifference.None;
        return (token, detail, difference);
    }

    private (string, string, KnownDifference) LargeClaim(Random rng, Parts parts)
    {
        var length = Pick(rng, [100, 1000, 5000, 5800, 6000, 7000, 20_000]);
        var payload = parts.Payload.With("blob", Quote(new string('x', length)));
        return Classified(WithPayload(parts, payload), $"a {length}-char claim", CustomCount(payload));
    }

    private (string, string, KnownDifference) PayloadNotObject(Random rng, Parts parts)
    {
        var json = parts.Payload.ToJson();
        var trailing = new[] { json + " x", json + "{}", json + "\0" };
        var payload = Pick(rng, ["[]", "null", "1", "\"x\"", "{}", "", json[..^1] + ",}", "[" + json + "]", json[..^1], "/*c*/" + json, json.Replace(":", " ", StringComparison.Ordinal), .. trailing]);
        var difference = trailing.Contains(payload) ? KnownDifference.TrailingData : KnownDifference.None;
        return (Sign(parts.Header.ToJson(), payload), $"payload …{payload[Math.Max(0, payload.Length - 30)..]}", difference);
    }

    private (string, string, KnownDifference) IssuerVariant(Random rng, Parts parts)
    {
        var iss = Pick(rng, ["\"Session-server\"", "\"session-server \"", "\" session-server\"", "\"session\\u002dserver\"", "\"\"", "\"session-serve\"", "\"session-server\\u0000\""]);
        return (WithPayload(parts, parts.Payload.With("iss", iss)), $"iss {iss}", KnownDifference.None);
    }

    private (string, string, KnownDifference) AudienceVariant(Random rng, Parts parts)
    {
        var aud = Pick(rng, ["\"user\"", "[\"user\"]", "[\"x\",\"user\"]", "[\"x\"]", "[]", "\"User\"", "\"us\\u0065r\"", "[\"user\",\"user\"]", "\"user \"", "\"\""]);
        return (WithPayload(parts, parts.Payload.With("aud", aud)), $"aud {aud}", KnownDifference.None);
    }

    private (string, string, KnownDifference) CustomClaims(Random rng, Parts parts)
    {
        var payload = parts.Payload;
        var count = rng.Next(1, 6);
        for (var i = 0; i < count; i++)
        {
            var value = Pick(rng, ["\"text\"", "42", "-7", "3.25", "true", "false", "null", "[\"a\",\"b\"]", "[]", "{\"k\":[1,2]}", "1e3", "\"\\\"quoted\\\"\""]);
            payload = payload.With("x" + rng.Next(1000).ToString(CultureInfo.InvariantCulture), value);
        }

        return (WithPayload(parts, payload), $"{count} custom claims", KnownDifference.None);
    }
}
