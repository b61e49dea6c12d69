using Sessions.Grpc.Tests.Infrastructure;
using Sessions.Redis.Tests.Infrastructure;
using Sessions.SampleServer;

namespace Sessions.Grpc.Tests.SampleServer;

/// <summary>
/// The sample server, until it has answered a Create and a Validate, resolves every options and logger service whose
/// type argument a program can name from a closed registration (SampleClosedServices.cs), so that its Native AOT build
/// does not have the runtime build them at start-up. A new one (a framework update, a new feature) fails here with its
/// name, to be added there.
/// </summary>
public sealed class SampleClosedServicesTests(SharedRedis redis) : IClassFixture<SharedRedis>
{
    [Theory]
    [InlineData("in memory")]
    [InlineData("on Redis")]
    public async Task Every_options_and_logger_service_with_a_public_argument_has_a_closed_registration(string store)
    {
        using var resolved = new ResolvedServices();
        IServiceCollection? services = null;
        string[] settings = store == "on Redis"
            ? ["--PORT=0", "--HTTP_PORT=0", "--LISTEN_ADDRESS=127.0.0.1", "--SESSIONS_REDIS=" + redis.Configuration, "--Sessions:Redis:KeyPrefix=" + SharedRedis.NewPrefix()]
            : ["--PORT=0", "--HTTP_PORT=0", "--LISTEN_ADDRESS=127.0.0.1"];
        await using var server = await LoopbackServer.StartAsync(Program.Build(settings, s => services = s));
        var client = new Protocol.Sessions.SessionsClient(server.Channel);
        var created = await client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });
        Assert.True((await client.ValidateAsync(new ValidateTokenRequest { Token = created.Token })).Valid);

        Assert.Contains(resolved.By(server.App.Services), type => type.StartsWith("Microsoft.Extensions.Logging.ILogger`1[Microsoft.AspNetCore.", StringComparison.Ordinal));
        var missing = resolved.FromOpenGenerics(server.App.Services, services!, IsPublic);
        Assert.True(missing.Count == 0, $"made from an open generic registration (add them to SampleClosedServices): {string.Join(", ", missing)}");
    }

    // A type argument the sample could name: a public type of a loaded assembly (not itself generic).
    private static bool IsPublic(string argument) =>
        !argument.Contains('`', StringComparison.Ordinal)
        && AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(argument)).FirstOrDefault(t => t is not null) is { IsVisible: true };
}
