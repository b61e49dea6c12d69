using System.Buffers;

namespace Sessions.SampleServer.Logging;

/// <summary>
/// Collects formatted log lines in memory and writes them to a stream in batches from a thread of its own: one write
/// per batch instead of one per line, and no lock held while writing.
/// </summary>
/// <remarks>
/// A batch is written <see cref="FlushInterval"/> after its first line, or at once when it reaches
/// <see cref="FlushBytes"/> or holds a warning or worse. Memory stays bounded: a logging thread that finds
/// <see cref="MaxPendingBytes"/> waiting writes them itself, so a slow console slows logging down rather than
/// growing without end. Lines are never dropped; what is pending is written when the writer is disposed (the host
/// disposes its logger providers when it stops) or the process exits.
/// </remarks>
public sealed class BatchingLogWriter : IDisposable
{
    /// <summary>How long the first line of a batch waits for others: 20 ms.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>A batch this large is written at once: 64 KiB.</summary>
    public const int FlushBytes = 64 * 1024;

    /// <summary>A logging thread that finds this much waiting writes it itself: 1 MiB.</summary>
    public const int MaxPendingBytes = 1024 * 1024;

    private readonly Stream _output;
    private readonly Lock _pendingGate = new();
    private readonly Lock _writeGate = new();
    private readonly AutoResetEvent _linesWaiting = new(false);
    private readonly AutoResetEvent _writeNow = new(false);
    private readonly Thread _thread;
    private ArrayBufferWriter<byte> _pending = new(FlushBytes * 2);
    private ArrayBufferWriter<byte> _writing = new(FlushBytes * 2);
    private bool _wakeRequested;
    private bool _writeNowRequested;
    private volatile bool _disposed;

    /// <summary>Creates a writer and starts its thread.</summary>
    /// <param name="output">Where the lines go, e.g. <see cref="System.Console.OpenStandardOutput()"/>; disposed with the writer.</param>
    public BatchingLogWriter(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _thread = new Thread(WriteLoop) { IsBackground = true, Name = "Sessions log writer" };
        _thread.Start();
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>Adds one formatted line (with its line break) to the current batch.</summary>
    /// <param name="line">The line's bytes.</param>
    /// <param name="urgent">Whether the batch should be written now rather than after <see cref="FlushInterval"/>.</param>
    public void Append(ReadOnlySpan<byte> line, bool urgent)
    {
        bool writeHere, wake = false, writeNow = false;
        lock (_pendingGate)
        {
            line.CopyTo(_pending.GetSpan(line.Length));
            _pending.Advance(line.Length);
            var pending = _pending.WrittenCount;
            writeHere = pending >= MaxPendingBytes;
            if (!_wakeRequested)
            {
                _wakeRequested = wake = true;
            }

            if (!_writeNowRequested && (urgent || pending >= FlushBytes))
            {
                _writeNowRequested = writeNow = true;
            }
        }

        if (writeHere || _disposed)
        {
            Flush();
            return;
        }

        if (wake)
        {
            _linesWaiting.Set();
        }

        if (writeNow)
        {
            _writeNow.Set();
        }
    }

    /// <summary>Writes every pending line now.</summary>
    public void Flush()
    {
        lock (_writeGate)
        {
            lock (_pendingGate)
            {
                (_pending, _writing) = (_writing, _pending);
                _wakeRequested = false;
                _writeNowRequested = false;
            }

            if (_writing.WrittenCount == 0)
            {
                return;
            }

            try
            {
                _output.Write(_writing.WrittenSpan);
                _output.Flush();
            }
            catch (IOException)
            {
                // The console is gone (a closed pipe): the lines cannot be written anywhere, and the server goes on.
            }
            catch (ObjectDisposedException)
            {
            }

            _writing.ResetWrittenCount();
        }
    }

    /// <summary>Writes what is pending, stops the thread and disposes the stream.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        _linesWaiting.Set();
        _writeNow.Set();
        _thread.Join(TimeSpan.FromSeconds(5));
        Flush();
        lock (_writeGate)
        {
            _output.Dispose();
        }

        _linesWaiting.Dispose();
        _writeNow.Dispose();
    }

    private void OnProcessExit(object? sender, EventArgs e) => Flush();

    private void WriteLoop()
    {
        while (!_disposed)
        {
            _linesWaiting.WaitOne();
            // Let the batch fill for a while, unless it is already large or holds a warning.
            _writeNow.WaitOne(FlushInterval);
            Flush();
        }
    }
}
