using System.Globalization;
using Sessions.Internal;

namespace Sessions;

/// <summary>
/// A condition a session must meet to use something: "role contains admin", "tenant equals acme", "auth level at
/// least 2". Services that validate sessions check requirements from code, or as authorization policies.
/// </summary>
/// <remarks>
/// A failed requirement means the caller is known but not allowed (gRPC <c>PermissionDenied</c>, HTTP 403), never
/// that the session is invalid. <see cref="Description"/> says which requirement failed, in words safe to return to
/// the caller.
/// </remarks>
public abstract class SessionRequirement
{
    /// <summary>Describes the requirement, e.g. <c>claim 'role' contains 'admin'</c>.</summary>
    public abstract string Description { get; }

    /// <summary>Whether <paramref name="session"/> meets the requirement.</summary>
    /// <param name="session">The validated session.</param>
    /// <returns><see langword="true"/> when it does.</returns>
    public abstract bool IsSatisfiedBy(Session session);

    /// <summary>The claim is present, whatever its value.</summary>
    /// <param name="claim">The claim name.</param>
    /// <returns>The requirement.</returns>
    public static SessionRequirement ClaimPresent(string claim) =>
        new PredicateRequirement($"claim '{claim}' is present", session => session.TryGetClaim(claim, out _));

    /// <summary>The claim is the string <paramref name="value"/>, or a string array that contains it (ordinal comparison).</summary>
    /// <param name="claim">The claim name, e.g. <c>role</c>.</param>
    /// <param name="value">The value to look for, e.g. <c>admin</c>.</param>
    /// <returns>The requirement.</returns>
    public static SessionRequirement ClaimContains(string claim, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new PredicateRequirement($"claim '{claim}' contains '{value}'",
            session => session.TryGetClaim(claim, out var found) && found.Contains(value));
    }

    /// <summary>The claim equals <paramref name="value"/>, kind and value.</summary>
    /// <param name="claim">The claim name, e.g. <c>tenant</c>.</param>
    /// <param name="value">The expected value.</param>
    /// <returns>The requirement.</returns>
    public static SessionRequirement ClaimEquals(string claim, SessionClaimValue value) =>
        new PredicateRequirement($"claim '{claim}' equals '{value}'",
            session => session.TryGetClaim(claim, out var found) && (found.Equals(value) || NumericallyEqual(found, value)));

    /// <summary>The claim is a number (integer or not) at least <paramref name="minimum"/>.</summary>
    /// <param name="claim">The claim name, e.g. <c>auth_level</c>.</param>
    /// <param name="minimum">The smallest value allowed.</param>
    /// <returns>The requirement.</returns>
    public static SessionRequirement ClaimAtLeast(string claim, double minimum) =>
        new PredicateRequirement($"claim '{claim}' is at least {minimum.ToString(CultureInfo.InvariantCulture)}",
            session => session.TryGetClaim(claim, out var found) && found.Kind is SessionClaimKind.Integer or SessionClaimKind.Number && found.AsNumber() >= minimum);

    /// <summary>A requirement of your own.</summary>
    /// <param name="description">What it requires, in words safe to show the caller.</param>
    /// <param name="predicate">The check.</param>
    /// <returns>The requirement.</returns>
    public static SessionRequirement Create(string description, Func<Session, bool> predicate) => new PredicateRequirement(description, predicate);

    /// <summary>The first of <paramref name="requirements"/> that <paramref name="session"/> does not meet.</summary>
    /// <param name="requirements">The requirements, checked in order.</param>
    /// <param name="session">The validated session.</param>
    /// <returns>The first unmet requirement, or <see langword="null"/> when all are met.</returns>
    public static SessionRequirement? FirstUnmet(IEnumerable<SessionRequirement> requirements, Session session)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        ArgumentNullException.ThrowIfNull(session);
        foreach (var requirement in requirements)
        {
            if (!requirement.IsSatisfiedBy(session))
            {
                return requirement;
            }
        }

        return null;
    }

    /// <inheritdoc/>
    public override string ToString() => Description;

    private static bool NumericallyEqual(SessionClaimValue found, SessionClaimValue expected) =>
        found.Kind is SessionClaimKind.Integer or SessionClaimKind.Number &&
        expected.Kind is SessionClaimKind.Integer or SessionClaimKind.Number &&
        found.AsNumber() == expected.AsNumber();
}
