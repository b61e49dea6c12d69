namespace Sessions.Grpc.Internal.Authentication;

/// <summary>The <see cref="ISessionFeature"/> of one request.</summary>
internal sealed class SessionFeature(Session session) : ISessionFeature
{
    public Session Session { get; } = session;
}
