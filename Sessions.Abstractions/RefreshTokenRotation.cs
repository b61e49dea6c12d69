namespace Sessions;

/// <summary>The result of <see cref="ISessionStore.RotateRefreshTokenAsync"/>.</summary>
/// <param name="Status">What happened.</param>
/// <param name="SealedSuccessor">
/// The presented token's one successor, sealed: the request's own when <see cref="RefreshTokenRotationStatus.Rotated"/>,
/// the one stored at its first use when <see cref="RefreshTokenRotationStatus.RotatedWithinGracePeriod"/>;
/// otherwise <see langword="null"/>.
/// </param>
public readonly record struct RefreshTokenRotation(RefreshTokenRotationStatus Status, string? SealedSuccessor = null)
{
    /// <summary>
    /// Whether the presented token has a successor to hand out: a rotated status with its sealed successor. A
    /// <c>default</c> value (status 0, <see cref="RefreshTokenRotationStatus.Rotated"/>, without a successor), as a
    /// store that forgot to set it would return, is not a success.
    /// </summary>
    public bool Succeeded => Status is RefreshTokenRotationStatus.Rotated or RefreshTokenRotationStatus.RotatedWithinGracePeriod && SealedSuccessor is not null;
}
