using Grpc.Net.Client;
using Sessions.Grpc.Tests.Infrastructure;
using Sessions.Grpc.Tests.Probe;

namespace Sessions.Grpc.Tests.Authentication;

/// <summary>
/// <see cref="SessionCallCredentials"/> and <c>AddSessionCredentials()</c> with tokens an authorization header cannot
/// carry as they are: against a real downstream service on loopback, over h2c.
/// </summary>
public sealed class SessionCallCredentialsTests
{
    public enum Client
    {
        PerCall,
        Channel,
        ClientFactory,
    }

    [Theory]
    [InlineData(Client.PerCall)]
    [InlineData(Client.Channel)]
    [InlineData(Client.ClientFactory)]
    public async Task A_token_with_a_trailing_line_break_fails_the_call_saying_so_instead_of_going_without_a_token(Client client)
    {
        // Before, the HTTP stack dropped the header value with the line break, and the service answered "no token".
        await using var downstream = await DownstreamServer.StartWithSecretAsync(DownstreamAuthentication.Interceptor);
        var token = await downstream.IssueAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => WhoAmIAsync(downstream, client, token + "\n"));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.Contains("The session token has a line break (U+000A) at index " + token.Length, ex.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("trim it", ex.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(token, ex.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("   ", "whitespace (U+0020) at index 0")]
    [InlineData("abc\t", "whitespace (U+0009) at index 3")]
    [InlineData("abc\u00e9", "a character outside ASCII (U+00E9) at index 3")]
    [InlineData("abc\r\nx-api-key: k", "a line break (U+000D) at index 3")]
    [InlineData("Bearer abc", "starts with the scheme 'Bearer '")]
    public async Task A_token_that_cannot_be_sent_as_it_is_fails_the_call_with_what_to_fix(string token, string expected)
    {
        await using var downstream = await DownstreamServer.StartWithSecretAsync(DownstreamAuthentication.Interceptor);

        var ex = await Assert.ThrowsAsync<RpcException>(() => WhoAmIAsync(downstream, Client.PerCall, token));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.Contains(expected, ex.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tok\n")]
    [InlineData(" ")]
    [InlineData("Bearer tok")]
    public void A_fixed_token_that_cannot_be_sent_as_it_is_is_refused_when_the_credentials_are_made(string token)
    {
        var ex = Assert.Throws<ArgumentException>(() => SessionCallCredentials.Create(token));

        Assert.Equal("token", ex.ParamName);
        Assert.StartsWith("The session token ", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Client.PerCall)]
    [InlineData(Client.ClientFactory)]
    public async Task An_empty_token_still_sends_no_header(Client client)
    {
        await using var downstream = await DownstreamServer.StartWithSecretAsync(DownstreamAuthentication.Interceptor);

        var ex = await Assert.ThrowsAsync<RpcException>(() => WhoAmIAsync(downstream, client, ""));

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
        Assert.Contains("authorization: Bearer", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Client.PerCall, false)]
    [InlineData(Client.PerCall, true)]
    [InlineData(Client.ClientFactory, false)]
    [InlineData(Client.ClientFactory, true)]
    public async Task A_token_provider_that_ignores_cancellation_does_not_hold_the_call_past_its_deadline_or_cancellation(Client client, bool cancel)
    {
        // Before, the call waited for the provider however long it took: a 300 ms deadline ended the call when the
        // provider returned, seconds later.
        await using var downstream = await DownstreamServer.StartWithSecretAsync(DownstreamAuthentication.Interceptor);
        var token = await downstream.IssueAsync();
        var release = new TaskCompletionSource();
        async ValueTask<string> Slow()
        {
            await release.Task.WaitAsync(TimeSpan.FromSeconds(10));   // ignores the call's cancellation token
            return token;
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var options = cancel
            ? new CallOptions(cancellationToken: cts.Token)
            : new CallOptions(deadline: DateTime.UtcNow.AddMilliseconds(300));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var ex = await Assert.ThrowsAsync<RpcException>(() => WhoAmIAsync(downstream, client, _ => Slow(), options));

            Assert.Equal(cancel ? StatusCode.Cancelled : StatusCode.DeadlineExceeded, ex.StatusCode);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"the call ended after {watch.Elapsed}");
        }
        finally
        {
            release.SetResult();
        }
    }

    private static Task<WhoAmIReply> WhoAmIAsync(DownstreamServer downstream, Client client, string token) =>
        WhoAmIAsync(downstream, client, _ => ValueTask.FromResult(token), default);

    private static async Task<WhoAmIReply> WhoAmIAsync(DownstreamServer downstream, Client client, Func<CancellationToken, ValueTask<string>> current, CallOptions options)
    {
        ValueTask<string> Current(CancellationToken cancel) => current(cancel);
        switch (client)
        {
            case Client.PerCall:
                return await downstream.Client.WhoAmIAsync(new WhoAmIRequest(), options.WithCredentials(SessionCallCredentials.Create(Current)));
            case Client.Channel:
                using (var channel = GrpcChannel.ForAddress(downstream.Server.Addresses[0], new GrpcChannelOptions
                {
                    Credentials = ChannelCredentials.Create(ChannelCredentials.Insecure, SessionCallCredentials.Create(Current)),
                    UnsafeUseInsecureChannelCallCredentials = true,
                }))
                {
                    return await new Probe.Probe.ProbeClient(channel).WhoAmIAsync(new WhoAmIRequest(), options);
                }

            default:
                var services = new ServiceCollection();
                services.AddGrpcClient<Probe.Probe.ProbeClient>(o => o.Address = new Uri(downstream.Server.Addresses[0]))
                    .ConfigureChannel(o => o.UnsafeUseInsecureChannelCallCredentials = true) // h2c: no TLS in the test
                    .AddSessionCredentials((_, cancel) => Current(cancel));
                await using (var provider = services.BuildServiceProvider())
                {
                    return await provider.GetRequiredService<Probe.Probe.ProbeClient>().WhoAmIAsync(new WhoAmIRequest(), options);
                }
        }
    }
}
