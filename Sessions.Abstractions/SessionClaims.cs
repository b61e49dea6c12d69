using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Sessions;

/// <summary>
/// An ordered set of custom claims: names (compared ordinally) with their values.
/// </summary>
/// <remarks>
/// Build one with a collection initializer to issue a session with claims, and read one from
/// <see cref="Session.Claims"/>. Claims keep the order they were added in, which is also their order in the token.
/// </remarks>
public sealed class SessionClaims : IReadOnlyDictionary<string, SessionClaimValue>
{
    // The claims in order, in an array of its own rather than a List: one object fewer for every set that is built.
    private KeyValuePair<string, SessionClaimValue>[] _items;
    private int _count;

    // Changed by every Add and set, so that an enumeration notices a change, as List's does, rather than running on
    // over claims added inside its own loop.
    private int _version;
    private bool _readOnly;

    /// <summary>Creates an empty set of claims.</summary>
    public SessionClaims()
    {
        // Sessions carry a handful of claims: room for eight spares the list two regrowths as a set is built.
        _items = new KeyValuePair<string, SessionClaimValue>[8];
    }

    /// <summary>Creates a set holding <paramref name="claims"/>.</summary>
    /// <param name="claims">The claims to copy. Names must be unique.</param>
    public SessionClaims(IEnumerable<KeyValuePair<string, SessionClaimValue>> claims)
        : this()
    {
        ArgumentNullException.ThrowIfNull(claims);
        foreach (var claim in claims)
        {
            Add(claim.Key, claim.Value);
        }
    }

    /// <summary>An empty, read-only set.</summary>
    public static SessionClaims Empty { get; } = new SessionClaims().AsReadOnly();

    /// <summary>The number of claims.</summary>
    public int Count => _count;

    /// <summary>Whether the set can no longer change (sets read from a token are read-only).</summary>
    public bool IsReadOnly => _readOnly;

    /// <summary>The claim names, in order.</summary>
    public IEnumerable<string> Keys => _items.Take(_count).Select(static item => item.Key);

    /// <summary>The claim values, in order.</summary>
    public IEnumerable<SessionClaimValue> Values => _items.Take(_count).Select(static item => item.Value);

    /// <summary>Gets or sets a claim. Setting replaces an existing claim of the same name in place.</summary>
    /// <param name="key">The claim name.</param>
    /// <returns>The claim value.</returns>
    /// <exception cref="KeyNotFoundException">No claim has that name.</exception>
    public SessionClaimValue this[string key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No claim named '{key}'.");
        set
        {
            ArgumentNullException.ThrowIfNull(key);
            ThrowIfReadOnly();
            var index = IndexOf(key);
            if (index >= 0)
            {
                _items[index] = new KeyValuePair<string, SessionClaimValue>(key, value);
                _version++;
            }
            else
            {
                Append(new KeyValuePair<string, SessionClaimValue>(key, value));
            }
        }
    }

    /// <summary>Adds a claim.</summary>
    /// <param name="name">The claim name.</param>
    /// <param name="value">The claim value.</param>
    /// <exception cref="ArgumentException">A claim of that name is already present.</exception>
    public void Add(string name, SessionClaimValue value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ThrowIfReadOnly();
        if (IndexOf(name) >= 0)
        {
            throw new ArgumentException($"The claim '{name}' is already present.", nameof(name));
        }

        Append(new KeyValuePair<string, SessionClaimValue>(name, value));
    }

    /// <summary>Makes this set read-only and returns it.</summary>
    /// <returns>This instance.</returns>
    public SessionClaims AsReadOnly()
    {
        _readOnly = true;
        return this;
    }

    /// <inheritdoc/>
    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    /// <inheritdoc/>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out SessionClaimValue value)
    {
        var index = IndexOf(key);
        if (index >= 0)
        {
            value = _items[index].Value;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Enumerates the claims in order, without allocating.</summary>
    /// <returns>A struct enumerator.</returns>
    public Enumerator GetEnumerator() => new(this);

    IEnumerator<KeyValuePair<string, SessionClaimValue>> IEnumerable<KeyValuePair<string, SessionClaimValue>>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // Sessions carry a handful of claims: a linear scan beats hashing and keeps insertion order for free.
    private int IndexOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var items = _items.AsSpan(0, _count);
        for (var i = 0; i < items.Length; i++)
        {
            if (string.Equals(items[i].Key, key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private void Append(KeyValuePair<string, SessionClaimValue> claim)
    {
        if (_count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[_count++] = claim;
        _version++;
    }

    private void ThrowIfReadOnly()
    {
        if (_readOnly)
        {
            throw new InvalidOperationException("These claims are read-only.");
        }
    }

    /// <summary>Enumerates a set's claims in order.</summary>
    /// <remarks>
    /// As <see cref="List{T}"/>'s enumerator: a set that changes (<see cref="Add"/>, or setting a claim) while it is
    /// enumerated makes the next <see cref="MoveNext"/> throw <see cref="InvalidOperationException"/>.
    /// </remarks>
    public struct Enumerator : IEnumerator<KeyValuePair<string, SessionClaimValue>>
    {
        private readonly SessionClaims _claims;
        private readonly int _version;
        private int _index;

        internal Enumerator(SessionClaims claims)
        {
            _claims = claims;
            _version = claims._version;
            _index = -1;
        }

        /// <summary>The claim at the current position.</summary>
        public readonly KeyValuePair<string, SessionClaimValue> Current =>
            (uint)_index < (uint)_claims._count ? _claims._items[_index] : default;

        readonly object IEnumerator.Current => Current;

        /// <summary>Moves to the next claim.</summary>
        /// <returns><see langword="false"/> past the last claim.</returns>
        /// <exception cref="InvalidOperationException">The set changed since the enumeration began.</exception>
        public bool MoveNext()
        {
            if (_version != _claims._version)
            {
                throw new InvalidOperationException("The claims changed while they were enumerated: change them after the loop, or enumerate a copy (new SessionClaims(claims)).");
            }

            return ++_index < _claims._count;
        }

        /// <summary>Moves back before the first claim.</summary>
        /// <exception cref="InvalidOperationException">The set changed since the enumeration began.</exception>
        public void Reset()
        {
            if (_version != _claims._version)
            {
                throw new InvalidOperationException("The claims changed while they were enumerated: start a new enumeration.");
            }

            _index = -1;
        }

        /// <summary>Does nothing: the enumerator holds no resources.</summary>
        public readonly void Dispose()
        {
        }
    }
}
