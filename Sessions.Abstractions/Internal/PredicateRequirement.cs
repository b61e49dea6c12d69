namespace Sessions.Internal;

/// <summary>A requirement made of a description and a check.</summary>
internal sealed class PredicateRequirement : SessionRequirement
{
    private readonly Func<Session, bool> _predicate;

    public PredicateRequirement(string description, Func<Session, bool> predicate)
    {
        ArgumentException.ThrowIfNullOrEmpty(description);
        ArgumentNullException.ThrowIfNull(predicate);
        Description = description;
        _predicate = predicate;
    }

    public override string Description { get; }

    public override bool IsSatisfiedBy(Session session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return _predicate(session);
    }
}
