using System.IO.Compression;
using System.Xml.Linq;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Sessions.Packaging.Tests;

/// <summary>
/// The packages as a user gets them: packed into a folder feed, added to a fresh project with <c>dotnet add package</c>,
/// built, and run against the sample server.
/// </summary>
[Collection(SharedLocalFeed.Name)]
public sealed class ConsumerTests(LocalFeed feed)
{
    private const string Secret = "consumer-test-secret-0123456789abcdef";
    private const string GrpcNetClientVersion = "2.85.0";
    private static readonly TimeSpan StepTimeout = ConsumerProject.StepTimeout;

    [Fact]
    public void Each_library_has_a_package_with_readme_licence_repository_documentation_and_symbols()
    {
        var expected = LocalFeed.LibraryProjects.Select(Path.GetFileNameWithoutExtension).ToList();
        var templates = LocalFeed.TemplateProjects.Select(Path.GetFileNameWithoutExtension);
        var produced = Directory.GetFiles(feed.Feed, "*.nupkg").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(expected.Concat(templates).Select(id => $"{id}.{feed.Version}.nupkg").Order(StringComparer.Ordinal), produced);
        foreach (var id in expected)
        {
            using var package = ZipFile.OpenRead(Path.Combine(feed.Feed, $"{id}.{feed.Version}.nupkg"));
            var nuspec = XDocument.Load(package.GetEntry($"{id}.nuspec")!.Open());
            var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
            XElement Element(string name) => metadata.Elements().Single(e => e.Name.LocalName == name);

            Assert.Equal("README.md", Value("readme"));
            Assert.NotNull(package.GetEntry("README.md"));
            Assert.Equal("MIT", Value("license"));
            Assert.Equal("expression", Element("license").Attribute("type")?.Value);
            Assert.StartsWith("https://github.com/", Element("repository").Attribute("url")?.Value, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(Value("description")), $"{id} has no description");
            Assert.Contains("session", Value("tags") ?? "", StringComparison.Ordinal);
            Assert.NotNull(package.GetEntry($"lib/net10.0/{id}.dll"));
            Assert.NotNull(package.GetEntry($"lib/net10.0/{id}.xml"));

            using var symbols = ZipFile.OpenRead(Path.Combine(feed.Feed, $"{id}.{feed.Version}.snupkg"));
            Assert.NotNull(symbols.GetEntry($"lib/net10.0/{id}.pdb"));
        }
    }

    [Fact]
    public async Task A_new_console_project_adds_Sessions_Grpc_from_the_feed_and_talks_to_the_sample_server()
    {
        var (project, environment) = await ConsumerProject.NewAsync(feed, "console", "Consumer");
        // `--source` would restrict the restore to the feed or nuget.org; nuget.config lists both.
        await DotNetCli.RunAsync(project, environment, StepTimeout, "add", "package", "Sessions.Grpc", "--version", feed.Version);
        await DotNetCli.RunAsync(project, environment, StepTimeout, "add", "package", "Grpc.Net.Client", "--version", GrpcNetClientVersion);
        await File.WriteAllTextAsync(Path.Combine(project, "Program.cs"), ConsumerProgram);
        await DotNetCli.RunAsync(project, environment, StepTimeout, "build", "-c", "Release", "-nodeReuse:false", "-v", "quiet");
        Assert.True(Directory.Exists(Path.Combine(feed.Packages, "sessions.grpc", feed.Version)), "Sessions.Grpc did not come from the local feed");

        await using var server = Sessions.SampleServer.Program.Build(["--PORT=0", "--HTTP_PORT=0", "--LISTEN_ADDRESS=127.0.0.1", $"--JWT_SECRET={Secret}"]);
        await server.StartAsync();
        var address = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();   // gRPC comes first

        var output = await DotNetCli.RunAsync(project, environment, StepTimeout,
            Path.Combine(project, "bin", "Release", "net10.0", "Consumer.dll"), address, Secret);

        Assert.Contains("remote=True local=True subject=3f2504e0-4f89-11d3-9a0c-0305e82c3301", output, StringComparison.Ordinal);
        await server.StopAsync();
    }

    [Fact]
    public async Task A_stock_web_app_with_only_the_README_text_creates_and_validates_a_session()
    {
        var (project, environment) = await ConsumerProject.NewAsync(feed, "web", "WebConsumer");
        await DotNetCli.RunAsync(project, environment, StepTimeout, "add", "package", "Sessions.Grpc", "--version", feed.Version);

        // README section 2, as a user copies it: the C# block as Program.cs, the exported variables as the environment.
        var readme = await File.ReadAllTextAsync(RepositoryRoot.Combine("README.md"));
        var section = readme[readme.IndexOf("### 2. Embed", StringComparison.Ordinal)..readme.IndexOf("### 3.", StringComparison.Ordinal)];
        await File.WriteAllTextAsync(Path.Combine(project, "Program.cs"), Block(section, "csharp", "app.MapSessions();"));
        await DotNetCli.RunAsync(project, environment, StepTimeout, "build", "-c", "Release", "-nodeReuse:false", "-v", "quiet");

        var port = ConsumerProject.FreePort();
        var settings = new Dictionary<string, string> { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" };
        foreach (var line in Block(section, "sh", "export ").Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("export ", StringComparison.Ordinal)))
        {
            var assignment = line["export ".Length..].Split('#')[0].Trim();
            var (name, value) = (assignment[..assignment.IndexOf('=', StringComparison.Ordinal)], assignment[(assignment.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim('"'));
            settings[name] = value.Replace("$(openssl rand -base64 32)", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), StringComparison.Ordinal);
        }

        Assert.Contains("Sessions__Secret", settings.Keys);
        Assert.Equal("Http2", settings["Kestrel__EndpointDefaults__Protocols"]);
        var output = new System.Text.StringBuilder();
        using var app = DotNetCli.Start(project, settings, output, Path.Combine(project, "bin", "Release", "net10.0", "WebConsumer.dll"));
        try
        {
            await ConsumerProject.WaitForAsync(output, "Application started", app);
            using var channel = global::Grpc.Net.Client.GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
            var client = new Sessions.Grpc.Protocol.Sessions.SessionsClient(channel);

            var created = await client.CreateAsync(new Sessions.Grpc.Protocol.CreateRequest { UserId = "3f2504e0-4f89-11d3-9a0c-0305e82c3301" });
            var validated = await client.ValidateAsync(new Sessions.Grpc.Protocol.ValidateTokenRequest { Token = created.Token });

            Assert.True(validated.Valid);
            Assert.Equal("3f2504e0-4f89-11d3-9a0c-0305e82c3301", validated.Subject);
            Assert.DoesNotContain("No endpoint of this host serves HTTP/2", ConsumerProject.Snapshot(output), StringComparison.Ordinal);
        }
        finally
        {
            app.Kill();
            await app.WaitForExitAsync();
        }
    }

    /// <summary>The first ```<paramref name="language"/> block of <paramref name="markdown"/> that holds <paramref name="containing"/>.</summary>
    private static string Block(string markdown, string language, string containing)
    {
        for (var start = markdown.IndexOf("```" + language + "\n", StringComparison.Ordinal); start >= 0;
             start = markdown.IndexOf("```" + language + "\n", start, StringComparison.Ordinal))
        {
            start += language.Length + 4;
            var block = markdown[start..markdown.IndexOf("```", start, StringComparison.Ordinal)];
            if (block.Contains(containing, StringComparison.Ordinal))
            {
                return block;
            }
        }

        Assert.Fail($"no ```{language} block with '{containing}' in README section 2");
        return "";
    }

    private const string ConsumerProgram = """
        using Grpc.Net.Client;
        using Sessions;
        using Sessions.Grpc.Protocol;
        using Sessions.Jwt;

        using var channel = GrpcChannel.ForAddress(args[0]);
        var client = new Sessions.Grpc.Protocol.Sessions.SessionsClient(channel);
        TokenReply created = await client.CreateAsync(new CreateRequest { UserId = "3f2504e0-4f89-11d3-9a0c-0305e82c3301" });
        TokenReply validated = await client.ValidateAsync(new ValidateTokenRequest { Token = created.Token });

        using var validator = new JwtSessionValidator(new JwtSessionOptions { Secret = args[1] });
        SessionValidationResult local = validator.Validate(created.Token);

        Console.WriteLine($"remote={validated.Valid} local={local.IsValid} subject={local.Session?.Subject}");
        return validated.Valid && local.IsValid && validated.Subject == local.Session!.Subject ? 0 : 1;
        """;
}
