using Microsoft.AspNetCore.Authorization;
using Sessions.Grpc;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Protects the privileged calls of the sessions service (<c>Create</c>, <c>Revoke</c> by <c>session_id</c>,
/// <c>RevokeAll</c>) with an ASP.NET Core authorization policy:
/// <c>builder.Services.AddSessions().RequirePrivilegedPolicy("admin")</c>. See
/// <see cref="SessionsServiceOptions.PrivilegedPolicy"/> for what is privileged and how refusals look.
/// </summary>
public static class SessionsPrivilegedCallsBuilderExtensions
{
    /// <summary>
    /// Requires the authorization policy <paramref name="policyName"/>, registered by the host
    /// (<c>AddAuthorization(o =&gt; o.AddPolicy(...))</c>), for every privileged call: sets
    /// <see cref="SessionsServiceOptions.PrivilegedPolicy"/>, winning over configuration.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddSessions()</c>.</param>
    /// <param name="policyName">The policy; it must exist when the host starts.</param>
    /// <returns>The same builder.</returns>
    public static ISessionsBuilder RequirePrivilegedPolicy(this ISessionsBuilder builder, string policyName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(policyName);
        builder.Services.AddAuthorization();
        builder.Services.Configure<SessionsServiceOptions>(options => options.PrivilegedPolicy = policyName);
        return builder;
    }

    /// <summary>
    /// Registers the policy <paramref name="configurePolicy"/> builds as
    /// <see cref="SessionsServiceOptions.DefaultPrivilegedPolicy"/> and requires it for every privileged call, for
    /// example <c>policy =&gt; policy.AddAuthenticationSchemes(SessionsApiKeyDefaults.AuthenticationScheme).RequireAuthenticatedUser()</c>.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddSessions()</c>.</param>
    /// <param name="configurePolicy">Builds the policy: its schemes and requirements.</param>
    /// <returns>The same builder.</returns>
    public static ISessionsBuilder RequirePrivilegedPolicy(this ISessionsBuilder builder, Action<AuthorizationPolicyBuilder> configurePolicy)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configurePolicy);
        builder.Services.AddAuthorization(options => options.AddPolicy(SessionsServiceOptions.DefaultPrivilegedPolicy, configurePolicy));
        return builder.RequirePrivilegedPolicy(SessionsServiceOptions.DefaultPrivilegedPolicy);
    }
}
