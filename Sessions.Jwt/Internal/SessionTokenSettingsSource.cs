using Microsoft.Extensions.Options;

namespace Sessions.Jwt.Internal;

/// <summary>
/// Holds the current <see cref="SessionTokenSettings"/> and swaps in a new snapshot when the options or the keys
/// change. A change to invalid options is ignored: the last good settings stay in force rather than failing every call.
/// </summary>
internal sealed class SessionTokenSettingsSource : IDisposable
{
    private readonly Lock _lock = new();
    private readonly IDisposable? _subscription;
    private readonly IOptionsMonitor<JwtSessionOptions>? _monitor;
    private readonly JwtSessionOptions? _fixed;
    private readonly OptionsSessionKeySource? _ownedKeys;
    private SessionTokenSettings _current;

    public SessionTokenSettingsSource(JwtSessionOptions options, ISessionKeySource? keys)
    {
        ArgumentNullException.ThrowIfNull(options);
        _fixed = options;
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
        _current = SessionTokenSettings.Create(options, keys.GetKeys());
        KeySource.KeysChanged += OnKeysChanged;
    }

    public SessionTokenSettingsSource(IOptionsMonitor<JwtSessionOptions> options, ISessionKeySource keys)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(keys);
        _monitor = options;
        KeySource = keys;
        _current = SessionTokenSettings.Create(options.CurrentValue, keys.GetKeys());
        _subscription = options.OnChange((_, name) =>
        {
            if (name is null || name == Options.DefaultName)
            {
                Rebuild();
            }
        });
        KeySource.KeysChanged += OnKeysChanged;
    }

    public ISessionKeySource KeySource { get; }

    public SessionTokenSettings Current => Volatile.Read(ref _current);

    public void Dispose()
    {
        KeySource.KeysChanged -= OnKeysChanged;
        _subscription?.Dispose();
        _ownedKeys?.Dispose();
    }

    private void OnKeysChanged(object? sender, EventArgs e) => Rebuild();

    private void Rebuild()
    {
        lock (_lock)
        {
            SessionTokenSettings next;
            try
            {
                next = SessionTokenSettings.Create(_monitor?.CurrentValue ?? _fixed!, KeySource.GetKeys());
            }
            catch (OptionsValidationException)
            {
                return;
            }

            // The previous snapshot is not disposed at once: calls in flight may still be using its keys. Its pooled
            // crypto objects are released by the GC; its key bytes are zeroed after a grace period.
            var previous = Interlocked.Exchange(ref _current, next);
            _ = Task.Delay(TimeSpan.FromSeconds(30)).ContinueWith(_ => previous.Dispose(), TaskScheduler.Default);
        }
    }
}
