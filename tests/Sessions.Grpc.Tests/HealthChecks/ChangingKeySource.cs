namespace Sessions.Grpc.Tests.HealthChecks;

/// <summary>A key source whose keys the test changes after start-up, as a vault's would change.</summary>
public sealed class ChangingKeySource(SessionKeySet keys) : ISessionKeySource
{
    private SessionKeySet _keys = keys;

    public event EventHandler? KeysChanged;

    public SessionKeySet GetKeys() => Volatile.Read(ref _keys);

    public ValueTask<bool> RefreshAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(false);

    public void Change(SessionKeySet keys)
    {
        Volatile.Write(ref _keys, keys);
        KeysChanged?.Invoke(this, EventArgs.Empty);
    }
}
