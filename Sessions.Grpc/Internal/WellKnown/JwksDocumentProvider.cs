namespace Sessions.Grpc.Internal.WellKnown;

/// <summary>
/// Serves the current <see cref="JwksDocument"/>: remade only when the key source hands out a new key set (after a
/// rotation or a configuration reload), so that publishing keys costs nothing per request.
/// </summary>
internal sealed class JwksDocumentProvider(ISessionKeySource keySource)
{
    private JwksDocument? _current;

    public JwksDocument GetDocument()
    {
        var keys = keySource.GetKeys();
        var current = Volatile.Read(ref _current);
        if (current is null || !ReferenceEquals(current.KeySet, keys))
        {
            current = JwksDocument.Create(keys);
            Volatile.Write(ref _current, current);
        }

        return current;
    }
}
