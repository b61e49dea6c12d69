using Sessions.Grpc.Internal.Hosting;
using Sessions.Jwt;
using Sessions.Lifecycle;

namespace Sessions.Grpc.Tests;

/// <summary>
/// Every <see cref="TimeSpan"/> setting the Sessions section binds is refused as a bare number ("24", which .NET reads
/// as 24 days): the lists the bindings check are those of the options' properties, so that a new duration setting
/// cannot be left out.
/// </summary>
public sealed class DurationSettingsTests
{
    [Fact]
    public void The_token_settings_list_every_duration()
    {
        Assert.Equal(DurationsOf<JwtSessionOptions>(), SessionsConfigurationSetup.Durations.Order());
    }

    [Fact]
    public void The_store_settings_list_every_duration()
    {
        Assert.Equal(DurationsOf<SessionStoreOptions>(), SessionStoreConfigurationSetup.Durations.Order());
    }

    [Fact]
    public void The_service_settings_have_no_duration()
    {
        Assert.Empty(DurationsOf<SessionsServiceOptions>());
    }

    private static IEnumerable<string> DurationsOf<TOptions>() =>
        typeof(TOptions).GetProperties().Where(p => p.PropertyType == typeof(TimeSpan) || p.PropertyType == typeof(TimeSpan?)).Select(p => p.Name).Order();
}
