namespace Sessions.Packaging.Tests;

/// <summary>The checkout the tests run in: the folder above the test binaries that holds Sessions.sln.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Sessions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Sessions.sln above {AppContext.BaseDirectory}.");
    }
}
