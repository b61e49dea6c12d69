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
    public static AuthorizationPolicyBuilder RequireSession(this AuthorizationPolicyBuilder builder, params SessionRequirement[] requirements)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .AddAuthenticationSchemes(SessionAuthenticationDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()
            .AddRequirements(new SessionAuthorizationRequirement(requirements));
    }
}
