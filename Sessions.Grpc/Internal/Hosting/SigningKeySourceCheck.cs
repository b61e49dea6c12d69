using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Sessions.Jwt;

namespace Sessions.Grpc.Internal.Hosting;

/// <summary>
/// Stops start-up when the host registered its own <see cref="ISessionKeySource"/> and its keys name no signing key:
/// <see cref="SigningKeyCheck"/> sees only the keys of the options, so such a server started and answered every
/// <c>Create</c> with <c>INTERNAL</c>. Checked once the host has built the issuer: an issuer that started with a
/// signing key keeps it through later key sets without one.
/// </summary>
internal sealed class SigningKeySourceCheck(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // A host's own issuer signs as it likes; the options' key source is SigningKeyCheck's to report, by setting name.
        if (services.GetService<ISessionIssuer>() is not JwtSessionIssuer
            || services.GetService<ISessionKeySource>() is not { } source
            || source is OptionsSessionKeySource)
        {
            return Task.CompletedTask;
        }

        if (source.GetKeys().SigningKey is null)
        {
            throw new InvalidOperationException(
                $"The ISessionKeySource of this host ({source.GetType().FullName}) gives keys of which none signs (SessionKeySet.SigningKey is null): this server could validate sessions but not issue them, and every Create would fail. " +
                "Make its SessionKeySet name a key that can sign (a symmetric key, or an EC or RSA key with its private part), or use AddJwtSessionValidation() instead of AddSessions() in a service that only validates.");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
