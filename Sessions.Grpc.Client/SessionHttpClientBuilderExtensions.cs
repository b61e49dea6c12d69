using Sessions.Grpc;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Sends session tokens, or the session server's API key, from clients made by Grpc.Net.ClientFactory:
/// <c>services.AddGrpcClient&lt;TClient&gt;(...).AddSessionCredentials(...)</c> or
/// <c>.AddSessionsApiKeyCredentials(...)</c>.
/// </summary>
public static class SessionHttpClientBuilderExtensions
{
    /// <summary>
    /// Adds <c>authorization: Bearer &lt;token&gt;</c> to every call of the client, with the token
    /// <paramref name="tokenProvider"/> returns before each call (an empty token sends no header; one that cannot be sent
    /// as it is, with a space, a line break, a character outside ASCII or the <c>Bearer</c> scheme before it, fails the
    /// call with <c>Internal</c> and a message saying why, as <see cref="SessionCallCredentials"/> does).
    /// </summary>
    /// <remarks>
    /// gRPC sends call credentials only over TLS; for a channel without TLS (h2c) add
    /// <c>.ConfigureChannel(o =&gt; o.UnsafeUseInsecureChannelCallCredentials = true)</c>.
    /// </remarks>
    /// <param name="builder">The builder returned by <c>AddGrpcClient&lt;TClient&gt;()</c>.</param>
    /// <param name="tokenProvider">
    /// Returns the current token; gets the client's service provider and the call's cancellation token (cancelled at the
    /// call's deadline too). The call ends at its deadline or cancellation even if the provider has not returned.
    /// </param>
    /// <returns>The same builder.</returns>
    public static IHttpClientBuilder AddSessionCredentials(this IHttpClientBuilder builder, Func<IServiceProvider, CancellationToken, ValueTask<string>> tokenProvider)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(tokenProvider);
        return builder.AddCallCredentials((context, metadata, services) =>
            SessionCallCredentials.AddTokenAsync(metadata, tokenProvider(services, context.CancellationToken), context.CancellationToken));
    }

    /// <summary>
    /// Sends the session server's API key as the <c>x-api-key</c> metadata with every call of the client, for its
    /// privileged calls (<c>Create</c>, <c>Revoke</c> by session id, <c>RevokeAll</c>, <c>ListSessions</c>), as
    /// <see cref="SessionsApiKeyCredentials"/> does.
    /// </summary>
    /// <remarks>
    /// gRPC sends call credentials only over TLS; for a channel without TLS (h2c) add
    /// <c>.ConfigureChannel(o =&gt; o.UnsafeUseInsecureChannelCallCredentials = true)</c>. Send the key this way or in
    /// each call's metadata, not both: the server refuses a key sent twice.
    /// </remarks>
    /// <param name="builder">The builder returned by <c>AddGrpcClient&lt;TClient&gt;()</c>.</param>
    /// <param name="apiKey">The server's API key, as configured there.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="apiKey"/> is empty, or cannot be sent as it is (a line break, another control character,
    /// whitespace at either end); the message says where, never the key.
    /// </exception>
    public static IHttpClientBuilder AddSessionsApiKeyCredentials(this IHttpClientBuilder builder, string apiKey)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        if (SessionsApiKeyCredentials.Unsendable(apiKey) is { } problem)
        {
            throw new ArgumentException(problem, nameof(apiKey));
        }

        return builder.AddSessionsApiKeyCredentials((_, _) => ValueTask.FromResult(apiKey));
    }

    /// <summary>
    /// Sends the API key <paramref name="apiKeyProvider"/> returns before each call as the <c>x-api-key</c> metadata
    /// (an empty key sends no header; one that cannot be sent as it is fails the call with <c>Internal</c> and a message
    /// saying why, without the key).
    /// </summary>
    /// <remarks>
    /// gRPC sends call credentials only over TLS; for a channel without TLS (h2c) add
    /// <c>.ConfigureChannel(o =&gt; o.UnsafeUseInsecureChannelCallCredentials = true)</c>.
    /// </remarks>
    /// <param name="builder">The builder returned by <c>AddGrpcClient&lt;TClient&gt;()</c>.</param>
    /// <param name="apiKeyProvider">
    /// Returns the current key (from configuration or a secret store, while the server's key is rotated); gets the
    /// client's service provider and the call's cancellation token (cancelled at the call's deadline too). The call ends
    /// at its deadline or cancellation even if the provider has not returned.
    /// </param>
    /// <returns>The same builder.</returns>
    public static IHttpClientBuilder AddSessionsApiKeyCredentials(this IHttpClientBuilder builder, Func<IServiceProvider, CancellationToken, ValueTask<string>> apiKeyProvider)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(apiKeyProvider);
        return builder.AddCallCredentials((context, metadata, services) =>
            SessionsApiKeyCredentials.AddKeyAsync(metadata, apiKeyProvider(services, context.CancellationToken), context.CancellationToken));
    }
}
