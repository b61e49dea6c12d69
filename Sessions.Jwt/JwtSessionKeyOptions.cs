namespace Sessions.Jwt;

/// <summary>
/// One key of the key ring, as configured (<c>Sessions:Keys:0:...</c>). Give exactly one source of material:
/// <see cref="Secret"/>, <see cref="Pem"/>, <see cref="PemFile"/>, <see cref="Jwk"/>, <see cref="JwkFile"/>, or
/// <see cref="Generate"/>.
/// </summary>
public sealed class JwtSessionKeyOptions
{
    /// <summary>The key identifier, written as <c>kid</c> in every token this key signs. Required; 1 to 128 characters.</summary>
    public string? Id { get; set; }

    /// <summary>The algorithm the key is pinned to: <c>HS256</c> (the default), <c>ES256</c>, <c>RS256</c> or <c>PS256</c>.</summary>
    public string Algorithm { get; set; } = "HS256";

    /// <summary>
    /// For HS256: the secret, as UTF-8 text (without U+FFFD or a lone surrogate, which would not be the key that was
    /// set) or <c>base64:</c> followed by base64; at least 32 bytes.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>For ES256/RS256/PS256: the key in PEM, inline. A private key signs and validates; a public key only validates.</summary>
    public string? Pem { get; set; }

    /// <summary>For ES256/RS256/PS256: the path of a PEM file, read at start-up and on every reload.</summary>
    public string? PemFile { get; set; }

    /// <summary>The key as a JSON Web Key (RFC 7517), inline: <c>oct</c> for HS256, <c>EC</c> P-256 for ES256, <c>RSA</c> for RS256/PS256.</summary>
    public string? Jwk { get; set; }

    /// <summary>The path of a file holding the key as a JSON Web Key.</summary>
    public string? JwkFile { get; set; }

    /// <summary>
    /// Generate the key at start-up and keep it in memory only: for development. Tokens do not survive a restart and
    /// do not validate on other instances. Defaults to <see langword="false"/>.
    /// </summary>
    public bool Generate { get; set; }
}
