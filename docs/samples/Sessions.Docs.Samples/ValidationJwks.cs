using Sessions;

namespace DocsSamples;

/// <summary>docs/validating-in-other-services.md: validating with the published keys, with Sessions.Jwt alone.</summary>
public static class ValidationJwks
{
    public static WebApplication Jwks(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // <validate-with-jwks>
        builder.Services.AddJwtSessionValidation(keys => keys.JwksUri = new Uri("http://sessions:3124/.well-known/jwks.json"));

        var app = builder.Build();
        app.MapGet("/orders", async (HttpRequest request, ISessionValidator sessions) =>
        {
            string header = request.Headers.Authorization.ToString();
            string? token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..] : null;   // the scheme is case-insensitive
            SessionValidationResult result = await sessions.ValidateAsync(token);
            return result switch
            {
                { Session: { } session } => Results.Ok($"orders of {session.Subject}"),
                // The keys could not be fetched: not the token's fault, so "retry", not "log in again".
                { FailureReason: SessionFailureReason.Unavailable } => Results.StatusCode(StatusCodes.Status503ServiceUnavailable),
                _ => Results.Unauthorized(),
            };
        });
        // </validate-with-jwks>
        return app;
    }
}
