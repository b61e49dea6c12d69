using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Sessions.Grpc.Tests.Infrastructure;
using Sessions.Jwt;

namespace Sessions.Grpc.Tests;

public sealed class HostingTests
{
    [Fact]
    public async Task AddSessions_twice_is_harmless()
    {
        IServiceCollection? services = null;
        await using var host = await SessionsHost.StartAsync(
            builder =>
            {
                services = builder.Services;
                builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret);
                builder.Services.AddSessions();
            },
            app => app.MapSessions());

        Assert.Single(services!, d => d.ServiceType == typeof(ISessionIssuer));
        Assert.Single(services!, d => d.ServiceType == typeof(ISessionValidator));
        Assert.Single(services!, d => d.ServiceType == typeof(IConfigureOptions<global::Grpc.AspNetCore.Server.GrpcServiceOptions<SessionsService>>)
            && d.ImplementationType?.Name.StartsWith("SessionsGrpcServiceOptionsSetup", StringComparison.Ordinal) == true);
        var created = await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });
        Assert.True((await host.Client.ValidateAsync(new ValidateTokenRequest { Token = created.Token })).Valid);
    }

    [Fact]
    public async Task AddSessions_binds_options_from_a_configuration_section()
    {
        await using var host = await SessionsHost.StartAsync(
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Sessions:Secret"] = SessionsHost.Secret,
                    ["Sessions:Issuer"] = "configured-issuer",
                    ["Sessions:Lifetime"] = "02:00:00",
                });
                builder.Services.AddSessions(builder.Configuration.GetSection(JwtSessionOptions.SectionName));
            },
            app => app.MapSessions());

        var created = await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });

        Assert.Equal("configured-issuer", TestTokens.Payload(created.Token).GetProperty("iss").GetString());
        Assert.Equal(7200, created.ExpiredAt - created.IssuedAt);
    }

    [Fact]
    public async Task AddSessions_without_arguments_binds_the_Sessions_section_as_environment_variables_set_it()
    {
        await using var host = await SessionsHost.StartAsync(
            builder =>
            {
                // What Sessions__Secret=... and Sessions__Lifetime=... in the environment become.
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Sessions:Secret"] = SessionsHost.Secret,
                    ["Sessions:Lifetime"] = "00:30:00",
                });
                builder.Services.AddSessions();
            },
            app => app.MapSessions());

        var created = await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });

        Assert.True(TestTokens.IsSignedWith(created.Token, SessionsHost.Secret));
        Assert.Equal(1800, created.ExpiredAt - created.IssuedAt);
    }

    [Fact]
    public async Task Options_set_in_code_win_over_the_Sessions_section()
    {
        await using var host = await SessionsHost.StartAsync(
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Sessions:Secret"] = "configured-secret-that-is-32-bytes-or-more",
                    ["Sessions:Issuer"] = "configured-issuer",
                });
                builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret);
            },
            app => app.MapSessions());

        var created = await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });

        Assert.True(TestTokens.IsSignedWith(created.Token, SessionsHost.Secret));
        Assert.Equal("configured-issuer", TestTokens.Payload(created.Token).GetProperty("iss").GetString());
    }

    [Fact]
    public async Task Host_start_fails_with_a_clear_message_when_the_secret_is_too_short()
    {
        var builder = SessionsHost.CreateBuilder(new FakeTimeProvider(SessionsHost.Start), new LogCollector());
        builder.Services.AddSessions(o => o.Secret = "ten-bytes!");
        await using var app = builder.Build();
        app.MapSessions();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Secret", ex.Message, StringComparison.Ordinal);
        Assert.Contains("32", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ten-bytes!", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MapSessions_without_AddSessions_throws_a_clear_message()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddGrpc();
        using var app = builder.Build();

        var ex = Assert.Throws<InvalidOperationException>(() => app.MapSessions());

        Assert.Contains("AddSessions", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapSessions_twice_on_one_route_builder_throws_naming_it_and_a_group_of_its_own_still_works()
    {
        // Before: the second call mapped /.well-known/jwks.json and every gRPC method again, the host started, and every
        // request to them failed with 500 (AmbiguousMatchException).
        InvalidOperationException? twice = null;
        await using var host = await SessionsHost.StartAsync(
            builder => builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret),
            app =>
            {
                app.MapSessions();
                twice = Assert.Throws<InvalidOperationException>(() => app.MapSessions());
                app.MapGroup("/second").MapSessions();
            });

        Assert.Contains("'MapSessions' was already called on this route builder", twice!.Message, StringComparison.Ordinal);
        Assert.Contains("500 (AmbiguousMatchException)", twice.Message, StringComparison.Ordinal);
        Assert.Contains("app.MapGroup(\"/prefix\").MapSessions()", twice.Message, StringComparison.Ordinal);
        var created = await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });
        Assert.True((await host.Client.ValidateAsync(new ValidateTokenRequest { Token = created.Token })).Valid);
    }

    [Fact]
    public void MapSessions_of_a_derived_service_without_AddService_throws_a_clear_message()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret);
        using var app = builder.Build();

        var ex = Assert.Throws<InvalidOperationException>(() => app.MapSessions<AuditedSessionsService>());

        Assert.Contains("AddService<AuditedSessionsService>()", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Derived_service_hooks_can_refuse_a_user_and_annotate_replies()
    {
        await using var host = await SessionsHost.StartAsync(
            builder => builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret).AddService<AuditedSessionsService>(),
            app => app.MapSessions<AuditedSessionsService>());

        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            host.Client.CreateAsync(new CreateRequest { UserId = AuditedSessionsService.BannedUser }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);

        var created = await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });
        var call = host.Client.ValidateAsync(new ValidateTokenRequest { Token = created.Token });
        Assert.True((await call.ResponseAsync).Valid);
        Assert.Equal(created.SessionId, (await call.ResponseHeadersAsync).GetValue("x-validated-session"));
    }

    [Fact]
    public async Task A_derived_service_built_from_SessionsServiceDependencies_gets_the_lifecycle_and_its_own_dependencies()
    {
        await using var host = await SessionsHost.StartAsync(
            builder =>
            {
                builder.Services.AddSingleton(new CreatedSessions());
                builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret).AddService<CountingSessionsService>();
            },
            app => app.MapSessions<CountingSessionsService>());

        var created = await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId, WithRefreshToken = true });
        var refreshed = await host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = created.RefreshToken });
        await host.Client.RevokeAsync(new RevokeSessionRequest { Token = refreshed.Token });

        Assert.Equal([created.SessionId], host.Server.App.Services.GetRequiredService<CreatedSessions>().Ids);
        var refused = await Assert.ThrowsAsync<RpcException>(() => host.Client.ValidateAsync(new ValidateTokenRequest { Token = refreshed.Token }).ResponseAsync);
        Assert.Equal("token is revoked", refused.Status.Detail);
    }

    public sealed class CreatedSessions
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Ids { get; } = new();
    }

    public sealed class CountingSessionsService(SessionsServiceDependencies dependencies, CreatedSessions created) : SessionsService(dependencies)
    {
        protected override ValueTask OnCreatedAsync(IssuedSession session, TokenReply reply, ServerCallContext context)
        {
            created.Ids.Enqueue(reply.SessionId);
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task Unexpected_exception_becomes_internal_without_details_and_is_logged_once()
    {
        var (host, ex) = await ValidateWithAsync<ThrowingValidator>();
        await using var _ = host;

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.DoesNotContain(ThrowingValidator.Secret, ex.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", ex.Status.Detail, StringComparison.Ordinal);
        var line = Assert.Single(host.Logs.Lines, l => l.Category == typeof(SessionsService).FullName);
        Assert.Equal(LogLevel.Error, line.Level);
        Assert.IsType<InvalidOperationException>(line.Exception);
    }

    [Fact]
    public async Task Unavailable_store_maps_to_unavailable()
    {
        var (host, ex) = await ValidateWithAsync<UnavailableValidator>();
        await using var _ = host;

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Equal("unavailable", ex.Trailers.GetValue(SessionsMetadataKeys.FailureReason));
    }

    /// <summary>Starts a host whose validator is <typeparamref name="TValidator"/> and validates one token.</summary>
    private static async Task<(TestHost Host, RpcException Error)> ValidateWithAsync<TValidator>()
        where TValidator : class, ISessionValidator
    {
        var host = await SessionsHost.StartAsync(
            builder =>
            {
                builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret);
                builder.Services.Replace(ServiceDescriptor.Singleton<ISessionValidator, TValidator>());
            },
            app => app.MapSessions());
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            host.Client.ValidateAsync(new ValidateTokenRequest { Token = "a.b.c" }).ResponseAsync);
        return (host, error);
    }

    public sealed class AuditedSessionsService(ISessionIssuer issuer, ISessionValidator validator, TimeProvider time, ILogger<SessionsService> logger, SessionsTelemetry telemetry)
        : SessionsService(issuer, validator, time, logger, telemetry)
    {
        public const string BannedUser = "00000000-0000-0000-0000-00000000dead";

        protected override ValueTask OnCreatingAsync(CreateRequest request, ServerCallContext context) =>
            request.UserId == BannedUser
                ? throw new RpcException(new Status(StatusCode.PermissionDenied, "user is banned"))
                : ValueTask.CompletedTask;

        protected override async ValueTask OnValidatedAsync(Session session, TokenReply reply, ServerCallContext context) =>
            await context.WriteResponseHeadersAsync(new Metadata { { "x-validated-session", session.Id } });
    }

    private sealed class ThrowingValidator : ISessionValidator
    {
        public const string Secret = "internal-detail-that-must-not-leak";

        public ValueTask<SessionValidationResult> ValidateAsync(string? token, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException(Secret);

        public TimeSpan ClockSkew => TimeSpan.Zero;
    }

    private sealed class UnavailableValidator : ISessionValidator
    {
        public ValueTask<SessionValidationResult> ValidateAsync(string? token, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(SessionValidationResult.Failure(SessionFailureReason.Unavailable));

        public TimeSpan ClockSkew => TimeSpan.Zero;
    }
}
