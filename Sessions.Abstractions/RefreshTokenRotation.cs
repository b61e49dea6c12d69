namespace Sessions;

/// <summary>
/// The result of <see cref="ISessionStore.RotateRefreshTokenAsync"/>: what happened, and the presented token's record
/// when the store found one.
/// </summary>
/// <param name="Status">What happened.</param>
/// <param name="Presented">The presented token's record; <see langword="null"/> when <see cref="RefreshTokenRotationStatus.NotFound"/>.</param>
public readonly record struct RefreshTokenRotation(RefreshTokenRotationStatus Status, RefreshTokenRecord? Presented)
{
    /// <summary>Whether the successor was stored (<see cref="RefreshTokenRotationStatus.Rotated"/> or <see cref="RefreshTokenRotationStatus.RotatedWithinGracePeriod"/>).</summary>
    public bool Succeeded => Status is RefreshTokenRotationStatus.Rotated or RefreshTokenRotationStatus.RotatedWithinGracePeriod;
}
