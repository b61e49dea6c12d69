namespace Sessions.Grpc.Internal;

/// <summary>What the call credentials' providers return, awaited for as long as the call lives and no longer.</summary>
internal static class CredentialValue
{
    /// <summary>
    /// The value <paramref name="pending"/> gives, or the call's deadline or cancellation: the call does not wait for a
    /// provider that ignores its cancellation token (an HTTP request made without it) past either.
    /// </summary>
    public static async Task<string> WithinCallAsync(ValueTask<string> pending, CancellationToken cancellationToken) =>
        pending.IsCompleted || !cancellationToken.CanBeCanceled
            ? await pending.ConfigureAwait(false)
            : await pending.AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
}
