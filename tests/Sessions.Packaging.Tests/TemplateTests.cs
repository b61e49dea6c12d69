using Grpc.Core;
using System.Diagnostics.Tracing;
using System.Net.Sockets;
using System.Text;
using Microsoft.Diagnostics.NETCore.Client;
using Sessions.Grpc.Protocol;
using Sessions.Redis.Tests.Infrastructure;

namespace Sessions.Packaging.Tests;

/// <summary>
/// <c>dotnet new sessions-server</c> as a user runs it: the template pack from the feed installed into a hive of its
/// own, a project made from it, built against the feed, started on loopback ports and called with a real gRPC client.
/// </summary>
[Collection(SharedLocalFeed.Name)]
public sealed class TemplateTests(LocalFeed feed)
{
    private const string UserId = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

    private const string ApiKey = "template-test-api-key-0123456789abcdef-0123";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_sessions_server_made_by_dotnet_new_builds_from_the_feed_and_creates_refreshes_and_validates_sessions(bool redis)
    {
        var name = redis ? "TemplateRedis" : "TemplateMemory";
        var hive = Path.Combine(feed.Root, name + "-hive");
        var environment = ConsumerProject.Environment(feed);
        await DotNetCli.RunAsync(feed.Root, environment, ConsumerProject.StepTimeout,
            "new", "install", Path.Combine(feed.Feed, $"Sessions.Templates.{feed.Version}.nupkg"), "--debug:custom-hive", hive);
        var project = ConsumerProject.Prepare(feed, name);
        await ConsumerProject.WriteIsolationFilesAsync(feed, project);
        await DotNetCli.RunAsync(project, environment, ConsumerProject.StepTimeout,
            ["new", "sessions-server", "--name", "SessionsServer", "--output", ".", "--debug:custom-hive", hive, .. redis ? new[] { "--redis" } : []]);

        var program = await File.ReadAllTextAsync(Path.Combine(project, "Program.cs"));
        var projectFile = await File.ReadAllTextAsync(Path.Combine(project, "SessionsServer.csproj"));
        Assert.Contains("builder.Services.AddSessions()", program, StringComparison.Ordinal);
        Assert.Contains("app.MapSessions();", program, StringComparison.Ordinal);
        Assert.Equal(redis, program.Contains("AddRedisStore", StringComparison.Ordinal));
        Assert.Contains($"<PackageReference Include=\"Sessions.Grpc\" Version=\"{feed.Version}\" />", projectFile, StringComparison.Ordinal);
        Assert.Equal(redis, projectFile.Contains($"<PackageReference Include=\"Sessions.Redis\" Version=\"{feed.Version}\" />", StringComparison.Ordinal));
        Assert.Equal(redis, File.Exists(Path.Combine(project, "compose.yaml")));
        Assert.All(new[] { "Dockerfile", ".dockerignore", "README.md", "appsettings.json" }, file => Assert.True(File.Exists(Path.Combine(project, file)), $"no {file}"));
        Assert.All(Directory.GetFiles(project), file => Assert.DoesNotContain("#if", File.ReadAllText(file), StringComparison.Ordinal));
        Assert.Matches(@"<PackageReference Include=""ZLogger"" Version=""\d+\.\d+\.\d+"" />", projectFile);
        // The EventSource logger sits at None until a tracing session asks for logs, by a rule placed before every
        // other filter setting (checked below with a session that still gets the per-call line).
        Assert.Contains("builder.Services.Insert(0,", program, StringComparison.Ordinal);
        Assert.Contains("filters.AddFilter<EventSourceLoggerProvider>(null, LogLevel.None)", program, StringComparison.Ordinal);
        Assert.DoesNotContain("_PACKAGE_VERSION", projectFile, StringComparison.Ordinal);

        await DotNetCli.RunAsync(project, environment, ConsumerProject.StepTimeout, "build", "-c", "Release", "-nodeReuse:false", "-v", "quiet");
        // On one CPU the runtime's default tier-up delay keeps the hot path unoptimised under load (a third of the
        // throughput, docs/benchmarks.md): the project turns it off, and the built server must carry that.
        using (var runtimeConfig = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(project, "bin", "Release", "net10.0", "SessionsServer.runtimeconfig.json"))))
        {
            var delay = runtimeConfig.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").GetProperty("System.Runtime.TieredCompilation.CallCountingDelayMs");
            Assert.Equal(0, delay.GetInt32());
        }

        // While any level of Microsoft.AspNetCore.Hosting.Diagnostics is on, ASP.NET Core starts an Activity and a
        // logging scope per request (about 18 % of the instructions of a call, docs/benchmarks.md): the template's
        // settings turn it off, and the built server must carry that.
        var jsonWithComments = new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip };
        using (var appSettings = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(project, "bin", "Release", "net10.0", "appsettings.json")), jsonWithComments))
        {
            var levels = appSettings.RootElement.GetProperty("Logging").GetProperty("LogLevel");
            Assert.True(levels.TryGetProperty("Microsoft.AspNetCore.Hosting.Diagnostics", out var hosting), "appsettings.json leaves Microsoft.AspNetCore.Hosting.Diagnostics on");
            Assert.Equal("None", hosting.GetString());
        }

        // Started without its secret, the server stops before it listens: exit code 1 and one line that names the
        // setting and says how to make one, no stack trace.
        var serverDll = Path.Combine(project, "bin", "Release", "net10.0", "SessionsServer.dll");
        var withoutSecret = new Dictionary<string, string>
        {
            ["Kestrel__Endpoints__Grpc__Url"] = $"http://127.0.0.1:{ConsumerProject.FreePort()}",
            ["Kestrel__Endpoints__Http__Url"] = $"http://127.0.0.1:{ConsumerProject.FreePort()}",
        };
        var (exitCode, refusal) = await DotNetCli.RunToExitAsync(project, withoutSecret, TimeSpan.FromMinutes(2), serverDll);
        Assert.Equal(1, exitCode);
        var refusalLines = refusal.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("SessionsServer cannot start: Sessions:Secret is not set.", Assert.Single(refusalLines), StringComparison.Ordinal);
        Assert.Contains("openssl rand -base64 32", refusal, StringComparison.Ordinal);

        // With its secret but without the key of its privileged calls, the same: RequireApiKey() in Program.cs.
        var withoutKey = new Dictionary<string, string>(withoutSecret) { ["Sessions__Secret"] = "base64:" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) };
        var (keyExitCode, keyRefusal) = await DotNetCli.RunToExitAsync(project, withoutKey, TimeSpan.FromMinutes(2), serverDll);
        Assert.Equal(1, keyExitCode);
        var keyRefusalLines = keyRefusal.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("SessionsServer cannot start: Sessions:ApiKey is not set", Assert.Single(keyRefusalLines), StringComparison.Ordinal);

        // A port past 65535 in the endpoint the README says to change: one line naming it, not Kestrel's stack trace.
        var withBadPort = new Dictionary<string, string>(withoutKey) { ["Sessions__ApiKey"] = ApiKey, ["Kestrel__Endpoints__Grpc__Url"] = "http://127.0.0.1:99999" };
        var (portExitCode, portRefusal) = await DotNetCli.RunToExitAsync(project, withBadPort, TimeSpan.FromMinutes(2), serverDll);
        Assert.Equal(1, portExitCode);
        Assert.DoesNotContain("   at ", portRefusal, StringComparison.Ordinal);
        var portLine = portRefusal.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        Assert.StartsWith("SessionsServer cannot start: ", portLine, StringComparison.Ordinal);
        Assert.Contains("Kestrel__Endpoints__Grpc__Url", portLine, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:99999", portLine, StringComparison.Ordinal);   // Kestrel's message names neither the URL nor the setting

        // A Go duration where a TimeSpan is read: the line says how to write it.
        var withGoDuration = new Dictionary<string, string>(withoutKey) { ["Sessions__ApiKey"] = ApiKey, ["Sessions__Lifetime"] = "24h" };
        var (lifetimeExitCode, lifetimeRefusal) = await DotNetCli.RunToExitAsync(project, withGoDuration, TimeSpan.FromMinutes(2), serverDll);
        Assert.Equal(1, lifetimeExitCode);
        Assert.StartsWith("SessionsServer cannot start: Sessions:Lifetime '24h' is not a valid duration: write it as [d.]hh:mm:ss", Assert.Single(lifetimeRefusal.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)), StringComparison.Ordinal);

        await using var redisServer = redis ? await RedisProcess.StartAsync() : null;
        var (grpcPort, httpPort) = (ConsumerProject.FreePort(), ConsumerProject.FreePort());
        var settings = new Dictionary<string, string>
        {
            ["Sessions__Secret"] = "base64:" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Kestrel__Endpoints__Grpc__Url"] = $"http://127.0.0.1:{grpcPort}",
            ["Kestrel__Endpoints__Http__Url"] = $"http://127.0.0.1:{httpPort}",
            ["Sessions__ApiKey"] = ApiKey,
        };
        if (redisServer is not null)
        {
            settings["Sessions__Redis__Configuration"] = redisServer.Configuration;
        }

        var output = new StringBuilder();
        using var server = DotNetCli.Start(project, settings, output, serverDll);
        try
        {
            await ConsumerProject.WaitForAsync(output, "Application started", server);
            using var channel = global::Grpc.Net.Client.GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
            var client = new Sessions.Grpc.Protocol.Sessions.SessionsClient(channel);

            var anonymous = await Assert.ThrowsAsync<RpcException>(() => client.CreateAsync(new CreateRequest { UserId = UserId }).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
            // An empty key is no key: the same answer, not PermissionDenied as for a wrong one.
            var emptyKey = await Assert.ThrowsAsync<RpcException>(() => client.CreateAsync(new CreateRequest { UserId = UserId }, new Metadata { { "x-api-key", string.Empty } }).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, emptyKey.StatusCode);
            Assert.Equal(anonymous.Status.Detail, emptyKey.Status.Detail);
            var created = await client.CreateAsync(new CreateRequest { UserId = UserId, WithRefreshToken = true }, new Metadata { { "x-api-key", ApiKey } });
            var refreshed = await client.RefreshAsync(new RefreshSessionRequest { RefreshToken = created.RefreshToken });
            var validated = await client.ValidateAsync(new ValidateTokenRequest { Token = refreshed.Token });
            using var http = new HttpClient();
            var keys = await http.GetAsync(new Uri($"http://127.0.0.1:{httpPort}/.well-known/jwks.json"));

            // One line per call, in the template's format (ZLogger: UTC time, short level, category, message).
            await ConsumerProject.WaitForAsync(output, "INF Sessions.Grpc.SessionsService: Sessions.Validate valid session=", server);

            Assert.True(validated.Valid);
            Assert.Equal(UserId, validated.Subject);
            Assert.NotEqual(created.SessionId, refreshed.SessionId);
            Assert.Equal(System.Net.HttpStatusCode.OK, keys.StatusCode);
            Assert.Equal(new Version(1, 1), keys.Version);
            if (redisServer is not null)
            {
                Assert.True(await KeyCountAsync(redisServer.Port) > 0, "the refresh chain is not in Redis");
            }

            Assert.DoesNotContain("No endpoint of this host serves HTTP/2", ConsumerProject.Snapshot(output), StringComparison.Ordinal);
            // A second server on the same ports (the sample's defaults are the template's too) stops with one line.
            var (busyExitCode, busy) = await DotNetCli.RunToExitAsync(project, settings, TimeSpan.FromMinutes(2), serverDll);
            Assert.Equal(1, busyExitCode);
            // (With --redis the store has said that it replayed the revocation log before the ports are bound.)
            var busyLine = busy.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
            Assert.DoesNotContain("Exception", busy, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", busy, StringComparison.Ordinal);
            Assert.StartsWith($"SessionsServer cannot start: Failed to bind to address http://127.0.0.1:{grpcPort}: address already in use.", busyLine, StringComparison.Ordinal);
            Assert.Contains("Kestrel__Endpoints__Grpc__Url", busyLine, StringComparison.Ordinal);

            // A tracing session started as dotnet-trace starts one (--providers Microsoft-Extensions-Logging:4:4: keyword
            // FormattedMessage, no filter spec) gets the per-call line, though the EventSource logger was at None.
            await TraceAsync(server.Id, async () =>
            {
                var traced = await client.CreateAsync(new CreateRequest { UserId = UserId }, new Metadata { { "x-api-key", ApiKey } });
                return $"Sessions.Create issued session={traced.SessionId} in ";
            });

            // The refused Create has its own line; grpc-dotnet's "Error status code 'Unauthenticated' ... raised." would
            // be a second one for every refused call.
            Assert.Contains("Sessions.Create unauthenticated session=-", ConsumerProject.Snapshot(output), StringComparison.Ordinal);
            Assert.DoesNotContain("Error status code", ConsumerProject.Snapshot(output), StringComparison.Ordinal);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    /// <summary>
    /// Starts a tracing session in the process <paramref name="processId"/> that asks for the formatted log messages at
    /// Information, makes the call of <paramref name="call"/>, and waits until the session carries the text it returns.
    /// </summary>
    private static async Task TraceAsync(int processId, Func<Task<string>> call)
    {
        var diagnostics = new DiagnosticsClient(processId);
        using var session = await diagnostics.StartEventPipeSessionAsync(
            [new EventPipeProvider("Microsoft-Extensions-Logging", EventLevel.Informational, keywords: 4 /* FormattedMessage */)],
            requestRundown: false, circularBufferMB: 16, CancellationToken.None);
        try
        {
            // The message is a UTF-16 string in the event's payload.
            var expected = Encoding.Unicode.GetBytes(await call());
            // Long enough for a loaded machine; a session that gets no log line fails here rather than after a step's
            // ten minutes.
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            var received = new MemoryStream();
            var buffer = new byte[64 * 1024];
            while (received.GetBuffer().AsSpan(0, (int)received.Length).IndexOf(expected) < 0)
            {
                int read;
                try
                {
                    read = await session.EventStream.ReadAsync(buffer, timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    read = 0;
                }

                Assert.True(read > 0, "the tracing session got no per-call line: the EventSource logger stayed at None");
                received.Write(buffer, 0, read);
            }
        }
        finally
        {
            session.Stop();
        }
    }

    /// <summary>DBSIZE of the Redis on <paramref name="port"/>.</summary>
    private static async Task<long> KeyCountAsync(int port)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
        var stream = client.GetStream();
        await stream.WriteAsync("DBSIZE\r\n"u8.ToArray());
        var buffer = new byte[64];
        var reply = Encoding.ASCII.GetString(buffer, 0, await stream.ReadAsync(buffer));
        Assert.StartsWith(":", reply, StringComparison.Ordinal);
        return long.Parse(reply.AsSpan(1).Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
