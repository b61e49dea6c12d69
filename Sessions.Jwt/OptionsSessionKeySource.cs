using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Sessions.Jwt.Internal;
using Sessions.Jwt.Internal.Keys;

namespace Sessions.Jwt;

/// <summary>
/// The key source of <see cref="JwtSessionOptions"/>: <see cref="JwtSessionOptions.Secret"/> as the key without
/// <c>kid</c>, and <see cref="JwtSessionOptions.Keys"/>. Follows option changes (for example a configuration reload),
/// so keys rotate without a restart; generated keys survive reloads.
/// </summary>
public sealed class OptionsSessionKeySource : ISessionKeySource, IDisposable
{
    private readonly Dictionary<string, SessionKey> _generated = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly IDisposable? _subscription;
    private SessionKeySet _current;

    /// <summary>Creates a key source from fixed options.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="OptionsValidationException">The keys cannot be loaded; the message says why.</exception>
    public OptionsSessionKeySource(JwtSessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _current = Build(options);
    }

    /// <summary>Creates a key source that follows option changes.</summary>
    /// <param name="options">The options monitor.</param>
    /// <exception cref="OptionsValidationException">The keys cannot be loaded; the message says why.</exception>
    public OptionsSessionKeySource(IOptionsMonitor<JwtSessionOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _current = Build(options.CurrentValue);
        _subscription = options.OnChange(Reload);
    }

    /// <inheritdoc/>
    public event EventHandler? KeysChanged;

    /// <inheritdoc/>
    public SessionKeySet GetKeys() => Volatile.Read(ref _current);

    /// <summary>Options change on their own schedule; there is nothing to fetch.</summary>
    /// <param name="cancellationToken">Not used.</param>
    /// <returns><see langword="false"/>.</returns>
    public ValueTask<bool> RefreshAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(false);

    /// <inheritdoc/>
    public void Dispose() => _subscription?.Dispose();

    private void Reload(JwtSessionOptions options, string? name)
    {
        if (name is not null && name != Options.DefaultName)
        {
            return;
        }

        try
        {
            Volatile.Write(ref _current, Build(options));
        }
        catch (OptionsValidationException)
        {
            // A reload to broken keys keeps the last good ones: refusing every session would be worse.
            return;
        }

        KeysChanged?.Invoke(this, EventArgs.Empty);
    }

    private SessionKeySet Build(JwtSessionOptions options)
    {
        lock (_lock)
        {
            var keys = new List<SessionKey>();
            var errors = new List<string>();
            if (!string.IsNullOrEmpty(options.Secret))
            {
                if (SecretDecoder.TryDecodeKey(options.Secret, options.SettingPrefix + "Secret", out var secret, out var error))
                {
                    keys.Add(SessionKey.Symmetric(null, secret));
                }
                else
                {
                    errors.Add(error);
                }

                CryptographicOperations.ZeroMemory(secret);
            }

            for (var i = 0; i < options.Keys.Count; i++)
            {
                try
                {
                    keys.Add(SessionKeyLoader.Load(options.Keys[i], options.KeySetting(i), _generated));
                }
                catch (InvalidOperationException exception)
                {
                    errors.Add(exception.Message);
                }
            }

            if (errors.Count == 0 && keys.Count == 0)
            {
                errors.Add($"{options.SettingPrefix}Secret is not set and {options.SettingPrefix}Keys is empty: there is no key to sign or validate sessions with.");
            }

            var signingKeyId = options.SigningKeyId ?? keys.FirstOrDefault(k => k.Id is not null && k.CanSign)?.Id;
            var signWithLegacy = signingKeyId is null && keys.Any(k => k.Id is null);
            if (errors.Count == 0)
            {
                try
                {
                    return new SessionKeySet(keys, signingKeyId, signWithLegacy);
                }
                catch (ArgumentException exception)
                {
                    errors.Add($"{options.SettingPrefix}SigningKeyId: {KeyErrors.WithoutParameterName(exception)}");
                }
            }

            throw new OptionsValidationException(Options.DefaultName, typeof(JwtSessionOptions), errors);
        }
    }
}
