using Sessions;

namespace DocsSamples;

// <abstractions-greeter>
public sealed class Greeter(ISessionValidator sessions)
{
    public async Task<string> GreetAsync(string token)
    {
        SessionValidationResult result = await sessions.ValidateAsync(token);
        return result.Session is { } session ? $"hello {session.Subject}" : $"refused: {result.FailureReason}";
    }
}
// </abstractions-greeter>
