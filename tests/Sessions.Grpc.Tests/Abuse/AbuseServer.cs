using Microsoft.Extensions.Time.Testing;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests.Abuse;

/// <summary>
/// One sessions server on 127.0.0.1 shared by a whole class of hostile cases, logging at Trace level (ASP.NET Core,
/// Kestrel and gRPC included) into <see cref="Logs"/>. Sharing it is the point: every case must leave it serving.
/// </summary>
public sealed class AbuseServer : IAsyncLifetime
{
    private TestHost? _host;

    public Protocol.Sessions.SessionsClient Client => Host.Client;

    public global::Grpc.Net.Client.GrpcChannel Channel => Host.Server.Channel;

    public FakeTimeProvider Time => Host.Time;

    public CapturedLogs Logs { get; } = new();

    private TestHost Host => _host ?? throw new InvalidOperationException("The server has not started.");

    public async Task InitializeAsync() =>
        _host = await SessionsHost.StartAsync(
            builder =>
            {
                CaptureEverything(builder.Services, Logs);
                builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret);
            },
            app => app.MapSessions());

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    /// <summary>Logs every category at Trace level into <paramref name="logs"/>, whatever appsettings files say.</summary>
    public static void CaptureEverything(IServiceCollection services, CapturedLogs logs)
    {
        services.AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        services.Configure<LoggerFilterOptions>(filters =>
        {
            filters.Rules.Clear();
            filters.MinLevel = LogLevel.Trace;
        });
    }

    /// <summary>Proves the server still does its job: a good Create, then Validate of that token.</summary>
    public async Task AssertStillServingAsync()
    {
        var created = await Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });
        var validated = await Client.ValidateAsync(new ValidateTokenRequest { Token = created.Token });
        Assert.True(validated.Valid);
        Assert.Equal(TestTokens.UserId, validated.Subject);
    }
}
