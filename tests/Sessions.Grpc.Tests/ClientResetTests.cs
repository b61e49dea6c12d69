using System.IO.Pipelines;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Sessions.Grpc.Tests.Abuse;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests;

/// <summary>
/// A client that gives up as it sends its request: a grpc-go client whose deadline fires under load writes the
/// request's HEADERS, DATA and RST_STREAM together. Kestrel then fails the first read of the body with "The client reset
/// the request stream." while RequestAborted, which it signals on the thread pool, may not be cancelled yet: the
/// state this test gives the server, every time, through a body that fails that way (about 2 % of 2,000 grpc-go
/// calls with a 5 ms deadline on a loaded server reached it).
/// </summary>
public sealed class ClientResetTests
{
    private const string ResetHeader = "x-test-reset-before-read";

    [Theory]
    [InlineData("Create")]
    [InlineData("Validate")]
    public async Task A_request_reset_before_it_was_read_is_cancelled_without_an_error_in_the_log(string method)
    {
        var logs = new CapturedLogs();
        await using var host = await SessionsHost.StartAsync(
            builder =>
            {
                // Registered first, so its middleware runs before every other: the body the service's own check wraps
                // is the one that fails.
                builder.Services.AddSingleton<IStartupFilter, ResetBeforeRead>();
                AbuseServer.CaptureEverything(builder.Services, logs);
                builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret);
            },
            app => app.MapSessions());
        var reset = new CallOptions(new Metadata { { ResetHeader, "1" } });
        var before = logs.Entries.Count;   // after the start-up's own warnings (the privileged calls are open)

        var ex = await Assert.ThrowsAsync<RpcException>(() => method == "Create"
            ? host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId }, reset).ResponseAsync
            : host.Client.ValidateAsync(new ValidateTokenRequest { Token = "a.b.c" }, reset).ResponseAsync);

        // Before: grpc-dotnet logged "Error when executing service method" at Error, with the stack trace, and
        // answered Unknown, "Exception was thrown by handler." (no client was left to read it).
        Assert.DoesNotContain(logs.Entries.Skip(before), e => e.Split(' ')[1] is nameof(LogLevel.Warning) or nameof(LogLevel.Error) or nameof(LogLevel.Critical));
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        var created = await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });
        Assert.True((await host.Client.ValidateAsync(new ValidateTokenRequest { Token = created.Token })).Valid);
    }

    private sealed class ResetBeforeRead : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.ContainsKey(ResetHeader))
                {
                    context.Features.Set<IRequestBodyPipeFeature>(new ResetBody());
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }

    // What Kestrel's request body reader does once the client reset the stream: every read throws at once.
    private sealed class ResetBody : PipeReader, IRequestBodyPipeFeature
    {
        public PipeReader Reader => this;

        public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) =>
            throw new IOException("The client reset the request stream.");

        public override bool TryRead(out ReadResult result) => throw new IOException("The client reset the request stream.");

        public override void AdvanceTo(SequencePosition consumed)
        {
        }

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
        {
        }

        public override void CancelPendingRead()
        {
        }

        public override void Complete(Exception? exception = null)
        {
        }
    }
}
