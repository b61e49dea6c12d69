using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sessions.Redis.Tests.Infrastructure;

/// <summary>
/// A dedicated redis-server on 127.0.0.1 that a test starts, kills and restarts on the same port and data folder.
/// It writes an append-only file synced on every write, so what Redis acknowledged survives a kill.
/// </summary>
public sealed class RedisProcess : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sessions-redis-").FullName;
    private Process? _process;

    private readonly bool _cluster;

    private RedisProcess(int port, string? password, bool cluster)
    {
        Port = port;
        Password = password;
        _cluster = cluster;
    }

    public int Port { get; }

    public string? Password { get; }

    /// <summary>The configuration string, the password written first (where a careless parser would take it for the endpoint).</summary>
    public string Configuration => Password is null ? $"127.0.0.1:{Port}" : $"password={Password},127.0.0.1:{Port}";

    /// <summary>Starts redis-server on a free loopback port; fails with a clear message when it is not installed.</summary>
    /// <param name="password">Started with requirepass when given.</param>
    /// <param name="cluster">Started as a Redis Cluster node (not yet part of a cluster: see <see cref="RedisCluster"/>).</param>
    public static async Task<RedisProcess> StartAsync(string? password = null, bool cluster = false)
    {
        for (var attempt = 1; ; attempt++)
        {
            var redis = new RedisProcess(FreePort(), password, cluster);
            if (await redis.TryStartAsync())
            {
                return redis;
            }

            // Another process took the free port before redis-server bound it: try another one.
            await redis.DisposeAsync();
            Assert.True(attempt < 5, "redis-server exited at start five times (ports taken?).");
        }
    }

    /// <summary>The redis-server executable, or a failure that says how to install it.</summary>
    public static string FindExecutable(string name = "redis-server")
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(Path.PathSeparator).Append("/usr/bin").Append("/usr/local/bin"))
        {
            var candidate = Path.Combine(folder, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail($"{name} is not installed, and the Sessions.Redis tests need a real one: run 'apt-get install -y redis-server' (.ci/run does).");
        return null!;
    }

    /// <summary>Starts (again) on the same port and data folder, and waits until it answers PING.</summary>
    public async Task RestartAsync() => Assert.True(await TryStartAsync(), $"redis-server exited at start on 127.0.0.1:{Port}.");

    private async Task<bool> TryStartAsync()
    {
        var start = new ProcessStartInfo(FindExecutable())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--dir", _directory, "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--daemonize", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        if (_cluster)
        {
            foreach (var argument in new[] { "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "1000" })
            {
                start.ArgumentList.Add(argument);
            }
        }

        if (Password is not null)
        {
            start.ArgumentList.Add("--requirepass");
            start.ArgumentList.Add(Password);
        }

        _process = await LaunchAsync(start, () => PingAsync(Port), $"127.0.0.1:{Port}");
        return !_process.HasExited;
    }

    /// <summary>
    /// Starts redis-server and waits until <paramref name="ready"/> says it answers, or until it exits (a port taken
    /// between choosing it and binding it): the caller tells the two apart by <see cref="Process.HasExited"/>.
    /// </summary>
    internal static async Task<Process> LaunchAsync(ProcessStartInfo start, Func<Task<bool>> ready, string endpoint)
    {
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!await ready())
        {
            if (process.HasExited)
            {
                return process;
            }

            Assert.True(DateTime.UtcNow < deadline, $"redis-server did not answer on {endpoint} within 15 s.");
            await Task.Delay(50);
        }

        return process;
    }

    /// <summary>Kills the server with SIGKILL (an outage, or a crash); data it acknowledged is in its append-only file.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Sends a signal (STOP to freeze the server as a hung machine would, CONT to let it go on).</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    public static async Task<bool> PingAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            // A password-protected server answers NOAUTH: it is up all the same.
            var reply = Encoding.ASCII.GetString(buffer, 0, read);
            return reply.StartsWith("+PONG", StringComparison.Ordinal) || reply.StartsWith("-NOAUTH", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A loopback port free at the time of asking.</summary>
    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
