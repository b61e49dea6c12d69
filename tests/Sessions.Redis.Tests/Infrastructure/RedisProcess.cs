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

    private RedisProcess(int port, string? password)
    {
        Port = port;
        Password = password;
    }

    public int Port { get; }

    public string? Password { get; }

    /// <summary>The configuration string, the password written first (where a careless parser would take it for the endpoint).</summary>
    public string Configuration => Password is null ? $"127.0.0.1:{Port}" : $"password={Password},127.0.0.1:{Port}";

    /// <summary>Starts redis-server on a free loopback port; fails with a clear message when it is not installed.</summary>
    public static async Task<RedisProcess> StartAsync(string? password = null)
    {
        var redis = new RedisProcess(FreePort(), password);
        await redis.RestartAsync();
        return redis;
    }

    /// <summary>The redis-server executable, or a failure that says how to install it.</summary>
    public static string FindExecutable()
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(Path.PathSeparator).Append("/usr/bin").Append("/usr/local/bin"))
        {
            var candidate = Path.Combine(folder, "redis-server");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail("redis-server is not installed, and the Sessions.Redis tests need a real one: run 'apt-get install -y redis-server' (.ci/run does).");
        return null!;
    }

    /// <summary>Starts (again) on the same port and data folder, and waits until it answers PING.</summary>
    public async Task RestartAsync()
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

        if (Password is not null)
        {
            start.ArgumentList.Add("--requirepass");
            start.ArgumentList.Add(Password);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!await PingAsync(Port))
        {
            Assert.True(DateTime.UtcNow < deadline, $"redis-server did not answer on 127.0.0.1:{Port} within 15 s.");
            await Task.Delay(50);
        }
    }

    /// <summary>Kills the server (an outage); data it acknowledged is in its append-only file.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
