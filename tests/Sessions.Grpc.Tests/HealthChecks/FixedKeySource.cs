namespace Sessions.Grpc.Tests.HealthChecks;

/// <summary>A key source (a vault, say) that holds exactly the keys it was given, and may hold none.</summary>
public sealed class FixedKeySource(SessionKeySet keys) : ISessionKeySource
{
    public event EventHandler? KeysChanged { add { } remove { } }

    public SessionKeySet GetKeys() => keys;

    public ValueTask<bool> RefreshAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(false);
}
