using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Sessions.Grpc.Tests.Infrastructure;

/// <summary>
/// The sample server as an operator runs it: <c>dotnet Sessions.SampleServer.dll</c> in its own process, from a
/// working directory of the test's choice, configured by environment variables and arguments only.
/// </summary>
public sealed partial class SampleServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Task _pumps;
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SampleServerProcess(Process process)
    {
        _process = process;
        _pumps = Task.WhenAll(PumpAsync(process.StandardOutput, _stdout, true), PumpAsync(process.StandardError, _stderr, false));
    }

    /// <summary>The sample's build output beside the tests' (same configuration): the binary and its appsettings.json.</summary>
    public static string Binary { get; } = Sessions.Tests.Shared.ProjectOutput.Find(Path.Combine("samples", "Sessions.SampleServer"), "Sessions.SampleServer.dll");

    public string StandardOutput { get { lock (_stdout) { return _stdout.ToString(); } } }

    public string StandardError { get { lock (_stderr) { return _stderr.ToString(); } } }

    /// <summary>Starts the server; every variable not given is unset.</summary>
    public static SampleServerProcess Start(IReadOnlyDictionary<string, string> environment, string? workingDirectory = null, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
        {
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(Binary)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Binary);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(IsSetting).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["LISTEN_ADDRESS"] = "127.0.0.1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new SampleServerProcess(Process.Start(start)!);
    }

    /// <summary>Runs the server until it exits on its own (a start-up failure): the exit code.</summary>
    public static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunToExitAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        await using var server = Start(environment, null, arguments);
        var exitCode = await server.WaitForExitAsync();
        return (exitCode, server.StandardOutput, server.StandardError);
    }

    /// <summary>The first address the server listens on (the gRPC one), once it says so.</summary>
    public async Task<string> WaitUntilListeningAsync()
    {
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(_listening.Task, exited).WaitAsync(Timeout);
        return first == _listening.Task
            ? await _listening.Task
            : throw new InvalidOperationException($"The sample server exited with {_process.ExitCode}:\n{StandardOutput}\n{StandardError}");
    }

    /// <summary>Stops the server as a service manager does (SIGTERM) and waits for it to exit.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync().WaitAsync(Timeout);
        }

        return await WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        await _pumps;
        _process.Dispose();
    }

    private async Task<int> WaitForExitAsync()
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            _process.Kill();
            throw new TimeoutException($"The sample server did not exit within {Timeout}:\n{StandardOutput}\n{StandardError}");
        }

        await _pumps;
        return _process.ExitCode;
    }

    private async Task PumpAsync(StreamReader reader, StringBuilder into, bool watchForAddress)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (into)
            {
                into.AppendLine(line);
            }

            if (watchForAddress && ListeningPattern().Match(line) is { Success: true } match)
            {
                _listening.TrySetResult(match.Groups["address"].Value);
            }
        }
    }

    private static bool IsSetting(string name) =>
        name is "PORT" or "HTTP_PORT" or "LISTEN_ADDRESS" or "ASPNETCORE_URLS" or "ASPNETCORE_CONTENTROOT" or "DOTNET_CONTENTROOT"
        || name.StartsWith("JWT_", StringComparison.Ordinal) || name.StartsWith("SESSIONS", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"Now listening on: (?<address>http://\S+)")]
    private static partial Regex ListeningPattern();
}
