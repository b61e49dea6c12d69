using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests;

/// <summary>
/// A host that keeps the sessions settings in a section of its own (<c>AddSessions(configuration)</c>) reads every
/// error under that section's path: the setting as its configuration writes it, never <c>Sessions:...</c>, which it
/// does not have.
/// </summary>
public sealed class SettingNamesTests
{
    private const string Section = "Auth:Tokens";

    [Fact]
    public async Task A_missing_secret_is_named_under_the_section_given_to_AddSessions()
    {
        var message = await StartFailureAsync(new Dictionary<string, string?>());

        Assert.StartsWith($"{Section}:Secret is not set.", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Sessions:", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_invalid_setting_of_the_section_is_named_under_its_path()
    {
        var message = await StartFailureAsync(new Dictionary<string, string?>()
        {
            [$"{Section}:Secret"] = "ten-bytes!",
            [$"{Section}:Issuer"] = " ",
            [$"{Section}:ClockSkew"] = "00:10:00",
            [$"{Section}:Keys:0:Algorithm"] = "HS256",
            [$"{Section}:Keys:0:Secret"] = SessionsHost.Secret,
        });

        Assert.Contains($"{Section}:Secret ", message, StringComparison.Ordinal);
        Assert.Contains($"{Section}:Issuer must not be empty", message, StringComparison.Ordinal);
        Assert.Contains($"{Section}:ClockSkew is 00:10:00", message, StringComparison.Ordinal);
        Assert.Contains($"{Section}:Keys:0:Id is not set", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Sessions:", message, StringComparison.Ordinal);
        Assert.DoesNotContain("ten-bytes!", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_jwk_that_is_not_base64url_stops_start_up_naming_its_setting_under_the_section()
    {
        // Before, the decoder's FormatException stopped the host with its stack trace, naming neither setting nor key.
        var message = await StartFailureAsync(new Dictionary<string, string?>()
        {
            [$"{Section}:Keys:0:Id"] = "k1",
            [$"{Section}:Keys:0:Algorithm"] = "ES256",
            [$"{Section}:Keys:0:Jwk"] = """{"kty":"EC","crv":"P-256","x":"ab+c/d==","y":"ab+c/d=="}""",
        });

        Assert.StartsWith($"Key 'k1' ({Section}:Keys:0:Jwk): a value of the key is not valid base64url", message, StringComparison.Ordinal);
        Assert.DoesNotContain("ab+c", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_store_options_are_named_under_the_Store_subsection_of_the_section()
    {
        var message = await StartFailureAsync(new Dictionary<string, string?>()
        {
            [$"{Section}:Secret"] = SessionsHost.Secret,
            [$"{Section}:Store:RefreshReuseGracePeriod"] = "00:10:00",
        });

        Assert.StartsWith($"{Section}:Store:RefreshReuseGracePeriod is 00:10:00", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_required_API_key_names_the_setting_and_its_environment_variable_under_the_section()
    {
        var message = await StartFailureAsync(new Dictionary<string, string?>() { [$"{Section}:Secret"] = SessionsHost.Secret }, builder => builder.RequireApiKey());

        Assert.StartsWith($"{Section}:ApiKey is not set", message, StringComparison.Ordinal);
        Assert.Contains("Auth__Tokens__ApiKey in the environment", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Sessions:", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_privileged_policy_that_cannot_be_found_is_named_under_the_section()
    {
        var message = await StartFailureAsync(new Dictionary<string, string?>()
        {
            [$"{Section}:Secret"] = SessionsHost.Secret,
            [$"{Section}:PrivilegedPolicy"] = "admins",
        });

        Assert.StartsWith($"{Section}:PrivilegedPolicy is 'admins'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_bound_from_the_root_of_a_configuration_are_named_without_a_prefix()
    {
        var root = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Lifetime"] = "00:00:00" }).Build();
        var builder = SessionsHost.CreateBuilder(new FakeTimeProvider(SessionsHost.Start), new LogCollector());
        builder.Services.AddSessions(root);

        var message = await StartFailureAsync(builder);

        Assert.StartsWith("Secret is not set.", message, StringComparison.Ordinal);
        Assert.Contains("; Lifetime is 00:00:00", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cap_of_the_store_refuses_a_call_naming_the_setting_under_the_section()
    {
        await using var host = await SessionsHost.StartAsync(
            (WebApplicationBuilder builder) =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    [$"{Section}:Secret"] = SessionsHost.Secret,
                    [$"{Section}:Store:MaxChainsPerSubject"] = "1",
                });
                builder.Services.AddSessions(builder.Configuration.GetSection(Section));
            },
            app => app.MapSessions());
        var request = new CreateRequest { UserId = TestTokens.UserId, WithRefreshToken = true };
        await host.Client.CreateAsync(request);

        var refused = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains($"({Section}:Store:MaxChainsPerSubject)", refused.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_given_as_one_value_rather_than_a_list_are_named_without_echoing_the_value()
    {
        // Before: the value was dropped by the binder and the line said "Auth:Tokens:Secret is not set", about a setting
        // the operator had not meant to use.
        var message = await StartFailureAsync(new Dictionary<string, string?> { [$"{Section}:Keys"] = "a-key-pasted-where-a-list-goes-0123456789" });

        Assert.StartsWith($"{Section}:Keys is one value, not a list of keys:", message, StringComparison.Ordinal);
        Assert.Contains($"{Section}:Keys:0:Id", message, StringComparison.Ordinal);
        Assert.DoesNotContain("a-key-pasted-where-a-list-goes", message, StringComparison.Ordinal);
    }

    private static Task<string> StartFailureAsync(Dictionary<string, string?> settings, Action<ISessionsBuilder>? configure = null)
    {
        var builder = SessionsHost.CreateBuilder(new FakeTimeProvider(SessionsHost.Start), new LogCollector());
        builder.Configuration.AddInMemoryCollection(settings);
        var sessions = builder.Services.AddSessions(builder.Configuration.GetSection(Section));
        configure?.Invoke(sessions);
        return StartFailureAsync(builder);
    }

    private static async Task<string> StartFailureAsync(WebApplicationBuilder builder)
    {
        await using var app = builder.Build();
        app.MapSessions();
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());
        return failure switch
        {
            Microsoft.Extensions.Options.OptionsValidationException validation => string.Join("; ", validation.Failures),
            InvalidOperationException check => check.Message,
            _ => throw new Xunit.Sdk.XunitException($"start-up failed with {failure.GetType().Name}: {failure.Message}"),
        };
    }
}
