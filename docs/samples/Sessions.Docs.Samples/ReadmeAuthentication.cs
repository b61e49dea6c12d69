using Sessions.Grpc;

namespace DocsSamples;

/// <summary>README.md and docs/validating-in-other-services.md: session authentication in another service.</summary>
public static class ReadmeAuthentication
{
    public static WebApplication Authentication(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // <readme-session-authentication>
        builder.Services.AddJwtSessionValidation(keys => keys.JwksUri = new("http://sessions:3124/.well-known/jwks.json"));
        builder.Services.AddGrpc().AddSessionAuthentication();                 // gRPC interceptor: context.GetSession()
        // or ASP.NET Core authentication, [Authorize(Roles = "admin")] with roles from the "role" claim:
        builder.Services.AddAuthentication(SessionAuthenticationDefaults.AuthenticationScheme).AddSessionBearer();
        // </readme-session-authentication>
        return builder.Build();
    }
}
