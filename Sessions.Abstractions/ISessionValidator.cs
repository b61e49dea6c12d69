namespace Sessions;

/// <summary>
/// Validates session tokens.
/// </summary>
/// <remarks>
/// A validator never throws for a bad token: every way a token can be wrong is reported as a
/// <see cref="SessionFailureReason"/> in the returned <see cref="SessionValidationResult"/>.
/// Implementations are thread-safe.
/// </remarks>
public interface ISessionValidator
{
    /// <summary>
    /// Validates <paramref name="token"/>.
    /// </summary>
    /// <param name="token">The compact token, as presented by the client. May be <see langword="null"/> or empty.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The validated session, or the reason the token was refused.</returns>
    ValueTask<SessionValidationResult> ValidateAsync(string? token, CancellationToken cancellationToken = default);

    /// <summary>
    /// How long after its <c>exp</c> (and before its <c>nbf</c>) a token is still accepted, for clocks that disagree:
    /// a revocation is kept until a token's expiry plus this.
    /// </summary>
    TimeSpan ClockSkew { get; }
}
