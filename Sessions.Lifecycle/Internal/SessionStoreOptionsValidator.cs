using Microsoft.Extensions.Options;

namespace Sessions.Lifecycle.Internal;

/// <summary>Validates <see cref="SessionStoreOptions"/> at start-up, listing every problem with its fix.</summary>
internal sealed class SessionStoreOptionsValidator : IValidateOptions<SessionStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, SessionStoreOptions options)
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(options.UnavailableBehavior))
        {
            errors.Add($"{SessionStoreOptions.SectionName}:{nameof(options.UnavailableBehavior)} '{options.UnavailableBehavior}' is not one of Reject, AllowSignatureOnly.");
        }

        Check(errors, nameof(options.RefreshTokenLifetime), options.RefreshTokenLifetime, TimeSpan.FromMinutes(1), TimeSpan.FromDays(366));
        Check(errors, nameof(options.AbsoluteLifetime), options.AbsoluteLifetime, TimeSpan.FromMinutes(1), TimeSpan.FromDays(3660));
        Check(errors, nameof(options.RefreshReuseGracePeriod), options.RefreshReuseGracePeriod, TimeSpan.Zero, TimeSpan.FromMinutes(5));
        Check(errors, nameof(options.PurgeInterval), options.PurgeInterval, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        Check(errors, nameof(options.MaxRevocations), options.MaxRevocations, 1, 100_000_000);
        Check(errors, nameof(options.MaxChainsPerSubject), options.MaxChainsPerSubject, 1, 100_000);
        Check(errors, nameof(options.MaxRefreshTokensPerChain), options.MaxRefreshTokensPerChain, 2, 100_000);
        Check(errors, nameof(options.MaxChains), options.MaxChains, 1, 100_000_000);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Check<T>(List<string> errors, string name, T value, T min, T max)
        where T : IComparable<T>
    {
        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
        {
            errors.Add($"{SessionStoreOptions.SectionName}:{name} is {value}; it must be from {min} to {max}.");
        }
    }
}
