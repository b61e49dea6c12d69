namespace Sessions.Tests.Shared;

/// <summary>
/// The build output of another project of the repository, built beside the running tests' with the same configuration
/// and framework: tests/X.Tests/bin/&lt;Configuration&gt;/&lt;framework&gt;/ → &lt;folder&gt;/bin/&lt;Configuration&gt;/&lt;framework&gt;/.
/// </summary>
internal static class ProjectOutput
{
    /// <summary>The path of <paramref name="assembly"/> in the output of the project in <paramref name="folder"/>.</summary>
    /// <param name="folder">The project's folder from the repository root, e.g. <c>samples/Sessions.SampleServer</c>.</param>
    /// <param name="assembly">The file, e.g. <c>Sessions.SampleServer.dll</c>.</param>
    /// <returns>The full path.</returns>
    public static string Find(string folder, string assembly)
    {
        var framework = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = framework.Parent!;
        for (var dir = configuration.Parent; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, folder, "bin", configuration.Name, framework.Name, assembly);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"No build of {folder} above {AppContext.BaseDirectory}.");
    }
}
