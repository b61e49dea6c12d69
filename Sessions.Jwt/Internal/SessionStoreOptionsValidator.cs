using Microsoft.Extensions.Options;

namespace Sessions.Jwt.Internal;

/// <summary>Validates <see cref="SessionStoreOptions"/> at start-up, listing every problem with its fix.</summary>
internal sealed class SessionStoreOptionsValidator : IValidateOptions<SessionStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, SessionStoreOptions options)
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(options.UnavailableBehavior))
        {
            errors.Add($"SessionStoreOptions.UnavailableBehavior '{options.UnavailableBehavior}' is not one of Reject, AllowSignatureOnly.");
        }

        Check(errors, nameof(options.RefreshTokenLifetime), options.RefreshTokenLifetime, TimeSpan.FromMinutes(1), TimeSpan.FromDays(366));
        Check(errors, nameof(options.AbsoluteLifetime), options.AbsoluteLifetime, TimeSpan.FromMinutes(1), TimeSpan.FromDays(3660));
        Check(errors, nameof(options.RefreshReuseGracePeriod), options.RefreshReuseGracePeriod, TimeSpan.Zero, TimeSpan.FromMinutes(5));
        Check(errors, nameof(options.PurgeInterval), options.PurgeInterval, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Check(List<string> errors, string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add($"SessionStoreOptions.{name} is {value}; it must be from {min} to {max}.");
        }
    }
}
