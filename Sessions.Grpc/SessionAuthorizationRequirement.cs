using Microsoft.AspNetCore.Authorization;

namespace Sessions.Grpc;

/// <summary>
/// An ASP.NET Core authorization requirement met when the caller's session meets every one of
/// <see cref="Requirements"/>. Add it to a policy with <c>policy.RequireSession(...)</c>; a session that fails it is
/// refused with HTTP 403 or gRPC <c>PermissionDenied</c>, and the message names the first requirement it did not meet.
/// </summary>
public sealed class SessionAuthorizationRequirement : IAuthorizationRequirement
{
    /// <summary>Creates the requirement.</summary>
    /// <param name="requirements">What the session must meet, checked in order.</param>
    public SessionAuthorizationRequirement(IEnumerable<SessionRequirement> requirements)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        Requirements = requirements.ToArray();
        if (Requirements.Count == 0 || Requirements.Any(r => r is null))
        {
            throw new ArgumentException("Give at least one session requirement, and no null ones.", nameof(requirements));
        }
    }

    /// <summary>What the session must meet, checked in order.</summary>
    public IReadOnlyList<SessionRequirement> Requirements { get; }

    /// <inheritdoc/>
    public override string ToString() => "Session requirements: " + string.Join("; ", Requirements.Select(r => r.Description));
}
