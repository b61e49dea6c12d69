using System.Text.RegularExpressions;
using Grpc.Net.Client;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests.SampleServer;

/// <summary>
/// The sample's container picks up a Kubernetes ConfigMap or Secret mounted as files when it changes. Kubernetes updates
/// such a volume by swapping a symbolic link (<c>appsettings.json -&gt; ..data/appsettings.json</c>, <c>..data -&gt;
/// ..2026_12_07_...</c>), which the inotify watcher of .NET never reports for appsettings.json: the server must run with
/// the environment of its image, which turns on the polling watcher.
/// </summary>
public sealed partial class ContainerConfigReloadTests
{
    private const string SecretOne = "a-configmap-secret-of-the-first-key-0123456789";
    private const string SecretTwo = "a-configmap-secret-of-the-second-key-0123456789";

    [Fact]
    public async Task With_the_environment_of_its_image_a_swap_of_the_mounted_ConfigMap_brings_the_new_signing_key_without_a_restart()
    {
        var mount = Directory.CreateTempSubdirectory("sessions-configmap-");
        try
        {
            // The layout the kubelet writes: the file is a link through ..data to a timestamped directory.
            WriteVersion(mount.FullName, "..2026_12_07_10_00_00.1", Settings(("k1", SecretOne)), signing: "k1");
            File.CreateSymbolicLink(Path.Combine(mount.FullName, "..data"), "..2026_12_07_10_00_00.1");
            File.CreateSymbolicLink(Path.Combine(mount.FullName, "appsettings.json"), Path.Combine("..data", "appsettings.json"));

            var environment = ImageEnvironment();
            environment["PORT"] = "0";
            environment["HTTP_PORT"] = "0";
            environment["LISTEN_ADDRESS"] = "127.0.0.1";
            await using var server = SampleServerProcess.Start(environment, mount.FullName, "--contentRoot=" + mount.FullName);
            using var channel = GrpcChannel.ForAddress(await server.WaitUntilListeningAsync());
            var client = new Protocol.Sessions.SessionsClient(channel);
            Assert.Equal("k1", await SigningKeyIdAsync(client));

            // The kubelet's atomic update: a new directory, then ..data renamed over to point at it.
            WriteVersion(mount.FullName, "..2026_12_07_10_05_00.2", Settings(("k1", SecretOne), ("k2", SecretTwo)), signing: "k2");
            var next = Path.Combine(mount.FullName, "..data_tmp");
            File.CreateSymbolicLink(next, "..2026_12_07_10_05_00.2");
            await RenameOverAsync(next, Path.Combine(mount.FullName, "..data"));

            // Waits for the reload (the polling watcher looks every 4 seconds); a server that never sees it fails the
            // test after two minutes rather than hanging it.
            using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            string? kid;
            while ((kid = await SigningKeyIdAsync(client)) != "k2")
            {
                Assert.Equal("k1", kid);
                Assert.False(patience.IsCancellationRequested, "The server never signed with k2, the key of the swapped ConfigMap.");
                await Task.Delay(250, CancellationToken.None);
            }

            Assert.DoesNotContain("SettingsNotApplied", server.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            mount.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_image_runs_with_the_polling_file_watcher()
    {
        // The reload above depends on it; a Dockerfile without it starts a server that never sees a ConfigMap change.
        Assert.Equal("true", ImageEnvironment().GetValueOrDefault("DOTNET_USE_POLLING_FILE_WATCHER"));
    }

    [Fact]
    public void The_image_of_PublishContainer_runs_with_the_polling_file_watcher_too()
    {
        // dotnet publish /t:PublishContainer builds the image from the project's Container* items, not the Dockerfile.
        var project = System.Xml.Linq.XDocument.Load(Path.Combine(RepositoryRoot(), "samples", "Sessions.SampleServer", "Sessions.SampleServer.csproj"));
        var variable = project.Descendants("ContainerEnvironmentVariable").SingleOrDefault(item => (string?)item.Attribute("Include") == "DOTNET_USE_POLLING_FILE_WATCHER");

        Assert.Equal("true", (string?)variable?.Attribute("Value"));
    }

    // rename(2), as the kubelet swaps the link: File.Move refuses a link to a directory, Directory.Move an existing target.
    private static async Task RenameOverAsync(string source, string destination)
    {
        using var mv = System.Diagnostics.Process.Start("mv", ["-T", "-f", source, destination]);
        await mv.WaitForExitAsync();
        Assert.Equal(0, mv.ExitCode);
    }

    private static async Task<string?> SigningKeyIdAsync(Protocol.Sessions.SessionsClient client)
    {
        var created = await client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });
        return TestTokens.ReadHeader(created.Token).TryGetProperty("kid", out var kid) ? kid.GetString() : null;
    }

    private static string Settings(params (string Id, string Secret)[] keys) =>
        string.Join(",", keys.Select(key => $$"""{ "Id": "{{key.Id}}", "Algorithm": "HS256", "Secret": "{{key.Secret}}" }"""));

    private static void WriteVersion(string mount, string version, string keys, string signing)
    {
        var directory = Directory.CreateDirectory(Path.Combine(mount, version));
        File.WriteAllText(Path.Combine(directory.FullName, "appsettings.json"), $$"""
            { "Sessions": { "SigningKeyId": "{{signing}}", "Keys": [ {{keys}} ] } }
            """);
    }

    /// <summary>The variables the final stage of the sample's Dockerfile sets (<c>ENV</c>, continued lines included).</summary>
    private static Dictionary<string, string> ImageEnvironment()
    {
        var dockerfile = File.ReadAllText(Path.Combine(RepositoryRoot(), "samples", "Sessions.SampleServer", "Dockerfile"));
        var final = dockerfile[dockerfile.IndexOf("\nFROM scratch", StringComparison.Ordinal)..];
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match instruction in EnvInstruction().Matches(final.Replace("\\\n", " ", StringComparison.Ordinal)))
        {
            foreach (Match pair in EnvPair().Matches(instruction.Groups["pairs"].Value))
            {
                environment[pair.Groups["name"].Value] = pair.Groups["value"].Value.Trim('"');
            }
        }

        return environment;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Sessions.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Sessions.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^ENV\s+(?<pairs>.+)$", RegexOptions.Multiline)]
    private static partial Regex EnvInstruction();

    [GeneratedRegex(@"(?<name>[A-Za-z_][A-Za-z0-9_]*)=(?<value>""[^""]*""|\S+)")]
    private static partial Regex EnvPair();
}
