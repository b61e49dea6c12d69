using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using Sessions.Internal;
using Sessions.Jwt.Internal.Signing;

namespace Sessions.Jwt.Internal.Keys;

/// <summary>
/// Turns configured keys into <see cref="SessionKey"/>s: secrets, PEM (inline or file), JWK (inline or file), or
/// generated for development. Every error names the key and the setting, and never echoes key material.
/// </summary>
internal static class SessionKeyLoader
{
    /// <summary>Loads <paramref name="options"/>; generated keys are taken from or added to <paramref name="generated"/> so a reload keeps them.</summary>
    /// <exception cref="InvalidOperationException">The key cannot be loaded; the message says why and how to fix it.</exception>
    /// <param name="options">The key's options.</param>
    /// <param name="setting">How messages name the key's item (<see cref="JwtSessionOptions.KeySetting"/>: <c>Sessions:Keys:0</c>).</param>
    /// <param name="generated">Keys generated before, by id and algorithm; <see langword="null"/> to generate none.</param>
    public static SessionKey Load(JwtSessionKeyOptions options, string setting, IDictionary<string, SessionKey>? generated)
    {
        var id = options.Id;
        if (string.IsNullOrWhiteSpace(id))
        {
            throw Fail($"{SettingNames.Under(setting, "Id")} is not set. Every key of the ring needs an id; it is written as 'kid' in the tokens it signs.");
        }

        // SessionKey refuses such an id too, but its error would be taken for one of the key's material and name that.
        if (!KeyIds.IsValid(id))
        {
            throw Fail($"{SettingNames.Under(setting, "Id")} is not a usable key id ({id.Length} characters{(id.Length > KeyIds.MaxLength ? "" : ", a control character among them")}): " +
                $"it must be 1 to {KeyIds.MaxLength} characters without control characters, as it is written as 'kid' in the tokens it signs.");
        }

        var algorithm = options.Algorithm;
        if (!JwsAlgorithms.IsSupported(algorithm))
        {
            throw Fail($"{SettingNames.Under(setting, "Algorithm")} is '{algorithm}'; use one of {string.Join(", ", SessionKey.SupportedAlgorithms)}.");
        }

        var sources = new[] { options.Secret, options.Pem, options.PemFile, options.Jwk, options.JwkFile }.Count(s => !string.IsNullOrEmpty(s)) + (options.Generate ? 1 : 0);
        if (sources != 1)
        {
            throw Fail($"Key '{id}' ({setting}) needs exactly one of Secret, Pem, PemFile, Jwk, JwkFile or Generate; {sources} are set.");
        }

        // The setting that holds the key's material, which its errors name: Sessions:Keys:0:Jwk rather than the item.
        var material = SettingNames.Under(setting, options.Generate ? "Generate"
            : !string.IsNullOrEmpty(options.Secret) ? "Secret"
            : !string.IsNullOrEmpty(options.Pem) ? "Pem"
            : !string.IsNullOrEmpty(options.PemFile) ? "PemFile"
            : !string.IsNullOrEmpty(options.Jwk) ? "Jwk"
            : "JwkFile");
        try
        {
            if (options.Generate)
            {
                var cacheKey = id + "\n" + algorithm;
                if (generated is not null && generated.TryGetValue(cacheKey, out var existing))
                {
                    return existing;
                }

                var created = Generate(id, algorithm);
                if (generated is not null)
                {
                    generated[cacheKey] = created;
                }

                return created;
            }

            if (!string.IsNullOrEmpty(options.Secret))
            {
                if (algorithm != "HS256")
                {
                    throw Fail($"Key '{id}' ({setting}) has a Secret, which only HS256 uses; {algorithm} needs Pem, PemFile, Jwk or JwkFile.");
                }

                if (!SecretDecoder.TryDecodeKey(options.Secret, material, out var secret, out var error))
                {
                    throw Fail(error);
                }

                try
                {
                    return SessionKey.Symmetric(id, secret);
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(secret);
                }
            }

            if (!string.IsNullOrEmpty(options.Pem) || !string.IsNullOrEmpty(options.PemFile))
            {
                var pem = options.Pem ?? ReadFile(options.PemFile!, material);
                return FromPem(id, algorithm, pem, material);
            }

            var jwk = options.Jwk ?? ReadFile(options.JwkFile!, material);
            return FromJwk(id, algorithm, jwk, material);
        }
        catch (Exception exception) when (KeyErrors.IsKeyMaterialError(exception))
        {
            // Whatever the key's form throws becomes an error of its setting: a FormatException of a JWK member that is
            // not base64url escaped the settings checks, and stopped start-up (or a reload) with the decoder's words.
            throw Fail($"Key '{id}' ({material}): {KeyErrors.Describe(exception, algorithm)}");
        }
    }

    /// <summary>Generates a key in memory.</summary>
    public static SessionKey Generate(string id, string algorithm) => algorithm switch
    {
        "HS256" => SessionKey.Symmetric(id, RandomNumberGenerator.GetBytes(32)),
        "ES256" => SessionKey.Asymmetric(id, algorithm, ECDsa.Create(ECCurve.NamedCurves.nistP256)),
        _ => SessionKey.Asymmetric(id, algorithm, RSA.Create(2048)),
    };

    private static SessionKey FromPem(string id, string algorithm, string pem, string setting)
    {
        if (algorithm == "HS256")
        {
            throw Fail($"Key '{id}' ({setting}) is PEM, which HS256 does not use; give HS256 keys a Secret or an 'oct' Jwk.");
        }

        if (pem.Contains("ENCRYPTED", StringComparison.Ordinal))
        {
            throw Fail($"Key '{id}' ({setting}) is an encrypted PEM; decrypt it (e.g. 'openssl pkey -in key.pem -out plain.pem') and protect the file instead.");
        }

        AsymmetricAlgorithm key = algorithm == "ES256" ? ECDsa.Create() : RSA.Create();
        try
        {
            key.ImportFromPem(pem);
            return SessionKey.Asymmetric(id, algorithm, key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private static SessionKey FromJwk(string id, string algorithm, string json, string setting)
    {
        JsonWebKey jwk;
        try
        {
            jwk = new JsonWebKey(json);
        }
        catch (Exception exception) when (KeyErrors.IsKeyMaterialError(exception))
        {
            // Not the parser's words: they repeat the JSON, which is the key.
            throw Fail($"Key '{id}' ({setting}) is not a valid JSON Web Key.");
        }

        if (!string.IsNullOrEmpty(jwk.Alg) && jwk.Alg != algorithm)
        {
            throw Fail($"Key '{id}' ({setting}) says alg '{jwk.Alg}' but is configured for {algorithm}.");
        }

        if (MissingMember(jwk) is { } missing)
        {
            throw Fail($"Key '{id}' ({setting}) has kty '{jwk.Kty}' but no '{missing}'; a JSON Web Key of that type needs it (RFC 7518, section 6).");
        }

        return FromJsonWebKey(id, algorithm, jwk) ?? throw Fail($"Key '{id}' ({setting}) has kty '{jwk.Kty}', which does not fit {algorithm} (HS256: oct, ES256: EC P-256, RS256/PS256: RSA).");
    }

    // The first member the key's type needs that it lacks; null when it has them all (or its type is not one we read).
    private static string? MissingMember(JsonWebKey jwk)
    {
        (string Name, string? Value)[] members = jwk.Kty switch
        {
            JsonWebAlgorithmsKeyTypes.Octet => [("k", jwk.K)],
            JsonWebAlgorithmsKeyTypes.EllipticCurve => [("x", jwk.X), ("y", jwk.Y)],
            JsonWebAlgorithmsKeyTypes.RSA when !string.IsNullOrEmpty(jwk.D) =>
                [("n", jwk.N), ("e", jwk.E), ("p", jwk.P), ("q", jwk.Q), ("dp", jwk.DP), ("dq", jwk.DQ), ("qi", jwk.QI)],
            JsonWebAlgorithmsKeyTypes.RSA => [("n", jwk.N), ("e", jwk.E)],
            _ => [],
        };
        return members.FirstOrDefault(m => string.IsNullOrEmpty(m.Value)).Name;
    }

    /// <summary>Converts a JWK into a key pinned to <paramref name="algorithm"/>; <see langword="null"/> when the key type does not fit.</summary>
    public static SessionKey? FromJsonWebKey(string id, string algorithm, JsonWebKey jwk)
    {
        switch (algorithm)
        {
            case "HS256" when jwk.Kty == JsonWebAlgorithmsKeyTypes.Octet:
                var secret = Base64UrlEncoder.DecodeBytes(jwk.K);
                try
                {
                    return SessionKey.Symmetric(id, secret);
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(secret);
                }

            case "ES256" when jwk.Kty == JsonWebAlgorithmsKeyTypes.EllipticCurve:
                if (jwk.Crv != JsonWebKeyECTypes.P256)
                {
                    return null;
                }

                var ec = ECDsa.Create(new ECParameters
                {
                    Curve = ECCurve.NamedCurves.nistP256,
                    Q = new ECPoint { X = Base64UrlEncoder.DecodeBytes(jwk.X), Y = Base64UrlEncoder.DecodeBytes(jwk.Y) },
                    D = string.IsNullOrEmpty(jwk.D) ? null : Base64UrlEncoder.DecodeBytes(jwk.D),
                });
                return SessionKey.Asymmetric(id, algorithm, ec);

            case "RS256" or "PS256" when jwk.Kty == JsonWebAlgorithmsKeyTypes.RSA:
                var parameters = new RSAParameters
                {
                    Modulus = Base64UrlEncoder.DecodeBytes(jwk.N),
                    Exponent = Base64UrlEncoder.DecodeBytes(jwk.E),
                };
                if (!string.IsNullOrEmpty(jwk.D))
                {
                    parameters.D = Base64UrlEncoder.DecodeBytes(jwk.D);
                    parameters.P = Base64UrlEncoder.DecodeBytes(jwk.P);
                    parameters.Q = Base64UrlEncoder.DecodeBytes(jwk.Q);
                    parameters.DP = Base64UrlEncoder.DecodeBytes(jwk.DP);
                    parameters.DQ = Base64UrlEncoder.DecodeBytes(jwk.DQ);
                    parameters.InverseQ = Base64UrlEncoder.DecodeBytes(jwk.QI);
                }

                return SessionKey.Asymmetric(id, algorithm, RSA.Create(parameters));

            default:
                return null;
        }
    }

    private static string ReadFile(string path, string setting)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw Fail($"{setting} '{path}' cannot be read: {exception.GetType().Name}.");
        }
    }

    private static InvalidOperationException Fail(string message) => new(message);
}
