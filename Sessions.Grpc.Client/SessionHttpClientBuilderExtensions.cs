using Sessions.Grpc;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Sends session tokens from clients made by Grpc.Net.ClientFactory:
/// <c>services.AddGrpcClient&lt;TClient&gt;(...).AddSessionCredentials(...)</c>.
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
}
