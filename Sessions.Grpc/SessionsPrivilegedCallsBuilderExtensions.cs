using Microsoft.AspNetCore.Authorization;
using Sessions.Grpc;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Protects the privileged calls of the sessions service (<c>Create</c>, <c>Revoke</c> by <c>session_id</c>,
/// <c>RevokeAll</c>, <c>ListSessions</c>) with an API key, <c>builder.Services.AddSessions().RequireApiKey()</c>, or
/// with an ASP.NET Core authorization policy, <c>builder.Services.AddSessions().RequirePrivilegedPolicy("admin")</c>, or
/// both. See <see cref="SessionsServiceOptions.ApiKey"/> and <see cref="SessionsServiceOptions.PrivilegedPolicy"/> for
/// what is privileged and how refusals look.
/// </summary>
public static class SessionsPrivilegedCallsBuilderExtensions
{
    /// <summary>
    /// Requires the key of <c>Sessions:ApiKey</c> (<c>Sessions__ApiKey</c> in the environment) for every privileged
    /// call: start-up stops, naming the setting, when it is not set or shorter than
    /// <see cref="SessionsApiKeyOptions.MinimumKeyBytes"/> (32) bytes. See <see cref="SessionsServiceOptions.ApiKey"/>.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddSessions()</c>.</param>
    /// <returns>The same builder.</returns>
    public static ISessionsBuilder RequireApiKey(this ISessionsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<SessionsServiceOptions>(options => options.ApiKeyRequired = true);
        return builder;
    }

    /// <summary>
    /// Requires <paramref name="key"/> for every privileged call: sets <see cref="SessionsServiceOptions.ApiKey"/>,
    /// winning over configuration. Start-up stops when it is <see langword="null"/> (a variable that is not set) or shorter
    /// than <see cref="SessionsApiKeyOptions.MinimumKeyBytes"/> (32) bytes.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddSessions()</c>.</param>
    /// <param name="key">The key callers send as the <c>x-api-key</c> metadata, from a secret store or the environment.</param>
    /// <returns>The same builder.</returns>
    public static ISessionsBuilder RequireApiKey(this ISessionsBuilder builder, string? key)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<SessionsServiceOptions>(options =>
        {
            options.ApiKey = key;
            options.ApiKeyRequired = true;
        });
        return builder;
    }

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
