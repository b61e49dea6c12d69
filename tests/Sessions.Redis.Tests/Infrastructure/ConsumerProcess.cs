using System.Diagnostics;

namespace Sessions.Redis.Tests.Infrastructure;

/// <summary>
/// A session-events consumer in its own process (tests/Sessions.Redis.Tests.Consumer): it prints
/// <c>handling &lt;event id&gt;</c> for each event and blocks in its handler, so a test can kill it there with SIGKILL.
/// </summary>
public sealed class ConsumerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<string> _handling = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Text.StringBuilder _stderr = new();

    private ConsumerProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is { } text && text.StartsWith("handling ", StringComparison.Ordinal))
            {
                _handling.TrySetResult(text["handling ".Length..]);
            }
        };
        process.ErrorDataReceived += (_, line) =>
        {
            lock (_stderr)
            {
                _stderr.AppendLine(line.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static ConsumerProcess Start(string redis, string stream, string group, string name)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Binary, redis, stream, group, name })
        {
            start.ArgumentList.Add(argument);
        }

        return new ConsumerProcess(Process.Start(start)!);
    }

    /// <summary>The id of the first event the process is handling (and blocked in).</summary>
    public async Task<string> WaitUntilHandlingAsync(TimeSpan deadline)
    {
        var first = await Task.WhenAny(_handling.Task, _process.WaitForExitAsync()).WaitAsync(deadline);
        if (first != _handling.Task)
        {
            lock (_stderr)
            {
                Assert.Fail($"The consumer process exited with {_process.ExitCode} before handling an event:\n{_stderr}");
            }
        }

        return await _handling.Task;
    }

    /// <summary>Kills the process with SIGKILL: it acknowledges nothing more, as a crashed consumer.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private static string Binary { get; } = Sessions.Tests.Shared.ProjectOutput.Find(Path.Combine("tests", "Sessions.Redis.Tests.Consumer"), "Sessions.Redis.Tests.Consumer.dll");
}
