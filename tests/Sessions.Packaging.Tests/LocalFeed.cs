namespace Sessions.Packaging.Tests;

/// <summary>
/// The library packages, packed once per test run into a temporary folder feed with a version no other run uses
/// (1.0.0-test.&lt;random&gt;), so that no NuGet cache can hand out a stale copy.
/// </summary>
public sealed class LocalFeed : IAsyncLifetime
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "sessions-packaging-" + Guid.NewGuid().ToString("N")[..12]);

    public string Feed => Path.Combine(Root, "feed");

    /// <summary>NuGet's package folder for the consumer: only this run's packages land in it.</summary>
    public string Packages => Path.Combine(Root, "packages");

    public string Version { get; } = "1.0.0-test.t" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The library projects: the Sessions.* folders at the repository root.</summary>
    public static IReadOnlyList<string> LibraryProjects { get; } = Directory.EnumerateDirectories(RepositoryRoot.Path, "Sessions.*")
        .Select(dir => Path.Combine(dir, Path.GetFileName(dir) + ".csproj"))
        .Where(File.Exists)
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>The template packs (<c>dotnet new</c>): the projects in the folders of templates/.</summary>
    public static IReadOnlyList<string> TemplateProjects { get; } = Directory.EnumerateDirectories(RepositoryRoot.Combine("templates"))
        .Select(dir => Path.Combine(dir, Path.GetFileName(dir) + ".csproj"))
        .Where(File.Exists)
        .Order(StringComparer.Ordinal)
        .ToList();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Root);
        // One solution filter holding the libraries and template packs: a single `dotnet pack`, without building tests
        // and samples.
        var filter = Path.Combine(Root, "libraries.slnf");
        var projects = string.Join(",", LibraryProjects.Concat(TemplateProjects).Select(p => $"\"{Path.GetRelativePath(RepositoryRoot.Path, p).Replace('\\', '/')}\""));
        await File.WriteAllTextAsync(filter, $$"""{ "solution": { "path": "{{RepositoryRoot.Combine("Sessions.sln").Replace('\\', '/')}}", "projects": [ {{projects}} ] } }""");

        var suffix = Version["1.0.0-".Length..];
        await DotNetCli.RunAsync(Root, null, TimeSpan.FromMinutes(15),
            "pack", filter, "-c", "Release", "-o", Feed, $"-p:VersionSuffix={suffix}", "-nodeReuse:false", "-v", "quiet");
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still open (a consumer process being torn down): the temp folder is cleaned by the OS.
        }
        catch (UnauthorizedAccessException)
        {
        }

        return Task.CompletedTask;
    }
}
