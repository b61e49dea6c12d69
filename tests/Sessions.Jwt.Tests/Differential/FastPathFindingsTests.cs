namespace Sessions.Jwt.Tests.Differential;

/// <summary>
/// Disagreements the differential test found, each as one hand-made token with the behaviour it should have.
/// </summary>
public sealed class FastPathFindingsTests
{
    private static SessionValidationResult Validate(string token)
    {
        using var validator = new JwtSessionValidator(TestTokens.Options(), TestTokens.Clock());
        return validator.Validate(token);
    }

    [Theory]
    [InlineData("sub")]
    [InlineData("jti")]
    public void A_lone_surrogate_escape_in_sub_or_jti_is_refused(string claim)
    {
        var payload = claim == "sub" ? TestTokens.Claims(sub: "\"\\ud800\"") : TestTokens.Claims(jti: "\"\\ud800\"");
        Assert.Equal(SessionFailureReason.Malformed, Validate(TestTokens.Token(payload)).FailureReason);
    }

    /// <summary>
    /// A custom claim string whose escape decodes to a lone surrogate: JsonWebTokenHandler refuses the token
    /// (ArgumentException); we accepted it, and <see cref="Session.Claims"/> of the accepted session then threw
    /// InvalidOperationException. It must be refused like the same escape in sub or jti.
    /// </summary>
    [Theory]
    [InlineData("\\ud800")]
    [InlineData("x\\udfff")]
    [InlineData("\\ude00\\ud83d")]
    public void A_lone_surrogate_escape_in_a_custom_claim_is_refused(string escaped)
    {
        var token = TestTokens.Token(TestTokens.Claims(extra: ",\"note\":\"" + escaped + "\""));

        var result = Validate(token);

        Assert.Equal(SessionFailureReason.Malformed, result.FailureReason);
    }

    /// <summary>
    /// A lone surrogate escape in iss or aud, also in an aud array beside our own audience. The validator compared these
    /// strings without decoding escapes that could not match by length, so the verdict hung on the configured names:
    /// an audience array naming a long audience and "\ud800" was accepted (JsonWebTokenHandler refuses it), and a
    /// short iss of one was WrongIssuer where a longer one was Malformed. They must be refused as Malformed, like the
    /// same escape in sub, jti or a custom claim, whatever the issuer and audience are.
    /// </summary>
    [Theory]
    [InlineData("session-server", "user", "\"\\ud800\"", "\"user\"")]
    [InlineData("session-server", "user", "\"session-server\"", "[\"user\",\"\\ud800\"]")]
    [InlineData("https://sessions.example.com", "https://api.example.com", "\"https://sessions.example.com\"", "[\"https://api.example.com\",\"\\ud800\"]")]
    [InlineData("https://sessions.example.com", "https://api.example.com", "\"https://sessions.example.com\"", "[\"\\udc00\",\"https://api.example.com\"]")]
    [InlineData("https://sessions.example.com", "https://api.example.com", "\"https://sessions.example.com\"", "\"\\ud800\"")]
    [InlineData("https://sessions.example.com", "https://api.example.com", "\"\\ud800\"", "\"https://api.example.com\"")]
    public void A_lone_surrogate_escape_in_iss_or_aud_is_refused_as_malformed_whatever_the_configured_names(string issuer, string audience, string iss, string aud)
    {
        using var validator = new JwtSessionValidator(TestTokens.Options(o => (o.Issuer, o.Audience) = (issuer, audience)), TestTokens.Clock());

        var result = validator.Validate(TestTokens.Token(TestTokens.Claims(iss: iss, aud: aud)));

        Assert.Equal(SessionFailureReason.Malformed, result.FailureReason);
    }

    /// <summary>
    /// nbf one second after exp, now between them: our profile checks the windows independently and accepts (within
    /// the skew); JsonWebTokenHandler refuses any nbf after exp. Documented as <see cref="KnownDifference.NotBeforeAfterExpiry"/>.
    /// </summary>
    [Fact]
    public void Nbf_after_exp_is_refused_even_inside_both_skewed_windows()
    {
        var now = TestTokens.NowSeconds;
        var token = TestTokens.Token(TestTokens.Claims(iat: now - 60, exp: now - 10, nbf: now - 9));
        Assert.Equal(SessionFailureReason.InvalidClaims, Validate(token).FailureReason);
    }
}
