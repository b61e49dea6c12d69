using System.Text.Json;

namespace Sessions.Packaging.Tests;

/// <summary>
/// Only the libraries and the template packs pack, and each library is documented, AOT-compatible and validated as a
/// package.
/// </summary>
public sealed class PackableProjectsTests
{
    [Fact]
    public async Task Only_the_libraries_at_the_root_and_the_template_packs_are_packable_and_the_libraries_are_aot_compatible_and_documented()
    {
        var list = await DotNetCli.RunAsync(RepositoryRoot.Path, null, TimeSpan.FromMinutes(1), "sln", "Sessions.sln", "list");
        var projects = list.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(line => line.EndsWith(".csproj", StringComparison.Ordinal))
            .Select(line => Path.GetFullPath(Path.Combine(RepositoryRoot.Path, line.Replace('\\', Path.DirectorySeparatorChar))))
            .ToList();
        Assert.Superset(LocalFeed.LibraryProjects.Concat(LocalFeed.TemplateProjects).ToHashSet(), projects.ToHashSet());

        foreach (var project in projects)
        {
            var json = await DotNetCli.RunAsync(RepositoryRoot.Path, null, TimeSpan.FromMinutes(1), "msbuild", project,
                "-getProperty:IsPackable", "-getProperty:IsAotCompatible", "-getProperty:GenerateDocumentationFile", "-getProperty:EnablePackageValidation");
            var properties = JsonDocument.Parse(json).RootElement.GetProperty("Properties");
            var name = Path.GetRelativePath(RepositoryRoot.Path, project);
            var isLibrary = LocalFeed.LibraryProjects.Contains(project);
            var packs = isLibrary || LocalFeed.TemplateProjects.Contains(project);

            Assert.True((properties.GetProperty("IsPackable").GetString() == "true") == packs, $"{name}: IsPackable should be {packs}");
            if (isLibrary)
            {
                Assert.True(properties.GetProperty("IsAotCompatible").GetString() == "true", $"{name}: IsAotCompatible");
                Assert.True(properties.GetProperty("GenerateDocumentationFile").GetString() == "true", $"{name}: GenerateDocumentationFile");
                Assert.True(properties.GetProperty("EnablePackageValidation").GetString() == "true", $"{name}: EnablePackageValidation");
            }
        }
    }
}
