using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Sessions.Jwt.Internal.Settings;

/// <summary>
/// Holds the current <see cref="SessionTokenSettings"/> and swaps in a new snapshot when the options or the keys
/// change. A change to invalid options is ignored: the last good settings stay in force rather than failing every call.
/// </summary>
/// <remarks>
/// New keys are built with the options last found valid, never with <see cref="IOptionsMonitor{TOptions}.CurrentValue"/>:
/// after a reload of the configuration to invalid values that throws on every read, and the keys of a rotation (a
/// session server's new key, fetched from its JWKS) would be dropped until someone fixed the file, every token signed
/// with them refused.
/// </remarks>
internal sealed class SessionTokenSettingsSource : IDisposable
{
    private readonly Lock _lock = new();
    private readonly IDisposable? _subscription;
    private readonly OptionsSessionKeySource? _ownedKeys;
    private readonly bool _keepsSigner;
    private readonly ILogger? _logger;

    // The key set without a signing key last refused, so that a change seen twice (the options, then the keys they
    // made) is said once.
    private SessionKeySet? _refused;
    private SessionTokenSettings _current;

    // The options the current settings were built with: valid, since building checked them.
    private JwtSessionOptions _options;

    /// <param name="options">The options.</param>
    /// <param name="keys">The key source; <see langword="null"/> for the keys of <paramref name="options"/>.</param>
    /// <param name="keepsSigner">Whether a key set without a signing key leaves the previous one signing (for an issuer).</param>
    public SessionTokenSettingsSource(JwtSessionOptions options, ISessionKeySource? keys, bool keepsSigner = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _keepsSigner = keepsSigner;
        if (keys is null)
        {
            var errors = JwtSessionOptionsValidator.Collect(options, checkKeys: false);
            if (errors.Count > 0)
            {
                throw new OptionsValidationException(Options.DefaultName, typeof(JwtSessionOptions), errors);
            }

            keys = _ownedKeys = new OptionsSessionKeySource(options);
        }

        KeySource = keys;
        Subscribe(options);
    }

    /// <param name="options">The options monitor.</param>
    /// <param name="keys">The key source.</param>
    /// <param name="keepsSigner">Whether a key set without a signing key leaves the previous one signing (for an issuer).</param>
    /// <param name="logger">Says when it does; <see langword="null"/> for no line.</param>
    public SessionTokenSettingsSource(IOptionsMonitor<JwtSessionOptions> options, ISessionKeySource keys, bool keepsSigner = false, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(keys);
        KeySource = keys;
        _keepsSigner = keepsSigner;
        _logger = logger;
        _options = options.CurrentValue;
        Subscribe(_options);
        _subscription = options.OnChange((changed, name) =>
        {
            if (name is null || name == Options.DefaultName)
            {
                Rebuild(changed);
            }
        });
    }

    public ISessionKeySource KeySource { get; }

    public SessionTokenSettings Current => Volatile.Read(ref _current);

    public void Dispose()
    {
        KeySource.KeysChanged -= OnKeysChanged;
        _subscription?.Dispose();
        _ownedKeys?.Dispose();
    }

    private void OnKeysChanged(object? sender, EventArgs e) => Rebuild(null);

    // The settings of the keys read, and KeysChanged from then on. A change between the read and the subscription (a
    // JWKS fetch that ends on another thread meanwhile) raises its event before this source listens: it is caught by
    // reading the keys again. Without that, the settings kept the keys read first until the next change, and a JWKS
    // source only raises one when the published document changes: every token signed with the new keys was refused
    // as UnknownKey, its refresh finding the same document.
    [MemberNotNull(nameof(_current))]
    private void Subscribe(JwtSessionOptions options)
    {
        var read = KeySource.GetKeys();
        _current = SessionTokenSettings.Create(options, read);
        KeySource.KeysChanged += OnKeysChanged;
        if (!ReferenceEquals(KeySource.GetKeys(), read))
        {
            Rebuild(null);
        }
    }

    /// <summary>Builds the settings anew from <paramref name="changed"/> options, or from the last valid ones when only the keys changed.</summary>
    private void Rebuild(JwtSessionOptions? changed)
    {
        lock (_lock)
        {
            var options = changed ?? _options;
            var keys = KeySource.GetKeys();
            if (_keepsSigner && keys.SigningKey is null && _current.Keys.KeySet.SigningKey is { } signer)
            {
                // An issuer that could sign keeps the keys it signed with rather than failing every session from
                // now on (a reload that left only public keys, a key source that lost its private key). Its ring
                // is built anew from the same keys, which the previous snapshot does not own.
                var refused = keys;
                keys = _current.Keys.KeySet;
                if (_logger is not null && !ReferenceEquals(Interlocked.Exchange(ref _refused, refused), refused))
                {
                    JwtLog.SigningKeyKept(_logger, signer.Id ?? "(no kid)", options.SettingPrefix + nameof(JwtSessionOptions.Keys), options.SettingPrefix + nameof(JwtSessionOptions.SigningKeyId));
                }
            }

            SessionTokenSettings next;
            try
            {
                next = SessionTokenSettings.Create(options, keys);
            }
            catch (OptionsValidationException)
            {
                return;
            }

            _options = options;

            // The previous snapshot is not disposed at once: calls in flight may still be using its keys. Its pooled
            // crypto objects are released by the GC; its key bytes are zeroed after a grace period.
            var previous = Interlocked.Exchange(ref _current, next);
            _ = Task.Delay(TimeSpan.FromSeconds(30)).ContinueWith(_ => previous.Dispose(), TaskScheduler.Default);
        }
    }
}
