using Grpc.Net.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests.Authorization;

/// <summary>
/// <see cref="SessionsApiKeyCredentials"/> and <c>AddSessionsApiKeyCredentials()</c>: a caller sends the server's API
/// key without writing the metadata itself, against a real session server on loopback that requires the key, over h2c.
/// </summary>
public sealed class SessionsApiKeyCredentialsTests
{
    private const string ApiKey = "an-api-key-for-tests-that-is-32-bytes-or-more";

    public enum Client
    {
        PerCall,
        Channel,
        ClientFactoryFixed,
        ClientFactoryProvider,
    }

    private static Task<TestHost> StartAsync() => SessionsHost.StartAsync(
        builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Sessions:ApiKey"] = ApiKey });
            builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret);
        },
        app => app.MapSessions());

    [Theory]
    [InlineData(Client.PerCall)]
    [InlineData(Client.Channel)]
    [InlineData(Client.ClientFactoryFixed)]
    [InlineData(Client.ClientFactoryProvider)]
    public async Task The_key_is_sent_as_x_api_key_and_the_privileged_call_is_made(Client client)
    {
        await using var host = await StartAsync();

        var created = await CreateAsync(host, client, ApiKey);

        Assert.NotEmpty(created.Token);
        Assert.Equal(TestTokens.UserId, created.Subject);
    }

    [Theory]
    [InlineData(Client.PerCall)]
    [InlineData(Client.ClientFactoryProvider)]
    public async Task A_wrong_key_is_refused_by_the_server_and_an_empty_one_sends_no_header(Client client)
    {
        await using var host = await StartAsync();

        var wrong = await Assert.ThrowsAsync<RpcException>(() => CreateAsync(host, client, "another-api-key-for-tests-32-bytes-or-more"));
        var empty = await Assert.ThrowsAsync<RpcException>(() => CreateAsync(host, client, ""));

        Assert.Equal(StatusCode.PermissionDenied, wrong.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, empty.StatusCode);
        Assert.Equal("Create is a privileged call and needs credentials: the x-api-key header (gRPC metadata).", empty.Status.Detail);
    }

    [Theory]
    [InlineData(Client.PerCall)]
    [InlineData(Client.Channel)]
    [InlineData(Client.ClientFactoryProvider)]
    public async Task A_key_with_a_trailing_line_break_fails_the_call_saying_where_and_never_the_key(Client client)
    {
        // Sent as it is, the line break made HTTP/2 refuse the request: Internal with a PROTOCOL_ERROR that named
        // neither the header nor the key.
        await using var host = await StartAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => CreateAsync(host, client, ApiKey + "\n", validateFixedKey: false));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.Contains($"The API key has a line break (U+000A) at index {ApiKey.Length} of its {ApiKey.Length + 1} characters", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("remove it", ex.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, ex.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ApiKey + "\r\n", "a line break (U+000D)")]
    [InlineData(" " + ApiKey, "whitespace at its start (U+0020) at index 0")]
    [InlineData(ApiKey + "\t", "whitespace at its end (U+0009)")]
    [InlineData("an-api-key\u0000for-tests-that-is-32-bytes-or-more", "a control character (U+0000) at index 10")]
    public void A_fixed_key_that_cannot_be_sent_is_refused_when_the_credentials_are_made(string key, string expected)
    {
        var made = Assert.Throws<ArgumentException>(() => SessionsApiKeyCredentials.Create(key));
        var registered = Assert.Throws<ArgumentException>(() => new ServiceCollection()
            .AddGrpcClient<Protocol.Sessions.SessionsClient>(o => o.Address = new Uri("http://127.0.0.1:1"))
            .AddSessionsApiKeyCredentials(key));

        Assert.All(new[] { made, registered }, ex =>
        {
            Assert.Equal("apiKey", ex.ParamName);
            Assert.StartsWith("The API key has " + expected, ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(ApiKey, ex.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_key_provider_that_ignores_cancellation_does_not_hold_the_call_past_its_deadline()
    {
        await using var host = await StartAsync();
        var release = new TaskCompletionSource();
        async ValueTask<string> Slow(CancellationToken callCancelled)
        {
            await release.Task.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);   // ignores callCancelled
            return ApiKey;
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            using var channel = InsecureChannelSendingCallCredentials(host);
            var ex = await Assert.ThrowsAsync<RpcException>(() => new Protocol.Sessions.SessionsClient(channel).CreateAsync(
                new CreateRequest { UserId = TestTokens.UserId },
                new CallOptions(deadline: DateTime.UtcNow.AddMilliseconds(300)).WithCredentials(SessionsApiKeyCredentials.Create(Slow))).ResponseAsync);

            Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"the call ended after {watch.Elapsed}");
        }
        finally
        {
            release.SetResult();
        }
    }

    // Without the flag, credentials given per call are silently not sent over h2c.
    private static GrpcChannel InsecureChannelSendingCallCredentials(TestHost host) =>
        GrpcChannel.ForAddress(host.Server.Addresses[0], new GrpcChannelOptions { UnsafeUseInsecureChannelCallCredentials = true });

    private static async Task<TokenReply> CreateAsync(TestHost host, Client client, string key, bool validateFixedKey = true)
    {
        var request = new CreateRequest { UserId = TestTokens.UserId };
        ValueTask<string> Current(CancellationToken _) => ValueTask.FromResult(key);
        switch (client)
        {
            case Client.PerCall:
                using (var channel = InsecureChannelSendingCallCredentials(host))
                {
                    return await new Protocol.Sessions.SessionsClient(channel).CreateAsync(request, new CallOptions().WithCredentials(SessionsApiKeyCredentials.Create(Current)));
                }

            case Client.Channel:
                using (var channel = GrpcChannel.ForAddress(host.Server.Addresses[0], new GrpcChannelOptions
                {
                    Credentials = ChannelCredentials.Create(ChannelCredentials.Insecure, SessionsApiKeyCredentials.Create(Current)),
                    UnsafeUseInsecureChannelCallCredentials = true,
                }))
                {
                    return await new Protocol.Sessions.SessionsClient(channel).CreateAsync(request);
                }

            default:
                var services = new ServiceCollection();
                var builder = services.AddGrpcClient<Protocol.Sessions.SessionsClient>(o => o.Address = new Uri(host.Server.Addresses[0]))
                    .ConfigureChannel(o => o.UnsafeUseInsecureChannelCallCredentials = true); // h2c: no TLS in the test
                if (client == Client.ClientFactoryFixed && validateFixedKey)
                {
                    builder.AddSessionsApiKeyCredentials(key);
                }
                else
                {
                    builder.AddSessionsApiKeyCredentials((_, cancel) => Current(cancel));
                }

                await using (var provider = services.BuildServiceProvider())
                {
                    return await provider.GetRequiredService<Protocol.Sessions.SessionsClient>().CreateAsync(request);
                }
        }
    }
}
