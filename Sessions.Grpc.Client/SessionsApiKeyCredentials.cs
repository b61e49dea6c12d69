using Grpc.Core;
using Sessions.Grpc.Internal;
using Sessions.Internal;

namespace Sessions.Grpc;

/// <summary>
/// Client side: sends the session server's API key with every call as the <c>x-api-key</c> metadata
/// (<see cref="SessionsMetadataKeys.ApiKey"/>), for the privileged calls (<c>Create</c>, <c>Revoke</c> by session id,
/// <c>RevokeAll</c>, <c>ListSessions</c>) of a server that requires one (<c>SESSIONS_API_KEY</c>,
/// <c>Sessions:ApiKey</c>).
/// </summary>
/// <remarks>
/// <para>
/// gRPC sends call credentials only over TLS. On a channel without TLS (h2c, as in development and in the samples),
/// set <c>GrpcChannelOptions.UnsafeUseInsecureChannelCallCredentials = true</c>: without it, a channel whose
/// <c>ChannelCredentials.Create(ChannelCredentials.Insecure, ...)</c> holds these credentials cannot be made
/// (<c>GrpcChannel.ForAddress</c> throws), and credentials given per call (<c>CallOptions.WithCredentials</c>) are
/// silently not sent, so that privileged calls fail with <see cref="StatusCode.Unauthenticated"/>.
/// </para>
/// <para>
/// The key is checked by the rule the server applies to its own: one with a line break, another control character or
/// whitespace at either end (a key read from a file with its line break) cannot be sent as it is, so it is refused with
/// a message that says where, and never holds the key, instead of failing the call with an HTTP/2 protocol error that
/// names neither the header nor the key.
/// </para>
/// </remarks>
public static class SessionsApiKeyCredentials
{
    /// <summary>Creates credentials that send one fixed key.</summary>
    /// <param name="apiKey">The server's API key, as configured there.</param>
    /// <returns>The credentials, for <c>CallOptions.WithCredentials</c> or <c>ChannelCredentials.Create</c>.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="apiKey"/> is empty, or cannot be sent as it is (a line break, another control character,
    /// whitespace at either end).
    /// </exception>
    public static CallCredentials Create(string apiKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        if (Unsendable(apiKey) is { } problem)
        {
            throw new ArgumentException(problem, nameof(apiKey));
        }

        return CallCredentials.FromInterceptor((_, metadata) =>
        {
            AddKey(metadata, apiKey);
            return Task.CompletedTask;
        });
    }

    /// <summary>Creates credentials that ask <paramref name="apiKeyProvider"/> for the key before each call.</summary>
    /// <param name="apiKeyProvider">
    /// Returns the current key (for example from a secret store, while the server's key is rotated); an empty key sends
    /// no header. A key that cannot be sent as it is fails the call with <see cref="StatusCode.Internal"/> and an
    /// <see cref="InvalidOperationException"/> saying why, without the key.
    /// </param>
    /// <returns>The credentials, for <c>CallOptions.WithCredentials</c> or <c>ChannelCredentials.Create</c>.</returns>
    /// <remarks>
    /// The provider gets the call's cancellation token, cancelled at the call's deadline too; a call whose deadline
    /// passes or that is cancelled while the provider runs ends then even if the provider does not observe the token.
    /// </remarks>
    public static CallCredentials Create(Func<CancellationToken, ValueTask<string>> apiKeyProvider)
    {
        ArgumentNullException.ThrowIfNull(apiKeyProvider);
        return CallCredentials.FromInterceptor((context, metadata) =>
            AddKeyAsync(metadata, apiKeyProvider(context.CancellationToken), context.CancellationToken));
    }

    /// <summary>
    /// Adds the key <paramref name="pending"/> gives, or ends with the call's deadline or cancellation, as
    /// <see cref="SessionCallCredentials"/> does for a token.
    /// </summary>
    internal static async Task AddKeyAsync(Metadata metadata, ValueTask<string> pending, CancellationToken cancellationToken) =>
        AddKey(metadata, await CredentialValue.WithinCallAsync(pending, cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// Why <paramref name="apiKey"/> cannot be sent as it is, or <see langword="null"/>; the message names the
    /// character's position and code, never the key.
    /// </summary>
    internal static string? Unsendable(string apiKey) =>
        ApiKeyText.Unsendable(apiKey) is { } found
            ? $"The API key has {found}, which an x-api-key header cannot carry as it is: remove it (a key read from a file or an environment variable often ends with a line break)."
            : null;

    private static void AddKey(Metadata metadata, string? apiKey)
    {
        if (string.IsNullOrEmpty(apiKey))
        {
            return;
        }

        if (Unsendable(apiKey) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        metadata.Add(SessionsMetadataKeys.ApiKey, apiKey);
    }
}
