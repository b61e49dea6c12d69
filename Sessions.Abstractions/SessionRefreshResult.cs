namespace Sessions;

/// <summary>The result of <see cref="ISessionLifecycle.RefreshAsync"/>: the new session and refresh token, or why there is none.</summary>
/// <param name="Status">What the store did with the presented refresh token.</param>
/// <param name="Issued">The new session and refresh token; <see langword="null"/> unless <see cref="Succeeded"/>.</param>
public readonly record struct SessionRefreshResult(RefreshTokenRotationStatus Status, RefreshTokenIssued? Issued)
{
    /// <summary>Whether a session was handed out.</summary>
    public bool Succeeded => Issued is not null;
}
