using System.Diagnostics;
using System.Text;

namespace Sessions.Packaging.Tests;

/// <summary>
/// A project made as a user makes one (<c>dotnet new</c>) in a folder of its own that restores from the local feed,
/// and the helpers to run what it builds.
/// </summary>
internal static class ConsumerProject
{
    public static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(10);

    /// <summary><c>dotnet new <paramref name="template"/></c> in a folder of its own that restores from the local feed.</summary>
    public static async Task<(string Project, Dictionary<string, string> Environment)> NewAsync(LocalFeed feed, string template, string name)
    {
        var project = Prepare(feed, name);
        await WriteIsolationFilesAsync(feed, project);
        var environment = Environment(feed);
        await DotNetCli.RunAsync(project, environment, StepTimeout, "new", template, "--name", name, "--output", ".", "--framework", "net10.0", "--no-restore");
        return (project, environment);
    }

    /// <summary>An empty folder for a project named <paramref name="name"/> under the feed's root.</summary>
    public static string Prepare(LocalFeed feed, string name)
    {
        var project = Path.Combine(feed.Root, name);
        Directory.CreateDirectory(project);
        return project;
    }

    /// <summary>
    /// Keeps whatever lies above the temp folder (a stray Directory.Build.props, central package versions) out of
    /// <paramref name="project"/>, and points its restore at the feed.
    /// </summary>
    public static async Task WriteIsolationFilesAsync(LocalFeed feed, string project)
    {
        foreach (var file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
        {
            await File.WriteAllTextAsync(Path.Combine(project, file), "<Project />\n");
        }

        await File.WriteAllTextAsync(Path.Combine(project, "nuget.config"), NuGetConfig(feed));
    }

    /// <summary>The environment of every <c>dotnet</c> step: only this run's packages land in the package folder.</summary>
    public static Dictionary<string, string> Environment(LocalFeed feed) => new() { ["NUGET_PACKAGES"] = feed.Packages };

    public static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    /// <summary>Waits until the process prints <paramref name="text"/>, up to <see cref="StepTimeout"/>; fails if it exits first.</summary>
    public static async Task WaitForAsync(StringBuilder output, string text, Process process)
    {
        var deadline = DateTime.UtcNow + StepTimeout;
        while (!Snapshot(output).Contains(text, StringComparison.Ordinal))
        {
            Assert.False(process.HasExited, $"the app exited with {(process.HasExited ? process.ExitCode : 0)}:\n{Snapshot(output)}");
            Assert.True(DateTime.UtcNow < deadline, $"the app did not print '{text}' within {StepTimeout}:\n{Snapshot(output)}");
            await Task.Delay(100);
        }
    }

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string NuGetConfig(LocalFeed feed)
    {
        var fallbacks = new[]
        {
            System.Environment.GetEnvironmentVariable("NUGET_PACKAGES"),
            Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
            "/opt/nuget/packages",
        }.Where(p => !string.IsNullOrEmpty(p) && Directory.Exists(p)).Distinct();
        // nuget.config lists the feed (Sessions.*) and nuget.org (their dependencies, unless the machine's package folder
        // has them already): the machine's package folder serves the dependencies (gRPC, protobuf, IdentityModel)
        // without downloading them again; the Sessions packages exist only in the feed.
        return $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local-feed" value="{feed.Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <fallbackPackageFolders>
                <clear />
            {string.Concat(fallbacks.Select((p, i) => $"    <add key=\"machine{i}\" value=\"{p}\" />\n"))}  </fallbackPackageFolders>
            </configuration>
            """;
    }
}
