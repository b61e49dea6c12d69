using Grpc.Core;
using Sessions.Grpc.Internal;

namespace Sessions.Grpc;

/// <summary>
/// Client side: sends a session token with every call as <c>authorization: Bearer &lt;token&gt;</c>.
/// </summary>
/// <remarks>
/// <para>
/// gRPC sends call credentials only over TLS. On a channel without TLS (h2c, as in development and in the samples),
/// set <c>GrpcChannelOptions.UnsafeUseInsecureChannelCallCredentials = true</c>: without it, a channel whose
/// <c>ChannelCredentials.Create(ChannelCredentials.Insecure, ...)</c> holds these credentials cannot be made
/// (<c>GrpcChannel.ForAddress</c> throws), and credentials given per call (<c>CallOptions.WithCredentials</c>) are
/// silently not sent, so that calls fail with <see cref="StatusCode.Unauthenticated"/>.
/// </para>
/// <para>
/// A token is sent as it is: it must be printable ASCII without spaces (RFC 6750, section 2.1, as a JWS compact token
/// is). The HTTP stack drops a header value with a line break, a tab or a trailing space, so that the call goes
/// without a token, or fails the call with a message that does not name the header; such a token (a token read from a file with its line break, or given with its
/// <c>Bearer</c> scheme) fails the call before it is sent instead, with a message that says what to fix and never holds
/// the token.
/// </para>
/// </remarks>
public static class SessionCallCredentials
{
    private const string Scheme = "Bearer ";

    /// <summary>Creates credentials that ask <paramref name="tokenProvider"/> for the token before each call.</summary>
    /// <param name="tokenProvider">
    /// Returns the current token (for example from a cache it refreshes); an empty token sends no header. A token that
    /// cannot be sent as it is (a space, a line break, a character outside ASCII, the <c>Bearer</c> scheme before it)
    /// fails the call with <see cref="StatusCode.Internal"/> and an <see cref="InvalidOperationException"/> saying why.
    /// </param>
    /// <returns>The credentials, for <c>CallOptions.WithCredentials</c> or <c>ChannelCredentials.Create</c>.</returns>
    /// <remarks>
    /// The provider gets the call's cancellation token, cancelled at the call's deadline too; a call whose deadline
    /// passes or that is cancelled while the provider runs ends then (<see cref="StatusCode.DeadlineExceeded"/>,
    /// <see cref="StatusCode.Cancelled"/>) even if the provider does not observe the token.
    /// </remarks>
    public static CallCredentials Create(Func<CancellationToken, ValueTask<string>> tokenProvider)
    {
        ArgumentNullException.ThrowIfNull(tokenProvider);
        return CallCredentials.FromInterceptor((context, metadata) =>
            AddTokenAsync(metadata, tokenProvider(context.CancellationToken), context.CancellationToken));
    }

    /// <summary>Creates credentials that send one fixed token.</summary>
    /// <param name="token">The session token.</param>
    /// <returns>The credentials.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="token"/> is empty, or cannot be sent as it is (a space, a line break, a character outside ASCII,
    /// the <c>Bearer</c> scheme before it).
    /// </exception>
    public static CallCredentials Create(string token)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        if (Unsendable(token) is { } problem)
        {
            throw new ArgumentException(problem, nameof(token));
        }

        return CallCredentials.FromInterceptor((_, metadata) =>
        {
            AddToken(metadata, token);
            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// Adds the token <paramref name="pending"/> gives, or ends with the call's deadline or cancellation: the call does not
    /// wait for a provider that ignores its cancellation token (an HTTP request made without it) past either.
    /// </summary>
    internal static async Task AddTokenAsync(Metadata metadata, ValueTask<string> pending, CancellationToken cancellationToken) =>
        AddToken(metadata, await CredentialValue.WithinCallAsync(pending, cancellationToken).ConfigureAwait(false));

    internal static void AddToken(Metadata metadata, string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return;
        }

        if (Unsendable(token) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        // RFC 6750, section 2.1: the server reads the scheme name case-insensitively.
        metadata.Add(SessionsMetadataKeys.Authorization, Scheme + token);
    }

    /// <summary>
    /// Why <paramref name="token"/> cannot be the value of <c>authorization: Bearer</c> as it is, or
    /// <see langword="null"/>. The message names the character's position and code, never the token.
    /// </summary>
    private static string? Unsendable(string token)
    {
        if (token.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return "The session token starts with the scheme 'Bearer ': give the token alone, the credentials write 'authorization: Bearer <token>' themselves.";
        }

        // Printable ASCII without the space: what RFC 6750's b64token and every JWS compact token are made of.
        var at = token.AsSpan().IndexOfAnyExceptInRange('!', '~');
        if (at < 0)
        {
            return null;
        }

        var found = token[at] switch
        {
            ' ' or '\t' => "whitespace",
            '\r' or '\n' => "a line break",
            < ' ' or '\u007f' => "a control character",
            _ => "a character outside ASCII",
        };
        return $"The session token has {found} (U+{(int)token[at]:X4}) at index {at} of its {token.Length} characters, which an " +
            "authorization header cannot carry (the HTTP stack would drop the header, or fail the call without saying why). " +
            "Send the token alone, without " +
            "surrounding whitespace (a token read from a file or an environment variable often ends with a line break: trim it).";
    }
}
