using Grpc.Core;

namespace Sessions.Grpc;

/// <summary>
/// Client side: sends a session token with every call as <c>authorization: Bearer &lt;token&gt;</c>.
/// </summary>
/// <remarks>
/// gRPC sends call credentials only over TLS. On a channel without TLS (h2c, as in development and in the samples),
/// set <c>GrpcChannelOptions.UnsafeUseInsecureChannelCallCredentials = true</c>, else the token is silently not sent
/// and calls fail with <see cref="StatusCode.Unauthenticated"/>.
/// </remarks>
public static class SessionCallCredentials
{
    /// <summary>Creates credentials that ask <paramref name="tokenProvider"/> for the token before each call.</summary>
    /// <param name="tokenProvider">
    /// Returns the current token (for example from a cache it refreshes); an empty token sends no header.
    /// </param>
    /// <returns>The credentials, for <c>CallOptions.WithCredentials</c> or <c>ChannelCredentials.Create</c>.</returns>
    public static CallCredentials Create(Func<CancellationToken, ValueTask<string>> tokenProvider)
    {
        ArgumentNullException.ThrowIfNull(tokenProvider);
        return CallCredentials.FromInterceptor(async (context, metadata) =>
            AddToken(metadata, await tokenProvider(context.CancellationToken).ConfigureAwait(false)));
    }

    /// <summary>Creates credentials that send one fixed token.</summary>
    /// <param name="token">The session token.</param>
    /// <returns>The credentials.</returns>
    public static CallCredentials Create(string token)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        return CallCredentials.FromInterceptor((_, metadata) =>
        {
            AddToken(metadata, token);
            return Task.CompletedTask;
        });
    }

    internal static void AddToken(Metadata metadata, string? token)
    {
        if (!string.IsNullOrEmpty(token))
        {
            // RFC 6750, section 2.1: the server reads the scheme name case-insensitively.
            metadata.Add(SessionsMetadataKeys.Authorization, "Bearer " + token);
        }
    }
}
