using System.Net.Http.Json;
using Sessions.Grpc.Tests.Infrastructure;
using Sessions.Lifecycle;

namespace Sessions.Grpc.Tests.SampleServer;

/// <summary>
/// A JSON call whose client goes away while the service waits (a slow store, an impatient client) is a cancelled
/// call, as over gRPC: its line says <c>cancelled</c>, and the log gets no error with a stack trace for it.
/// </summary>
public sealed partial class SampleJsonTranscodingTests
{
    [Fact]
    public async Task A_JSON_call_its_client_abandons_is_logged_as_cancelled_not_as_an_error_with_its_stack_trace()
    {
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var logs = new LogCollector();
        var app = Sessions.SampleServer.Program.Build(
            ["--PORT=0", "--HTTP_PORT=0", "--LISTEN_ADDRESS=127.0.0.1", "--SESSIONS_API_KEY=" + ApiKey],
            services =>
            {
                services.AddSingleton<ILoggerProvider>(logs);
                services.AddSingleton<ISessionStore>(provider => new StoreThatNeverCreates(provider.GetRequiredService<InMemorySessionStore>(), waiting));
            });
        await using var server = await LoopbackServer.StartAsync(app);
        using var http = new HttpClient { BaseAddress = new Uri(server.Addresses[1]) };

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/sessions")
        {
            Content = JsonContent.Create(new { user_id = TestTokens.UserId, with_refresh_token = true }),
        };
        request.Headers.Add(SessionsApiKeyDefaults.MetadataKey, ApiKey);
        using var abandon = new CancellationTokenSource();
        var call = http.SendAsync(request, abandon.Token);
        await waiting.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await abandon.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!logs.Lines.Any(line => line.Message.StartsWith("Sessions.Create cancelled", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Contains(logs.Lines, line => line.Message.StartsWith("Sessions.Create cancelled session=- in ", StringComparison.Ordinal));
        // What follows the call's line (the transcoding handler's report of how the call ended) comes at once.
        await Task.Delay(500);
        Assert.DoesNotContain(logs.Lines, line => line.Level >= LogLevel.Error || line.Exception is not null);
    }

    /// <summary>A store whose <c>CreateChainAsync</c> waits until the call is cancelled, as a store that does not answer.</summary>
    private sealed class StoreThatNeverCreates(ISessionStore inner, TaskCompletionSource waiting) : ISessionStore
    {
        public async Task CreateChainAsync(RefreshChainRecord chain, RefreshTokenRecord first, CancellationToken cancellationToken = default)
        {
            waiting.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        public Task<RefreshChainRecord?> FindChainAsync(string chainId, CancellationToken cancellationToken = default) =>
            inner.FindChainAsync(chainId, cancellationToken);

        public Task<RefreshTokenRotation> RotateRefreshTokenAsync(RefreshTokenRotationRequest request, CancellationToken cancellationToken = default) =>
            inner.RotateRefreshTokenAsync(request, cancellationToken);

        public Task<bool> RevokeChainAsync(string chainId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
            inner.RevokeChainAsync(chainId, now, cancellationToken);

        public Task<RefreshChainRecord?> RevokeSessionAsync(string sessionId, DateTimeOffset keepUntil, DateTimeOffset now, bool verified = false, CancellationToken cancellationToken = default) =>
            inner.RevokeSessionAsync(sessionId, keepUntil, now, verified, cancellationToken);

        public Task RevokeSubjectAsync(string subject, DateTimeOffset issuedAtOrBefore, DateTimeOffset keepUntil, CancellationToken cancellationToken = default) =>
            inner.RevokeSubjectAsync(subject, issuedAtOrBefore, keepUntil, cancellationToken);

        public Task<IReadOnlyList<RefreshChainSummary>> ListChainsAsync(string subject, DateTimeOffset now, CancellationToken cancellationToken = default) =>
            inner.ListChainsAsync(subject, now, cancellationToken);
    }
}
