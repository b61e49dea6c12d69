using Microsoft.Extensions.Options;

namespace Sessions.Grpc.Internal.Authentication;

/// <summary>
/// Checks the claim types of each session scheme when the host starts: an empty one would make
/// <see cref="System.Security.Claims.ClaimsIdentity"/> fall back to its own long claim type, so that the name (or the
/// roles) of every session would be missing without a word.
/// </summary>
internal sealed class SessionAuthenticationOptionsValidator : IValidateOptions<SessionAuthenticationOptions>
{
    public ValidateOptionsResult Validate(string? name, SessionAuthenticationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string>? errors = null;
        if (string.IsNullOrWhiteSpace(options.NameClaimType))
        {
            (errors ??= []).Add($"SessionAuthenticationOptions.NameClaimType of the scheme '{name}' is empty: name the claim User.Identity.Name reads " +
                $"('{SessionAuthenticationDefaults.NameClaimType}' unless you set it).");
        }

        if (string.IsNullOrWhiteSpace(options.RoleClaimType))
        {
            (errors ??= []).Add($"SessionAuthenticationOptions.RoleClaimType of the scheme '{name}' is empty: name the claim whose values are roles " +
                $"('{SessionAuthenticationDefaults.RoleClaimType}' unless you set it).");
        }

        return errors is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
