namespace Sessions;

/// <summary>
/// A key ring at one moment: every key that still validates, and the one that signs new sessions.
/// </summary>
public sealed class SessionKeySet
{
    /// <summary>Creates a key set.</summary>
    /// <param name="keys">The keys. Identifiers must be unique, and at most one key may lack an identifier.</param>
    /// <param name="signingKeyId">
    /// The identifier of the key that signs new sessions; <see langword="null"/> for a validation-only set, or to sign
    /// with the one key without identifier. The key must be able to sign.
    /// </param>
    /// <param name="signWithKeyWithoutId">Whether the key without identifier signs (when <paramref name="signingKeyId"/> is <see langword="null"/>).</param>
    /// <exception cref="ArgumentException">The keys are not unique or the signing key is missing or cannot sign.</exception>
    public SessionKeySet(IEnumerable<SessionKey> keys, string? signingKeyId, bool signWithKeyWithoutId = false)
    {
        ArgumentNullException.ThrowIfNull(keys);
        Keys = keys.ToArray();
        var ids = new HashSet<string?>(StringComparer.Ordinal);
        foreach (var key in Keys)
        {
            ArgumentNullException.ThrowIfNull(key, nameof(keys));
            if (!ids.Add(key.Id))
            {
                throw new ArgumentException(key.Id is null ? "At most one key may lack an id." : $"The key id '{key.Id}' is used twice.", nameof(keys));
            }
        }

        if (signingKeyId is not null || signWithKeyWithoutId)
        {
            SigningKey = Keys.FirstOrDefault(k => string.Equals(k.Id, signingKeyId, StringComparison.Ordinal))
                ?? throw new ArgumentException($"The signing key '{signingKeyId ?? "(no kid)"}' is not in the key set.", nameof(signingKeyId));
            if (!SigningKey.CanSign)
            {
                throw new ArgumentException($"The signing key '{signingKeyId}' has no private part and cannot sign.", nameof(signingKeyId));
            }
        }
    }

    /// <summary>Every key that validates tokens, the signing key included.</summary>
    public IReadOnlyList<SessionKey> Keys { get; }

    /// <summary>The key that signs new sessions; <see langword="null"/> for a validation-only set.</summary>
    public SessionKey? SigningKey { get; }
}
