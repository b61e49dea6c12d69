using System.IO.Compression;
using System.Xml.Linq;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Sessions.Grpc;

namespace Sessions.Packaging.Tests;

/// <summary>
/// Sessions.Grpc.Client is what a service that only calls the session server, or sends session tokens, installs: it
/// must not bring ASP.NET Core (the Microsoft.AspNetCore.App framework) with it.
/// </summary>
[Collection(SharedLocalFeed.Name)]
public sealed class ClientPackageTests(LocalFeed feed)
{
    private const string ClientPackage = "Sessions.Grpc.Client";
    private const string UserId = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

    [Fact]
    public void The_client_package_has_no_AspNetCore_framework_reference_and_does_not_depend_on_Sessions_Grpc()
    {
        var client = Nuspec(ClientPackage);

        Assert.Empty(FrameworkReferences(client));
        Assert.Equal(["Google.Api.CommonProtos", "Google.Protobuf", "Grpc.Net.Client", "Grpc.Net.ClientFactory", "Sessions.Abstractions"], Dependencies(client));
    }

    [Fact]
    public void Sessions_Grpc_brings_the_client_package_so_its_users_keep_the_contract_and_the_call_credentials()
    {
        var server = Nuspec("Sessions.Grpc");

        Assert.Contains(ClientPackage, Dependencies(server));
        Assert.Contains("Microsoft.AspNetCore.App", FrameworkReferences(server));
    }

    [Fact]
    public async Task A_console_app_with_only_the_client_package_creates_and_validates_a_session_sending_it_with_call_credentials()
    {
        var (project, environment) = await ConsumerProject.NewAsync(feed, "console", "ClientOnly");
        await DotNetCli.RunAsync(project, environment, ConsumerProject.StepTimeout, "add", "package", ClientPackage, "--version", feed.Version);
        await File.WriteAllTextAsync(Path.Combine(project, "Program.cs"), ClientProgram);
        await DotNetCli.RunAsync(project, environment, ConsumerProject.StepTimeout, "build", "-c", "Release", "-nodeReuse:false", "-v", "quiet");

        Assert.True(Directory.Exists(Path.Combine(feed.Packages, "sessions.grpc.client", feed.Version)), "Sessions.Grpc.Client did not come from the local feed");
        var assets = await File.ReadAllTextAsync(Path.Combine(project, "obj", "project.assets.json"));
        Assert.DoesNotContain($"\"Sessions.Grpc/{feed.Version}\"", assets, StringComparison.Ordinal);
        Assert.DoesNotContain("Microsoft.AspNetCore.App", assets, StringComparison.Ordinal);
        var runtimeConfig = await File.ReadAllTextAsync(Path.Combine(project, "bin", "Release", "net10.0", "ClientOnly.runtimeconfig.json"));
        Assert.DoesNotContain("Microsoft.AspNetCore.App", runtimeConfig, StringComparison.Ordinal);

        // The sample server, with Validate behind the session interceptor (sessions.Sessions taken out of the names it
        // lets through by default, Create put back): it answers only a call that carries the session token, so the
        // console's call credentials are what makes its Validate succeed.
        await using var server = Sessions.SampleServer.Program.Build(
            ["--PORT=0", "--HTTP_PORT=0", "--LISTEN_ADDRESS=127.0.0.1", "--JWT_SECRET=client-package-test-secret-0123456789"],
            services => services.AddGrpc().AddSessionAuthentication(o =>
            {
                o.AllowAnonymous.Remove("sessions.Sessions");
                o.AllowAnonymous.Add("/sessions.Sessions/Create");
            }));
        await server.StartAsync();
        var address = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();   // gRPC comes first

        var output = await DotNetCli.RunAsync(project, environment, ConsumerProject.StepTimeout,
            Path.Combine(project, "bin", "Release", "net10.0", "ClientOnly.dll"), address);

        Assert.Contains($"with-credentials: valid=True subject={UserId}", output, StringComparison.Ordinal);
        Assert.Contains("without-credentials: Unauthenticated", output, StringComparison.Ordinal);
        await server.StopAsync();
    }

    private XElement Nuspec(string id)
    {
        using var package = ZipFile.OpenRead(Path.Combine(feed.Feed, $"{id}.{feed.Version}.nupkg"));
        var nuspec = XDocument.Load(package.GetEntry($"{id}.nuspec")!.Open());
        return nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static List<string> Dependencies(XElement metadata) =>
        metadata.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => e.Attribute("id")!.Value).Distinct().Order(StringComparer.Ordinal).ToList();

    private static List<string> FrameworkReferences(XElement metadata) =>
        metadata.Descendants().Where(e => e.Name.LocalName == "frameworkReference").Select(e => e.Attribute("name")!.Value).Distinct().ToList();

    private const string ClientProgram = """
        using Grpc.Core;
        using Grpc.Net.Client;
        using Sessions.Grpc;
        using Sessions.Grpc.Protocol;

        using var anonymous = GrpcChannel.ForAddress(args[0]);
        TokenReply created = await new Sessions.Grpc.Protocol.Sessions.SessionsClient(anonymous)
            .CreateAsync(new CreateRequest { UserId = "3f2504e0-4f89-11d3-9a0c-0305e82c3301" });

        using var authenticated = GrpcChannel.ForAddress(args[0], new GrpcChannelOptions
        {
            Credentials = ChannelCredentials.Create(ChannelCredentials.Insecure, SessionCallCredentials.Create(created.Token)),
            UnsafeUseInsecureChannelCallCredentials = true,
        });
        TokenReply validated = await new Sessions.Grpc.Protocol.Sessions.SessionsClient(authenticated)
            .ValidateAsync(new ValidateTokenRequest { Token = created.Token });
        Console.WriteLine($"with-credentials: valid={validated.Valid} subject={validated.Subject}");

        try
        {
            await new Sessions.Grpc.Protocol.Sessions.SessionsClient(anonymous).ValidateAsync(new ValidateTokenRequest { Token = created.Token });
            Console.WriteLine("without-credentials: OK");
        }
        catch (RpcException ex)
        {
            Console.WriteLine($"without-credentials: {ex.StatusCode} ({SessionsMetadataKeys.Authorization} missing)");
        }
        """;
}
