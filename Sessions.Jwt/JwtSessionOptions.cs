namespace Sessions.Jwt;

/// <summary>
/// Options of the JWT session issuer and validator. Bind them from code or from the <c>Sessions</c> configuration
/// section; they are validated when the host starts, so a bad value stops start-up instead of failing the first call.
/// </summary>
public sealed class JwtSessionOptions
{
    /// <summary>The configuration section the options bind from by default: <c>Sessions</c>.</summary>
    public const string SectionName = "Sessions";

    /// <summary>
    /// How messages name these options' settings: <c>JwtSessionOptions.</c> as code sets them, or the path of the
    /// section they are bound from when a <see cref="SessionsConfigurationPath"/> says so (<c>Sessions:</c> with
    /// <c>AddSessions()</c>; set by <c>JwtSessionSettingNamesSetup</c>). Not a setting.
    /// </summary>
    internal string SettingPrefix { get; set; } = nameof(JwtSessionOptions) + ".";

    /// <summary>
    /// Where the configuration holds each item of <see cref="Keys"/> (<c>Sessions:Keys:1000</c>), by list index;
    /// <see langword="null"/> for an item it does not hold (a key added in code). The binder numbers the list anew,
    /// so a configuration whose indexes are not 0, 1, 2 ... (environment variables of one key only, the sample's
    /// <c>JWT_PRIVATE_KEY_FILE</c> at 1000) would otherwise read of a setting it never wrote. Set by
    /// <c>JwtSessionSettingNamesSetup</c>. Not a setting.
    /// </summary>
    internal IReadOnlyList<string?> KeySettings { get; set; } = [];

    /// <summary>How messages name the item of <see cref="Keys"/> at <paramref name="index"/>: as the configuration holds it, or by its list index.</summary>
    internal string KeySetting(int index) =>
        index < KeySettings.Count && KeySettings[index] is { } setting ? setting : Sessions.Internal.SettingNames.Item(SettingPrefix, nameof(Keys), index);

    /// <summary>The prefix that marks <see cref="Secret"/> as base64 rather than UTF-8 text: <c>base64:</c>.</summary>
    public const string Base64SecretPrefix = "base64:";

    /// <summary>The smallest secret accepted for HS256: 32 bytes (256 bits), as RFC 7518, section 3.2 requires.</summary>
    public const int MinimumSecretBytes = 32;

    /// <summary>
    /// The HS256 signing secret. Text is used as its UTF-8 bytes, as the original service did; a value that starts
    /// with <c>base64:</c> is decoded from base64 (standard or URL-safe alphabet), so that binary keys made by
    /// <c>openssl rand -base64 32</c> can be used as <c>base64:&lt;output&gt;</c>. Must be at least 32 bytes once
    /// decoded. Text with U+FFFD or a lone surrogate is refused: it is what bytes that are not UTF-8 (a Latin-1 secret
    /// in the environment) are read as, and would not be the key that was set; give such bytes as base64. Tokens it
    /// signs carry no <c>kid</c>, exactly like the original service's. Required unless
    /// <see cref="Keys"/> is set; when both are set, the secret keeps validating tokens without <c>kid</c>.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>
    /// The key ring: keys with identifiers, written as <c>kid</c> into the tokens they sign. One of them signs
    /// (<see cref="SigningKeyId"/>); the others keep validating the tokens they signed, so keys rotate without
    /// invalidating sessions: add the new key, make it the signing key, and remove the old one once the longest
    /// <see cref="Lifetime"/> has passed. Empty by default.
    /// </summary>
    public IList<JwtSessionKeyOptions> Keys { get; } = new List<JwtSessionKeyOptions>();

    /// <summary>
    /// The id of the key in <see cref="Keys"/> that signs new sessions. Defaults to the first key that can sign; when
    /// <see cref="Keys"/> is empty, <see cref="Secret"/> signs.
    /// </summary>
    public string? SigningKeyId { get; set; }

    /// <summary>The issuer written to and required in every token (<c>iss</c>). Defaults to <c>session-server</c>.</summary>
    public string Issuer { get; set; } = "session-server";

    /// <summary>The audience written to and required in every token (<c>aud</c>). Defaults to <c>user</c>.</summary>
    public string Audience { get; set; } = "user";

    /// <summary>
    /// How long an issued session lasts (<c>exp</c> − <c>iat</c>). Defaults to 24 hours; must be at least one second
    /// and at most 366 days.
    /// </summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How far clocks of issuer and validator may disagree: a token is still accepted this long after its
    /// <c>exp</c> and this long before its <c>nbf</c>. Defaults to 30 seconds; must be between zero and five minutes.
    /// </summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest token, in characters, the validator looks at; longer ones are refused as
    /// <see cref="SessionFailureReason.TooLarge"/> before any parsing. Defaults to 8,192 (a plain session token is
    /// about 320); must be between 512 and 1,048,576.
    /// </summary>
    public int MaxTokenLength { get; set; } = 8192;

    /// <summary>
    /// The most custom claims one session may carry. Defaults to 32; must be between 0 and 1,000.
    /// Enforced when issuing, before signing.
    /// </summary>
    public int MaxCustomClaims { get; set; } = 32;

    /// <summary>
    /// The longest custom claim name, in characters (Unicode code points: one outside the Basic Multilingual Plane counts
    /// once). Defaults to 64; must be between 1 and 1,024.
    /// Enforced when issuing, before signing.
    /// </summary>
    public int MaxClaimNameLength { get; set; } = 64;

    /// <summary>
    /// The most bytes the custom claims may take in the token's JSON payload (UTF-8, after escaping). Defaults to
    /// 4,096, which keeps a token with claims well under <see cref="MaxTokenLength"/> and under common 8 KB header
    /// limits; must be between 0 and 65,536 and leave room for the registered claims within <see cref="MaxTokenLength"/>.
    /// Enforced when issuing, before signing.
    /// </summary>
    public int MaxCustomClaimsBytes { get; set; } = 4096;
}
