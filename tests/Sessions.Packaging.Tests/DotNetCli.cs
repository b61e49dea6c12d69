using System.Diagnostics;
using System.Text;

namespace Sessions.Packaging.Tests;

/// <summary>
/// Runs the <c>dotnet</c> CLI as a user would, with a clean environment: no MSBuild variables inherited from the
/// <c>dotnet test</c> that runs us, no build servers left behind, and an optional isolated NuGet package folder.
/// </summary>
internal static class DotNetCli
{
    private static readonly string Executable = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public static async Task<string> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout, params string[] arguments)
    {
        var (exitCode, output) = await RunToExitAsync(workingDirectory, environment, timeout, arguments);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} exited with {exitCode}:\n{output}");
        }

        return output;
    }

    /// <summary>Runs <c>dotnet</c> to its exit, whatever its exit code; its output is stdout and stderr, line by line.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout, params string[] arguments)
    {
        var start = StartInfo(workingDirectory, environment, arguments);
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var stdout = PumpAsync(process.StandardOutput, output);
        var stderr = PumpAsync(process.StandardError, output);
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} took longer than {timeout}:\n{output}");
        }

        await Task.WhenAll(stdout, stderr);
        return (process.ExitCode, output.ToString());
    }

    /// <summary>
    /// Starts a long-running <c>dotnet</c> process (a server) with the same clean environment; its output goes to
    /// <paramref name="output"/> line by line. The caller stops it.
    /// </summary>
    public static Process Start(string workingDirectory, IReadOnlyDictionary<string, string>? environment, StringBuilder output, params string[] arguments)
    {
        var process = Process.Start(StartInfo(workingDirectory, environment, arguments))!;
        _ = PumpAsync(process.StandardOutput, output);
        _ = PumpAsync(process.StandardError, output);
        return process;
    }

    private static ProcessStartInfo StartInfo(string workingDirectory, IReadOnlyDictionary<string, string>? environment, string[] arguments)
    {
        var start = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(IsInherited).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["UseSharedCompilation"] = "false";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return start;
    }

    private static bool IsInherited(string name) =>
        name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("NUGET_", StringComparison.OrdinalIgnoreCase) || name is "DOTNET_HOST_PATH" or "MSBuildSDKsPath" or "MSBuildExtensionsPath";

    private static async Task PumpAsync(StreamReader reader, StringBuilder output)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
