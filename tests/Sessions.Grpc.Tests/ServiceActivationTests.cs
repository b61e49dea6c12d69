using Microsoft.Extensions.DependencyInjection.Extensions;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests;

public sealed class ServiceActivationTests
{
    [Fact]
    public async Task The_sessions_service_is_made_once_and_serves_every_call()
    {
        var constructions = new ConstructionCount();
        await using var host = await SessionsHost.StartAsync(
            builder =>
            {
                builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret);
                builder.Services.AddSingleton(constructions);
                // A transient dependency is made again whenever the service is: the count shows how often that is.
                builder.Services.Replace(ServiceDescriptor.Transient<ISessionValidator, RefusingValidator>());
            },
            app => app.MapSessions());

        await ValidateAsync(host);
        var afterFirstCall = constructions.Value;
        for (var i = 0; i < 3; i++)
        {
            await ValidateAsync(host);
        }

        Assert.Equal(afterFirstCall, constructions.Value);
    }

    private static async Task ValidateAsync(TestHost host)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.ValidateAsync(new ValidateTokenRequest { Token = "a.b.c" }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    public sealed class ConstructionCount
    {
        private int _value;

        public int Value => Volatile.Read(ref _value);

        public void Increment() => Interlocked.Increment(ref _value);
    }

    public sealed class RefusingValidator : ISessionValidator
    {
        public RefusingValidator(ConstructionCount count) => count.Increment();

        public TimeSpan ClockSkew => TimeSpan.Zero;

        public ValueTask<SessionValidationResult> ValidateAsync(string? token, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(SessionValidationResult.Failure(SessionFailureReason.Malformed));
    }
}
