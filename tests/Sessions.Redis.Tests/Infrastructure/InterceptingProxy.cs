using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sessions.Redis.Tests.Infrastructure;

/// <summary>
/// An HTTP <c>CONNECT</c> proxy on 127.0.0.1 that a store reaches Redis through (<see cref="Tunnel"/> appended to its
/// configuration: StackExchange.Redis tunnels every connection, to one server or to each node of a cluster, through
/// it). It forwards every byte as it is, except that before forwarding a command that <c>intercepts</c> picks it awaits
/// <c>before</c>: whatever that does reaches Redis between the store's previous command and this one, every time.
/// </summary>
public sealed class InterceptingProxy : IAsyncDisposable
{
    private static readonly byte[] Established = "HTTP/1.1 200 OK\r\n\r\n"u8.ToArray();

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<IReadOnlyList<string>, bool> _intercepts;
    private readonly Func<Task> _before;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _connections = [];
    private readonly Task _accepting;
    private int _intercepted;

    /// <summary>Starts listening.</summary>
    /// <param name="intercepts">Picks, from a command's name and arguments, the commands to hold.</param>
    /// <param name="before">Runs to completion before each picked command goes on to Redis.</param>
    public InterceptingProxy(Func<IReadOnlyList<string>, bool> intercepts, Func<Task> before)
    {
        _intercepts = intercepts;
        _before = before;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The configuration option that sends a store's connections through this proxy.</summary>
    public string Tunnel => $"tunnel=http:127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>How many commands were held so far.</summary>
    public int Intercepted => Volatile.Read(ref _intercepted);

    /// <summary>Whether <paramref name="command"/> is a script call (<c>EVAL</c> or <c>EVALSHA</c>) that names <paramref name="key"/>.</summary>
    public static bool IsScriptNaming(IReadOnlyList<string> command, string key) =>
        command.Count > 0
        && (command[0].Equals("EVALSHA", StringComparison.OrdinalIgnoreCase) || command[0].Equals("EVAL", StringComparison.OrdinalIgnoreCase))
        && command.Skip(1).Contains(key, StringComparer.Ordinal);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting.ContinueWith(static _ => { }, TaskScheduler.Default);
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections.Select(c => c.ContinueWith(static _ => { }, TaskScheduler.Default)));
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            lock (_connections)
            {
                _connections.Add(ServeAsync(client));
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        using var server = new TcpClient();
        try
        {
            var fromClient = client.GetStream();
            var target = await ReadConnectAsync(fromClient);
            await server.ConnectAsync(target.Host, target.Port, _stopping.Token);
            await fromClient.WriteAsync(Established, _stopping.Token);
            var toServer = server.GetStream();
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            var up = ForwardCommandsAsync(fromClient, toServer, target.Pending, ended.Token);
            var down = toServer.CopyToAsync(fromClient, ended.Token);
            await Task.WhenAny(up, down);
            await ended.CancelAsync();
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The store or Redis closed its side: so does the proxy.
        }
    }

    // Reads "CONNECT host:port HTTP/1.1", its headers and the blank line; returns the target and any bytes after them.
    private async Task<(string Host, int Port, byte[] Pending)> ReadConnectAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var chunk = new byte[1024];
        while (true)
        {
            var read = await stream.ReadAsync(chunk, _stopping.Token);
            if (read == 0)
            {
                throw new IOException("The client closed the connection before its CONNECT request ended.");
            }

            buffer.AddRange(chunk.AsSpan(0, read));
            var text = Encoding.ASCII.GetString([.. buffer]);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var target = text[..text.IndexOf("\r\n", StringComparison.Ordinal)].Split(' ')[1];
                var colon = target.LastIndexOf(':');
                return (target[..colon], int.Parse(target[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture), [.. buffer.Skip(end + 4)]);
            }
        }
    }

    private async Task ForwardCommandsAsync(NetworkStream from, NetworkStream to, byte[] pending, CancellationToken cancellationToken)
    {
        var buffer = new List<byte>(pending);
        var chunk = new byte[16 * 1024];
        while (true)
        {
            // Whole commands go on one at a time, a picked one only once the action before it has finished.
            while (TryReadCommand(buffer, out var length, out var command))
            {
                if (_intercepts(command))
                {
                    Interlocked.Increment(ref _intercepted);
                    await _before();
                }

                await to.WriteAsync(buffer.GetRange(0, length).ToArray(), cancellationToken);
                buffer.RemoveRange(0, length);
            }

            var read = await from.ReadAsync(chunk, cancellationToken);
            if (read == 0)
            {
                return;
            }

            buffer.AddRange(chunk.AsSpan(0, read));
        }
    }

    // A command as a client sends it: a RESP array of bulk strings (*n, then $len and the bytes, n times).
    private static bool TryReadCommand(List<byte> buffer, out int length, out IReadOnlyList<string> command)
    {
        length = 0;
        command = [];
        var position = 0;
        if (!TryReadLine(buffer, ref position, out var header))
        {
            return false;
        }

        if (!header.StartsWith('*'))
        {
            // An inline command (not one StackExchange.Redis sends): forwarded as it is.
            length = position;
            command = header.Split(' ');
            return true;
        }

        var parts = new List<string>();
        var count = int.Parse(header.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < count; i++)
        {
            if (!TryReadLine(buffer, ref position, out var bulk))
            {
                return false;
            }

            var size = int.Parse(bulk.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
            if (buffer.Count < position + size + 2)
            {
                return false;
            }

            parts.Add(Encoding.UTF8.GetString([.. buffer.GetRange(position, size)]));
            position += size + 2;
        }

        length = position;
        command = parts;
        return true;
    }

    private static bool TryReadLine(List<byte> buffer, ref int position, out string line)
    {
        for (var i = position; i + 1 < buffer.Count; i++)
        {
            if (buffer[i] == '\r' && buffer[i + 1] == '\n')
            {
                line = Encoding.ASCII.GetString([.. buffer.GetRange(position, i - position)]);
                position = i + 2;
                return true;
            }
        }

        line = string.Empty;
        return false;
    }
}
