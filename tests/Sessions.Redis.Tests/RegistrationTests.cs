using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sessions.Lifecycle;
using Sessions.Redis.Tests.Infrastructure;

namespace Sessions.Redis.Tests;

/// <summary>
/// What <c>AddRedisSessionStore</c> / <c>AddRedisStore</c> register by themselves: options bound from the
/// <c>Sessions:Redis</c> section (or the section given), and the store's health check, once however often it is called.
/// </summary>
[Collection(SharedRedisGroup.Name)]
public sealed class RegistrationTests(SharedRedis redis)
{
    private static async Task<IHost> StartAsync(Dictionary<string, string?> settings, Action<IServiceCollection, IConfiguration> register)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        register(builder.Services, builder.Configuration);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task<bool> HasKeysUnderAsync(string configuration, string prefix)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(configuration);
        var server = connection.GetServers().Single();
        return server.Keys(pattern: "{" + prefix + "*", pageSize: 100).Any();   // every key is under the hash tag {prefix + shard}
    }

    [Fact]
    public async Task Without_arguments_the_options_come_from_the_Sessions_Redis_section_and_drive_the_store()
    {
        var prefix = SharedRedis.NewPrefix();
        using var host = await StartAsync(
            new()
            {
                ["Sessions:Redis:Configuration"] = redis.Configuration,
                ["Sessions:Redis:KeyPrefix"] = prefix,
                ["Sessions:Redis:PollInterval"] = "00:00:00.250",
                ["Sessions:Redis:ReplicaAcknowledgements"] = "0",
            },
            (services, _) => services.AddRedisSessionStore());

        var options = host.Services.GetRequiredService<IOptions<RedisSessionStoreOptions>>().Value;
        Assert.Equal((redis.Configuration, prefix, TimeSpan.FromMilliseconds(250), 0), (options.Configuration, options.KeyPrefix, options.PollInterval, options.ReplicaAcknowledgements));

        var store = host.Services.GetRequiredService<RedisSessionStore>();
        await store.RevokeSubjectAsync("registration-test-user", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.True(await HasKeysUnderAsync(redis.Configuration, prefix), $"nothing was written under the configured prefix {prefix}");
        await host.StopAsync();
    }

    [Fact]
    public async Task A_section_given_is_bound_instead_and_options_set_in_code_apply_after_it()
    {
        var prefix = SharedRedis.NewPrefix();
        using var host = await StartAsync(
            new()
            {
                ["Sessions:Redis:KeyPrefix"] = "not-this-one:",
                ["Shared:Store:Configuration"] = redis.Configuration,
                ["Shared:Store:KeyPrefix"] = prefix,
                ["Shared:Store:StalenessTolerance"] = "00:00:05",
            },
            (services, configuration) => services
                .AddRedisSessionStore(configuration.GetSection("Shared:Store"))
                .AddRedisSessionStore(o => o.PollInterval = TimeSpan.FromMilliseconds(50)));

        var options = host.Services.GetRequiredService<IOptions<RedisSessionStoreOptions>>().Value;

        Assert.Equal((prefix, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(50)), (options.KeyPrefix, options.StalenessTolerance, options.PollInterval));
        await host.StopAsync();
    }

    [Fact]
    public async Task A_value_that_is_not_a_duration_stops_start_up_naming_the_setting()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Sessions:Redis:PollInterval"] = "fast" });
        builder.Services.AddRedisSessionStore();
        using var host = builder.Build();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Sessions:Redis:PollInterval 'fast' is not a valid duration: write it as [d.]hh:mm:ss", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_duration_given_as_a_bare_number_stops_start_up_rather_than_being_read_as_days()
    {
        // Before, "30" was read as 30 days: a staleness tolerance that trusts a silent Redis for a month.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Sessions:Redis:StalenessTolerance"] = "30" });
        builder.Services.AddRedisSessionStore();
        using var host = builder.Build();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Sessions:Redis:StalenessTolerance '30' is a number without a unit, which would be read as days", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_duration_setting_of_the_store_options_is_checked_for_a_bare_number()
    {
        var durations = typeof(RedisSessionStoreOptions).GetProperties().Where(p => p.PropertyType == typeof(TimeSpan)).Select(p => p.Name);

        Assert.Equal(durations.Order(), Sessions.Redis.Internal.RedisSessionStoreConfigurationSetup.Durations.Order());
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:00:00.100")]
    [InlineData("00:00:00.150")]
    public async Task A_staleness_tolerance_not_twice_the_poll_interval_stops_start_up_naming_both_settings(string tolerance)
    {
        // Before, 0 was accepted and every Validate answered unavailable; a tolerance equal to PollInterval failed a few
        // percent of them, whenever a read finished later than the tolerance after the previous one began.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Sessions:Redis:StalenessTolerance"] = tolerance });
        builder.Services.AddRedisSessionStore();
        using var host = builder.Build();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        var line = Assert.Single(failure.Failures);
        Assert.StartsWith($"Sessions:Redis:StalenessTolerance is {TimeSpan.Parse(tolerance, System.Globalization.CultureInfo.InvariantCulture)}; it must be at least twice Sessions:Redis:PollInterval (00:00:00.1000000)", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_staleness_tolerance_given_to_the_constructor_must_be_twice_the_poll_interval_too()
    {
        var refused = Assert.Throws<OptionsValidationException>(() => new RedisSessionStore(
            new RedisSessionStoreOptions { PollInterval = TimeSpan.FromSeconds(1), StalenessTolerance = TimeSpan.FromSeconds(1.5) }));

        Assert.Contains("RedisSessionStoreOptions.StalenessTolerance is 00:00:01.5000000; it must be at least twice RedisSessionStoreOptions.PollInterval (00:00:01)", refused.Message, StringComparison.Ordinal);
        await using var accepted = new RedisSessionStore(new RedisSessionStoreOptions { PollInterval = TimeSpan.FromSeconds(1), StalenessTolerance = TimeSpan.FromSeconds(2) });
    }

    [Fact]
    public async Task An_invalid_setting_of_a_section_given_is_named_under_its_path()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Shared:Store:KeyPrefix"] = "sessions*", ["Shared:Store:PollInterval"] = "00:00:05" });
        builder.Services.AddRedisSessionStore(builder.Configuration.GetSection("Shared:Store"));
        using var host = builder.Build();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(2, failure.Failures.Count());
        Assert.StartsWith("Shared:Store:KeyPrefix must be set", failure.Failures.First(), StringComparison.Ordinal);
        Assert.StartsWith("Shared:Store:PollInterval is 00:00:05", failure.Failures.Last(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cap_of_the_lifecycle_refuses_naming_the_setting_where_the_host_keeps_it()
    {
        using var host = await StartAsync(
            new()
            {
                ["Auth:Sessions:Store:MaxChainsPerSubject"] = "1",
                ["Sessions:Redis:Configuration"] = redis.Configuration,
                ["Sessions:Redis:KeyPrefix"] = SharedRedis.NewPrefix(),
            },
            (services, configuration) =>
            {
                services.AddJwtSessions(o => o.Secret = "a-secret-of-the-cap-test-0123456789abcdef").AddSessionLifecycle().AddRedisSessionStore();
                services.Configure<SessionStoreOptions>(configuration.GetSection("Auth:Sessions:Store"));
                services.AddSingleton(new SessionsConfigurationPath(typeof(SessionStoreOptions), "Auth:Sessions:Store"));
            });
        var lifecycle = host.Services.GetRequiredService<ISessionLifecycle>();
        await lifecycle.IssueWithRefreshTokenAsync("alice");

        var refused = await Assert.ThrowsAsync<SessionStoreLimitException>(() => lifecycle.IssueWithRefreshTokenAsync("alice"));

        Assert.Contains("(Auth:Sessions:Store:MaxChainsPerSubject)", refused.Message, StringComparison.Ordinal);
        await host.StopAsync();
    }

    [Fact]
    public async Task The_health_check_is_registered_once_as_sessions_store_tagged_sessions_and_ready_however_often_the_store_is_added()
    {
        using var host = await StartAsync(
            new() { ["Sessions:Redis:Configuration"] = redis.Configuration, ["Sessions:Redis:KeyPrefix"] = SharedRedis.NewPrefix(), ["Sessions:Redis:ReplicaAcknowledgements"] = "0" },
            (services, _) => services.AddHealthChecks().Services.AddRedisSessionStore().AddRedisSessionStore(o => o.PollInterval = TimeSpan.FromMilliseconds(50)));

        var registration = Assert.Single(host.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations);
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal("sessions-store", registration.Name);
        Assert.Equal(["ready", "sessions"], registration.Tags.Order(StringComparer.Ordinal));
        var entry = Assert.Single(report.Entries);
        Assert.Equal(("sessions-store", HealthStatus.Healthy), (entry.Key, entry.Value.Status));
        await host.StopAsync();
    }
}
