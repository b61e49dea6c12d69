namespace Sessions.Jwt.Tests;

/// <summary>
/// The size limit is the first thing the validator checks: a token longer than <c>MaxTokenLength</c> is refused as
/// <see cref="SessionFailureReason.TooLarge"/> whatever it holds, without decoding, parsing or allocating.
/// </summary>
public class LimitsTests
{
    /// <summary>Three well-formed base64url segments, <paramref name="length"/> characters in all, each of which would fail a later check.</summary>
    private static string ValidLooking(int length, string header)
    {
        var headerSegment = TestTokens.Segment(header);
        var signature = new string('A', 43);
        var payloadLength = length - headerSegment.Length - signature.Length - 2;
        var payload = new string('e', payloadLength - (payloadLength % 4 == 1 ? 1 : 0));
        return headerSegment + "." + payload + "." + signature + (payloadLength % 4 == 1 ? "A" : "");
    }

    public static TheoryData<string> HeadersThatWouldFailLater => new()
    {
        """{"alg":"none"}""",
        """{"alg":"HS256","crit":["x"]}""",
        """{"alg":"HS256","kid":"unknown"}""",
        """{"alg":"HS256"}""",
        "not json",
    };

    [Theory]
    [MemberData(nameof(HeadersThatWouldFailLater))]
    public void A_100_KB_token_of_valid_looking_segments_is_refused_as_too_large_before_anything_else(string header)
    {
        using var validator = new JwtSessionValidator(TestTokens.Options(), TestTokens.Clock());
        var token = ValidLooking(100 * 2500, header);
        Assert.Equal(100 * 2500, token.Length);
        Assert.Equal(3, token.Split('.').Length);

        Assert.Equal(SessionFailureReason.TooLarge, validator.Validate(token).FailureReason);
    }

    [Fact]
    public void A_huge_token_costs_no_allocation_and_the_same_answer_as_one_character_too_many()
    {
        using var validator = new JwtSessionValidator(TestTokens.Options(), TestTokens.Clock());
        var justOver = ValidLooking(8193, """{"alg":"HS256"}""");
        var huge = ValidLooking(64 * 2500 * 2500, """{"alg":"HS256"}""");
        Assert.Equal(SessionFailureReason.TooLarge, validator.Validate(justOver).FailureReason);

        var refused = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            refused += validator.Validate(huge).FailureReason == SessionFailureReason.TooLarge ? 1 : 0;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(1000, refused);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void The_limit_is_exact_a_token_of_max_length_is_read_one_over_is_not()
    {
        using var validator = new JwtSessionValidator(TestTokens.Options(o => { o.MaxTokenLength = 2500; o.MaxCustomClaimsBytes = 0; }), TestTokens.Clock());
        var token = TestTokens.Token();
        var padded = TestTokens.Token(TestTokens.Claims(extra: ",\"pad\":\"" + new string('x', 2500) + "\""));
        var atLimit = TestTokens.Token(TestTokens.Claims(extra: ",\"pad\":\"" + new string('x', FillTo(2500, token, padded)) + "\""));
        var overLimit = TestTokens.Token(TestTokens.Claims(extra: ",\"pad\":\"" + new string('x', FillTo(2500, token, padded) + 3) + "\""));

        Assert.Equal(2500, atLimit.Length);
        Assert.True(validator.Validate(atLimit).IsValid);
        Assert.True(overLimit.Length > 2500);
        Assert.Equal(SessionFailureReason.TooLarge, validator.Validate(overLimit).FailureReason);
    }

    // The pad that makes the token exactly `length` characters: base64url grows 4 characters per 3 bytes.
    private static int FillTo(int length, string withoutPad, string withPad)
    {
        _ = withPad;
        for (var pad = 0; pad < length; pad++)
        {
            if (TestTokens.Token(TestTokens.Claims(extra: ",\"pad\":\"" + new string('x', pad) + "\"")).Length == length)
            {
                return pad;
            }
        }

        throw new InvalidOperationException($"No pad makes a {length}-character token from a {withoutPad.Length}-character one.");
    }
}
