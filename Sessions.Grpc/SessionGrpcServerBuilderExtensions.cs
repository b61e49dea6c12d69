using Grpc.AspNetCore.Server;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sessions.Grpc;
using Sessions.Grpc.Internal;
using Sessions.Grpc.Internal.Authentication;
using Sessions.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Requires a session on every gRPC call of a host: <c>services.AddGrpc().AddSessionAuthentication()</c>.
/// </summary>
public static class SessionGrpcServerBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="SessionAuthenticationInterceptor"/> to every gRPC service of the host (once, however often this
    /// is called). Tokens are validated by the registered <see cref="Sessions.ISessionValidator"/>: add one with
    /// <c>services.AddJwtSessionValidation(o =&gt; o.JwksUri = ...)</c> (or <c>AddSessions()</c> on the session server);
    /// without one the host fails at start with a message naming <c>AddJwtSessionValidation</c>.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddGrpc()</c>.</param>
    /// <param name="configure">Names the methods that need no session, e.g. <c>o =&gt; o.AllowAnonymous.Add("grpc.health.v1.Health")</c>.</param>
    /// <returns>The same builder.</returns>
    public static IGrpcServerBuilder AddSessionAuthentication(this IGrpcServerBuilder builder, Action<SessionAuthenticationInterceptorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.AddOptions<SessionAuthenticationInterceptorOptions>()
            .Validate<IServiceProviderIsService>(static (_, provider) => SessionValidatorRequirement.IsMet(provider), SessionValidatorRequirement.Message("AddGrpc().AddSessionAuthentication()"))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Options.IValidateOptions<SessionAuthenticationInterceptorOptions>, InterceptorOptionsValidator>());
        ClosedGenericServices.AddOptions<SessionAuthenticationInterceptorOptions>(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, SessionsWarmUp>());

        if (!services.Any(d => d.ServiceType == typeof(SessionAuthenticationInterceptor)))
        {
            services.TryAddSingleton<SessionAuthenticationInterceptor>();
            ClosedGenericServices.AddLogger<SessionAuthenticationInterceptor>(services);
            services.Configure<GrpcServiceOptions>(o => o.Interceptors.Add<SessionAuthenticationInterceptor>());
        }

        return builder;
    }
}
