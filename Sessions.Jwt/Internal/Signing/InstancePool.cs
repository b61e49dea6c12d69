namespace Sessions.Jwt.Internal.Signing;

/// <summary>
/// A small lock-free pool that lends each instance to one caller at a time, for crypto objects whose instance
/// members are not documented as thread-safe but are costly to create per call.
/// </summary>
internal sealed class InstancePool<T> : IDisposable
    where T : class, IDisposable
{
    private readonly Func<T> _factory;
    private readonly T?[] _items;
    private T? _first;
    private volatile bool _disposed;

    public InstancePool(Func<T> factory)
    {
        _factory = factory;
        _items = new T?[Math.Max(4, Environment.ProcessorCount * 2)];
    }

    public T Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var item = Interlocked.Exchange(ref _first, null);
        if (item is not null)
        {
            return item;
        }

        for (var i = 0; i < _items.Length; i++)
        {
            item = Interlocked.Exchange(ref _items[i], null);
            if (item is not null)
            {
                return item;
            }
        }

        return _factory();
    }

    public void Return(T item)
    {
        if (!_disposed)
        {
            if (Interlocked.CompareExchange(ref _first, item, null) is null)
            {
                return;
            }

            for (var i = 0; i < _items.Length; i++)
            {
                if (Interlocked.CompareExchange(ref _items[i], item, null) is null)
                {
                    return;
                }
            }
        }

        item.Dispose();
    }

    public void Dispose()
    {
        _disposed = true;
        Interlocked.Exchange(ref _first, null)?.Dispose();
        for (var i = 0; i < _items.Length; i++)
        {
            Interlocked.Exchange(ref _items[i], null)?.Dispose();
        }
    }
}
