using Microsoft.Extensions.DependencyInjection;

namespace Sessions.Grpc.Internal.Authentication;

/// <summary>
/// The start-up check of the authentication registrations: they validate with the registered
/// <see cref="ISessionValidator"/>, and without one every call would fail with "Unable to resolve service".
/// </summary>
internal static class SessionValidatorRequirement
{
    public static bool IsMet(IServiceProviderIsService services) => services.IsService(typeof(ISessionValidator));

    public static string Message(string registration) =>
        $"{registration} needs an ISessionValidator and none is registered: add services.AddJwtSessionValidation(keys => keys.JwksUri = " +
        "new Uri(\"http://sessions:3124/.well-known/jwks.json\")) to validate with the keys the session server publishes, or " +
        "services.AddJwtSessions(o => o.Secret = ...) to validate with a shared secret (on the session server, AddSessions() registers one).";
}
