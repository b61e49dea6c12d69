using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sessions.Grpc;
using Sessions.Grpc.Internal;
using Sessions.Grpc.Internal.Authentication;
using Sessions.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds session-token authentication to ASP.NET Core: <c>services.AddAuthentication().AddSessionBearer()</c>, the
/// counterpart of <c>AddJwtBearer()</c> for session tokens. (<c>AddSessions()</c> is the session server itself.)
/// </summary>
/// <remarks>
/// The handler validates with the registered <see cref="Sessions.ISessionValidator"/>: on the session server it is the
/// server's own (<c>AddSessions()</c>); in other services register one with
/// <c>services.AddJwtSessionValidation(o =&gt; o.JwksUri = ...)</c>, which validates locally with the keys the session
/// server publishes. Without a validator the host fails at start with a message naming <c>AddJwtSessionValidation</c>.
/// </remarks>
public static class SessionAuthenticationBuilderExtensions
{
    /// <summary>
    /// Adds the <see cref="SessionAuthenticationDefaults.AuthenticationScheme"/> (<c>Sessions</c>) scheme.
    /// </summary>
    /// <param name="builder">The authentication builder.</param>
    /// <returns>The same builder.</returns>
    public static AuthenticationBuilder AddSessionBearer(this AuthenticationBuilder builder) =>
        builder.AddSessionBearer(SessionAuthenticationDefaults.AuthenticationScheme, configure: null);

    /// <summary>
    /// Adds the <see cref="SessionAuthenticationDefaults.AuthenticationScheme"/> (<c>Sessions</c>) scheme with options.
    /// </summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="configure">Sets the claim types of name and role.</param>
    /// <returns>The same builder.</returns>
    public static AuthenticationBuilder AddSessionBearer(this AuthenticationBuilder builder, Action<SessionAuthenticationOptions>? configure) =>
        builder.AddSessionBearer(SessionAuthenticationDefaults.AuthenticationScheme, configure);

    /// <summary>Adds a session-token scheme under another name.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="authenticationScheme">The scheme name.</param>
    /// <param name="configure">Sets the claim types of name and role.</param>
    /// <returns>The same builder.</returns>
    public static AuthenticationBuilder AddSessionBearer(this AuthenticationBuilder builder, string authenticationScheme, Action<SessionAuthenticationOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(authenticationScheme);
        ClosedGenericServices.AddOptions<SessionAuthenticationOptions>(builder.Services);
        builder.Services.AddOptions<SessionAuthenticationOptions>(authenticationScheme)
            .Validate<IServiceProviderIsService>(static (_, services) => SessionValidatorRequirement.IsMet(services), SessionValidatorRequirement.Message("AddAuthentication().AddSessionBearer()"))
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Options.IValidateOptions<SessionAuthenticationOptions>, SessionAuthenticationOptionsValidator>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationHandler, SessionAuthorizationHandler>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, SessionsWarmUp>());
        return builder.AddScheme<SessionAuthenticationOptions, SessionAuthenticationHandler>(authenticationScheme, configure);
    }
}
