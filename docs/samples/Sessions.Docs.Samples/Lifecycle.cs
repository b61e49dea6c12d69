using Sessions;

namespace DocsSamples;

/// <summary>The Sessions.Lifecycle package README.</summary>
public static class Lifecycle
{
    // <lifecycle-in-process>
    public static async Task<string?> SignInAndRefreshAsync(string userId)
    {
        var services = new ServiceCollection();
        services.AddJwtSessions(o => o.Secret = Environment.GetEnvironmentVariable("JWT_SECRET"));
        services.AddSessionLifecycle();   // the in-memory store, unless another store is registered
        await using var provider = services.BuildServiceProvider();
        var lifecycle = provider.GetRequiredService<ISessionLifecycle>();

        RefreshTokenIssued signedIn = await lifecycle.IssueWithRefreshTokenAsync(userId, description: "Firefox on a laptop");
        SessionRefreshResult refreshed = await lifecycle.RefreshAsync(signedIn.RefreshToken);
        if (!refreshed.Succeeded)
        {
            return null;   // refreshed.Status says why: Expired, Revoked, Reused (the chain is now revoked), ...
        }

        await lifecycle.RevokeSubjectAsync(userId);   // "log out everywhere": every session and chain of the user
        return refreshed.Issued!.Session.Token;
    }
    // </lifecycle-in-process>
}
