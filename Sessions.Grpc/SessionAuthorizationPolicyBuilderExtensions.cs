using Sessions;
using Sessions.Grpc;

namespace Microsoft.AspNetCore.Authorization;

/// <summary>
/// Session requirements as ASP.NET Core authorization policies:
/// <c>options.AddPolicy("admins", p =&gt; p.RequireSession(SessionRequirement.ClaimContains("role", "admin")))</c>.
/// </summary>
public static class SessionAuthorizationPolicyBuilderExtensions
{
    /// <summary>
    /// Requires an authenticated session (scheme <c>Sessions</c>) that meets every one of <paramref name="requirements"/>.
    /// Needs <c>services.AddAuthentication().AddSessionBearer()</c>, which registers the handler that checks them.
    /// </summary>
    /// <param name="builder">The policy builder.</param>
    /// <param name="requirements">What the session must meet, checked in order.</param>
    /// <returns>The same builder.</returns>
    public static AuthorizationPolicyBuilder RequireSession(this AuthorizationPolicyBuilder builder, params SessionRequirement[] requirements) =>
        RequireSession(builder, SessionAuthenticationDefaults.AuthenticationScheme, requirements);

    /// <summary>
    /// Requires a session authenticated by the scheme <paramref name="authenticationScheme"/> (one registered with
    /// <c>AddSessionBearer(authenticationScheme, ...)</c>) that meets every one of <paramref name="requirements"/>.
    /// </summary>
    /// <param name="builder">The policy builder.</param>
    /// <param name="authenticationScheme">The session scheme's name.</param>
    /// <param name="requirements">What the session must meet, checked in order.</param>
    /// <returns>The same builder.</returns>
    public static AuthorizationPolicyBuilder RequireSession(this AuthorizationPolicyBuilder builder, string authenticationScheme, params SessionRequirement[] requirements)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(authenticationScheme);
        return builder
            .AddAuthenticationSchemes(authenticationScheme)
            .RequireAuthenticatedUser()
            .AddRequirements(new SessionAuthorizationRequirement(requirements));
    }
}
