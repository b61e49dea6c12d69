using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests.Authorization;

/// <summary>
/// A host whose own authorization has a fallback policy (<c>RequireAuthenticatedUser()</c> for every endpoint that
/// says nothing) and embeds the service: ASP.NET Core applies that policy to <c>sessions.Sessions</c> too, and refuses
/// every call before the service, <c>Validate</c> and a caller with the API key included. Start-up says so, with
/// the two ways out; a host that mapped the service with a convention of its own is not warned.
/// </summary>
public sealed class FallbackPolicyTests
{
    private const string ApiKey = "an-api-key-for-tests-that-is-32-bytes-or-more";

    private static Task<TestHost> StartAsync(Action<GrpcServiceEndpointConventionBuilder> convention) => SessionsHost.StartAsync(
        builder =>
        {
            // The host's own users sign in with JwtBearer, and everything it maps needs a signed-in user.
            builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
            builder.Services.AddAuthorization(o => o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
            builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret).RequireApiKey(ApiKey);
        },
        app =>
        {
            app.UseAuthentication();
            app.UseAuthorization();
            convention(app.MapSessions());
        });

    private static Metadata Key() => new() { { SessionsApiKeyDefaults.MetadataKey, ApiKey } };

    [Fact]
    public async Task The_fallback_policy_applying_to_the_service_is_told_at_start_with_the_conventions_that_change_it()
    {
        await using var host = await StartAsync(_ => { });

        var warning = Assert.Single(host.Logs.Lines, line => line.EventId.Name == "FallbackPolicyApplies");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("fallback authorization policy applies to sessions.Sessions (Create, Validate, GetKeys", warning.Message, StringComparison.Ordinal);
        Assert.Contains("app.MapSessions().AllowAnonymous()", warning.Message, StringComparison.Ordinal);
        Assert.Contains("app.MapSessions().RequireAuthorization(", warning.Message, StringComparison.Ordinal);

        // What the warning is about: the key never reaches the service, and Validate is refused as well.
        var create = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId }, Key()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, create.StatusCode);
        var validate = await Assert.ThrowsAsync<RpcException>(() => host.Client.ValidateAsync(new ValidateTokenRequest { Token = "x" }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, validate.StatusCode);
    }

    [Fact]
    public async Task AllowAnonymous_keeps_the_calls_as_the_service_means_them_without_a_warning()
    {
        await using var host = await StartAsync(mapped => mapped.AllowAnonymous());

        Assert.DoesNotContain(host.Logs.Lines, line => line.EventId.Name == "FallbackPolicyApplies");
        var token = (await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId }, Key())).Token;
        Assert.True((await host.Client.ValidateAsync(new ValidateTokenRequest { Token = token })).Valid);
        var refused = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Contains("privileged call and needs credentials", refused.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_that_requires_its_policy_on_the_service_deliberately_is_not_warned()
    {
        await using var host = await StartAsync(mapped => mapped.RequireAuthorization());

        Assert.DoesNotContain(host.Logs.Lines, line => line.EventId.Name == "FallbackPolicyApplies");
    }
}
