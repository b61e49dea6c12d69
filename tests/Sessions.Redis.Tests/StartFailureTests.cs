using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Sessions.Redis.Tests;

/// <summary>
/// A store that must read the revocation log at start (<see cref="RedisSessionStoreOptions.RequireAtStart"/>) and cannot
/// reach Redis stops the host with a line that names the setting to correct. No Redis is needed: nothing listens on the
/// address these tests give.
/// </summary>
public sealed class StartFailureTests
{
    // In the range the tests may use, and never listened on by them.
    private const string Unreachable = "127.0.0.1:46881,connectTimeout=500,password=redis-password-never-in-a-message-0123";

    [Fact]
    public async Task An_unreachable_Redis_required_at_start_names_the_Configuration_setting_where_the_host_keeps_it()
    {
        // Before: "The revocation log of Redis 127.0.0.1:46881 could not be read at start (RedisConnectionException):
        // start Redis there, or correct the address and credentials", naming no setting.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:Redis:Configuration"] = Unreachable,
            ["Auth:Redis:RequireAtStart"] = "true",
        });
        builder.Services.AddRedisSessionStore(builder.Configuration.GetSection("Auth:Redis"));
        using var host = builder.Build();

        var failure = await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => host.StartAsync());

        Assert.StartsWith("The revocation log of Redis 127.0.0.1:46881 could not be read at start", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Auth:Redis:Configuration", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("redis-password-never-in-a-message", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_Redis_required_at_start_of_a_store_made_in_code_names_the_option_as_code_writes_it()
    {
        await using var store = new RedisSessionStore(new RedisSessionStoreOptions { Configuration = Unreachable, RequireAtStart = true });

        var failure = await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => store.StartAsync());

        Assert.Contains("RedisSessionStoreOptions.Configuration", failure.Message, StringComparison.Ordinal);
    }
}
