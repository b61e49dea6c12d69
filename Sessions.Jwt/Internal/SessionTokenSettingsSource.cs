using Microsoft.Extensions.Options;

namespace Sessions.Jwt.Internal;

/// <summary>
/// Holds the current <see cref="SessionTokenSettings"/> and swaps in a new snapshot when the options change.
/// A change to invalid options is ignored: the last good settings stay in force rather than failing every call.
/// </summary>
internal sealed class SessionTokenSettingsSource : IDisposable
{
    private readonly IDisposable? _subscription;
    private SessionTokenSettings _current;

    public SessionTokenSettingsSource(JwtSessionOptions options)
    {
        _current = SessionTokenSettings.Create(options);
    }

    public SessionTokenSettingsSource(IOptionsMonitor<JwtSessionOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _current = SessionTokenSettings.Create(options.CurrentValue);
        _subscription = options.OnChange(Update);
    }

    public SessionTokenSettings Current => Volatile.Read(ref _current);

    public void Dispose()
    {
        _subscription?.Dispose();
        _current.Dispose();
    }

    private void Update(JwtSessionOptions options, string? name)
    {
        if (name is not null && name != Options.DefaultName)
        {
            return;
        }

        SessionTokenSettings next;
        try
        {
            next = SessionTokenSettings.Create(options);
        }
        catch (OptionsValidationException)
        {
            return;
        }

        // The previous key is not disposed: calls in flight may still be using it, and the GC reclaims it safely.
        Interlocked.Exchange(ref _current, next);
    }
}
