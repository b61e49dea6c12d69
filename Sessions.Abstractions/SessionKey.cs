using System.Security.Cryptography;
using Sessions.Internal;

namespace Sessions;

/// <summary>
/// One key of a session key ring: its identifier (the JWS <c>kid</c>), the one algorithm it may be used with, and its
/// material — a symmetric secret, or an EC or RSA key (private to sign, public to validate only).
/// </summary>
/// <remarks>
/// A key is pinned to its algorithm: a token is checked only with the algorithm of the key its <c>kid</c> names, so an
/// RSA public key can never be mistaken for an HMAC secret.
/// </remarks>
public sealed class SessionKey
{
    private readonly byte[]? _secret;

    private SessionKey(string? id, string algorithm, byte[]? secret, AsymmetricAlgorithm? asymmetric, bool canSign)
    {
        Id = id;
        Algorithm = algorithm;
        _secret = secret;
        AsymmetricKey = asymmetric;
        CanSign = canSign;
    }

    /// <summary>The key identifier written as <c>kid</c>; <see langword="null"/> for a legacy key that tokens name by omitting <c>kid</c>.</summary>
    public string? Id { get; }

    /// <summary>The JWS algorithm this key is pinned to: <c>HS256</c>, <c>ES256</c>, <c>RS256</c> or <c>PS256</c>.</summary>
    public string Algorithm { get; }

    /// <summary>Whether the key is a shared secret (HS256). Symmetric keys are never published.</summary>
    public bool IsSymmetric => _secret is not null;

    /// <summary>Whether the key can sign: a symmetric secret, or an asymmetric key with its private part.</summary>
    public bool CanSign { get; }

    /// <summary>The EC (<see cref="ECDsa"/>) or RSA (<see cref="RSA"/>) key; <see langword="null"/> for a symmetric key.</summary>
    public AsymmetricAlgorithm? AsymmetricKey { get; }

    /// <summary>The algorithms a key can be pinned to.</summary>
    public static IReadOnlyList<string> SupportedAlgorithms { get; } = ["HS256", "ES256", "RS256", "PS256"];

    /// <summary>Creates an HS256 key from a shared secret of at least 32 bytes.</summary>
    /// <param name="id">The key identifier, or <see langword="null"/> for tokens without <c>kid</c>.</param>
    /// <param name="secret">The secret; copied.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException">The secret is shorter than 32 bytes.</exception>
    public static SessionKey Symmetric(string? id, ReadOnlySpan<byte> secret)
    {
        if (secret.Length < 32)
        {
            throw new ArgumentException($"An HS256 secret must be at least 32 bytes (256 bits); this one is {secret.Length}.", nameof(secret));
        }

        CheckId(id);
        return new SessionKey(id, "HS256", secret.ToArray(), null, canSign: true);
    }

    /// <summary>Creates an ES256, RS256 or PS256 key.</summary>
    /// <param name="id">The key identifier; required, since asymmetric keys are published and looked up by it.</param>
    /// <param name="algorithm"><c>ES256</c> (needs a P-256 <see cref="ECDsa"/> key), <c>RS256</c> or <c>PS256</c> (need an <see cref="RSA"/> key of at least 2048 bits).</param>
    /// <param name="key">The key; with its private part it can sign, without it only validate. The key ring owns it from now on.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException">The algorithm and the key do not fit together, or the key is too weak.</exception>
    public static SessionKey Asymmetric(string id, string algorithm, AsymmetricAlgorithm key)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(algorithm);
        ArgumentNullException.ThrowIfNull(key);
        CheckId(id);
        bool canSign;
        switch (algorithm)
        {
            case "ES256" when key is ECDsa ec:
                var parameters = ec.ExportParameters(false);
                if (parameters.Curve.Oid?.Value != ECCurve.NamedCurves.nistP256.Oid.Value && parameters.Curve.Oid?.FriendlyName is not ("nistP256" or "ECDSA_P256"))
                {
                    throw new ArgumentException($"ES256 needs a P-256 key; key '{id}' is on another curve.", nameof(key));
                }

                canSign = HasPrivateKey(ec);
                break;
            case "RS256" or "PS256" when key is RSA rsa:
                if (rsa.KeySize < 2048)
                {
                    throw new ArgumentException($"{algorithm} needs an RSA key of at least 2048 bits; key '{id}' has {rsa.KeySize}.", nameof(key));
                }

                canSign = HasPrivateKey(rsa);
                break;
            case "ES256" or "RS256" or "PS256":
                throw new ArgumentException($"Key '{id}': {algorithm} needs {(algorithm == "ES256" ? "an ECDsa" : "an RSA")} key, not {key.GetType().Name}.", nameof(key));
            default:
                throw new ArgumentException($"Key '{id}': algorithm '{algorithm}' is not supported; use one of {string.Join(", ", SupportedAlgorithms)}.", nameof(algorithm));
        }

        return new SessionKey(id, algorithm, null, key, canSign);
    }

    /// <summary>Copies the symmetric secret into <paramref name="destination"/>; for key-ring implementations.</summary>
    /// <param name="destination">Receives the secret; must be at least <see cref="SymmetricKeyLength"/> bytes.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="InvalidOperationException">The key is not symmetric.</exception>
    public int CopySymmetricKey(Span<byte> destination)
    {
        var secret = _secret ?? throw new InvalidOperationException($"Key '{Id}' is not symmetric.");
        secret.CopyTo(destination);
        return secret.Length;
    }

    /// <summary>The length of the symmetric secret in bytes; 0 for asymmetric keys.</summary>
    public int SymmetricKeyLength => _secret?.Length ?? 0;

    /// <summary>Describes the key without its material.</summary>
    /// <returns>The identifier and algorithm.</returns>
    public override string ToString() => $"{Algorithm} key '{Id ?? "(no kid)"}'{(CanSign ? " (signing)" : " (validation only)")}";

    private static void CheckId(string? id)
    {
        if (id is not null && !KeyIds.IsValid(id))
        {
            throw new ArgumentException($"A key id must be 1 to {KeyIds.MaxLength} characters without control characters.", nameof(id));
        }
    }

    private static bool HasPrivateKey(ECDsa key)
    {
        try
        {
            return key.ExportParameters(true).D is { Length: > 0 };
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static bool HasPrivateKey(RSA key)
    {
        try
        {
            return key.ExportParameters(true).D is { Length: > 0 };
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
