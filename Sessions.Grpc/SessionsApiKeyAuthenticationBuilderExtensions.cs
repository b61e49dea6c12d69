using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Sessions.Grpc;
using Sessions.Grpc.Internal;
using Sessions.Grpc.Internal.Privileged;
using Sessions.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds API-key authentication: <c>services.AddAuthentication().AddSessionsApiKey(o =&gt; o.Key = key)</c>. A caller
/// that sends the <c>x-api-key</c> metadata with the key is authenticated (name: the scheme name); one that sends
/// another value is refused; one that sends none (or an empty one) is not authenticated by this scheme. Meant for the privileged calls
/// of the sessions service: <c>AddSessions().RequirePrivilegedPolicy(policy =&gt;
/// policy.AddAuthenticationSchemes(SessionsApiKeyDefaults.AuthenticationScheme).RequireAuthenticatedUser())</c>.
/// </summary>
public static class SessionsApiKeyAuthenticationBuilderExtensions
{
    /// <summary>Adds the <see cref="SessionsApiKeyDefaults.AuthenticationScheme"/> (<c>SessionsApiKey</c>) scheme.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="configure">Sets the key.</param>
    /// <returns>The same builder.</returns>
    public static AuthenticationBuilder AddSessionsApiKey(this AuthenticationBuilder builder, Action<SessionsApiKeyOptions> configure) =>
        builder.AddSessionsApiKey(SessionsApiKeyDefaults.AuthenticationScheme, configure);

    /// <summary>Adds an API-key scheme under another name, for example to give two callers two keys.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="authenticationScheme">The scheme name.</param>
    /// <param name="configure">Sets the key.</param>
    /// <returns>The same builder.</returns>
    public static AuthenticationBuilder AddSessionsApiKey(this AuthenticationBuilder builder, string authenticationScheme, Action<SessionsApiKeyOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(authenticationScheme);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SessionsApiKeyOptions>, ApiKeyOptionsValidator>());
        builder.Services.AddOptions<SessionsApiKeyOptions>(authenticationScheme).ValidateOnStart();
        ClosedGenericServices.AddOptions<SessionsApiKeyOptions>(builder.Services);
        // Made by a factory rather than by the container's constructor lookup: the handler is made once per call that
        // authenticates, and in a Native AOT host that lookup goes through reflection every time. AddScheme's own
        // registration of the handler type is then a no-op.
        builder.Services.TryAddTransient(static provider => new ApiKeyAuthenticationHandler(
            provider.GetRequiredService<IOptionsMonitor<SessionsApiKeyOptions>>(),
            provider.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>(),
            provider.GetRequiredService<System.Text.Encodings.Web.UrlEncoder>()));
        return builder.AddScheme<SessionsApiKeyOptions, ApiKeyAuthenticationHandler>(authenticationScheme, SessionsApiKeyDefaults.DisplayName, configure);
    }
}
