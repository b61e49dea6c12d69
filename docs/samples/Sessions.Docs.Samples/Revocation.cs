using Grpc.Net.Client;
using Sessions.Grpc.Protocol;

namespace DocsSamples;

/// <summary>docs/revocation-and-refresh.md and the Sessions.Redis package README.</summary>
public static class Revocation
{
    public static async Task RefreshAndRevokeAsync(GrpcChannel channel)
    {
        // <client-refresh-revoke>
        var client = new Sessions.Grpc.Protocol.Sessions.SessionsClient(channel);

        TokenReply login = await client.CreateAsync(new CreateRequest { UserId = "3f2504e0-4f89-11d3-9a0c-0305e82c3301", WithRefreshToken = true });
        // ... the session token expires; the client exchanges the refresh token (once) for a new pair:
        TokenReply renewed = await client.RefreshAsync(new RefreshSessionRequest { RefreshToken = login.RefreshToken });

        // Log out one session (and its refresh chain), or every session of the user:
        await client.RevokeAsync(new RevokeSessionRequest { SessionId = renewed.SessionId });
        await client.RevokeAllAsync(new RevokeUserSessionsRequest { UserId = "3f2504e0-4f89-11d3-9a0c-0305e82c3301" });
        // </client-refresh-revoke>
    }
}
