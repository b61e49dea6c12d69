using Microsoft.Extensions.Options;

namespace Sessions.Lifecycle.Internal;

/// <summary>Validates <see cref="SessionStoreOptions"/> at start-up, listing every problem with its fix.</summary>
internal sealed class SessionStoreOptionsValidator : IValidateOptions<SessionStoreOptions>
{
    /// <summary>
    /// Options given to a constructor rather than through dependency injection, checked as the host would check them:
    /// a store or lifecycle made with a cap of 0 or a negative lifetime would otherwise fail at its first call.
    /// </summary>
    /// <exception cref="OptionsValidationException">The options break a rule; the message lists every problem.</exception>
    public static Func<SessionStoreOptions> Fixed(SessionStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = new SessionStoreOptionsValidator().Validate(Options.DefaultName, options);
        return result.Failed
            ? throw new OptionsValidationException(Options.DefaultName, typeof(SessionStoreOptions), result.Failures)
            : () => options;
    }

    public ValidateOptionsResult Validate(string? name, SessionStoreOptions options)
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(options.UnavailableBehavior))
        {
            errors.Add($"{options.SettingPrefix}{nameof(options.UnavailableBehavior)} '{options.UnavailableBehavior}' is not one of Reject, AllowSignatureOnly.");
        }

        Check(errors, options.SettingPrefix, nameof(options.RefreshTokenLifetime), options.RefreshTokenLifetime, TimeSpan.FromMinutes(1), TimeSpan.FromDays(366));
        Check(errors, options.SettingPrefix, nameof(options.AbsoluteLifetime), options.AbsoluteLifetime, TimeSpan.FromMinutes(1), TimeSpan.FromDays(3660));
        Check(errors, options.SettingPrefix, nameof(options.RefreshReuseGracePeriod), options.RefreshReuseGracePeriod, TimeSpan.Zero, TimeSpan.FromMinutes(5));
        Check(errors, options.SettingPrefix, nameof(options.PurgeInterval), options.PurgeInterval, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        Check(errors, options.SettingPrefix, nameof(options.MaxRevocations), options.MaxRevocations, 1, 100_000_000);
        Check(errors, options.SettingPrefix, nameof(options.MaxChainsPerSubject), options.MaxChainsPerSubject, 1, 100_000);
        Check(errors, options.SettingPrefix, nameof(options.MaxRefreshTokensPerChain), options.MaxRefreshTokensPerChain, 2, 100_000);
        Check(errors, options.SettingPrefix, nameof(options.MaxChains), options.MaxChains, 1, 100_000_000);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Check<T>(List<string> errors, string prefix, string name, T value, T min, T max)
        where T : IComparable<T>
    {
        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
        {
            errors.Add($"{prefix}{name} is {value}; it must be from {min} to {max}.");
        }
    }
}
