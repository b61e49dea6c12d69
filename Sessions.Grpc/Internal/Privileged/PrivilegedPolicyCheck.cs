using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sessions.Grpc.Internal.Hosting;
using Sessions.Internal;

namespace Sessions.Grpc.Internal.Privileged;

/// <summary>
/// Checks <see cref="SessionsServiceOptions.PrivilegedPolicy"/> while the host starts, so that a policy or scheme
/// that does not exist stops start-up with a message saying what to add, instead of failing every privileged call;
/// and warns when neither a policy nor an API key protects them.
/// </summary>
internal sealed class PrivilegedPolicyCheck(SessionsServiceSettings settings, IServiceProvider services, ILogger<PrivilegedPolicyCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var setting = SettingNames.Prefix(services.GetServices<SessionsConfigurationPath>(), typeof(SessionsServiceOptions), Sessions.Jwt.JwtSessionOptions.SectionName)
            + nameof(SessionsServiceOptions.PrivilegedPolicy);
        // Also makes the settings holder now, so that it follows every reload from the start.
        var current = settings.Current;
        if (current.PrivilegedPolicy is not { } name)
        {
            if (current.ApiKey is null)
            {
                PrivilegedCallsLog.Open(logger);
            }

            return;
        }

        var policies = services.GetService<IAuthorizationPolicyProvider>()
            ?? throw new InvalidOperationException(
                $"{setting} is '{name}' but authorization is not set up: call builder.Services.AddAuthorization(o => o.AddPolicy(\"{name}\", ...)), or AddSessions().RequirePrivilegedPolicy(policy => ...).");
        var policy = await policies.GetPolicyAsync(name).ConfigureAwait(false)
            ?? throw new InvalidOperationException(
                $"{setting} '{name}' is not an authorization policy: add it with builder.Services.AddAuthorization(o => o.AddPolicy(\"{name}\", ...)).");

        var schemes = services.GetService<IAuthenticationSchemeProvider>();
        foreach (var scheme in policy.AuthenticationSchemes)
        {
            if (schemes is null || await schemes.GetSchemeAsync(scheme).ConfigureAwait(false) is null)
            {
                throw new InvalidOperationException(
                    $"The authorization policy '{name}' of {setting} authenticates with the scheme '{scheme}', which is not registered: add it with builder.Services.AddAuthentication().Add...(\"{scheme}\", ...).");
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
