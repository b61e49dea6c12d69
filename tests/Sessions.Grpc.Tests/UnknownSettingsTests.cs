using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests;

/// <summary>
/// A value in the Sessions section that no setting reads is told at start: the binder ignores it, and the host would
/// otherwise run on the default it was meant to change (HS256 for <c>Sessions__Algorithm=ES256</c>).
/// </summary>
public sealed class UnknownSettingsTests
{
    [Fact]
    public async Task Each_value_no_setting_reads_gets_a_warning_naming_it_and_known_settings_and_subsections_none()
    {
        await using var host = await SessionsHost.StartAsync(
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Sessions:Secret"] = SessionsHost.Secret,
                    ["Sessions:issuer"] = "session-server",            // names are not case-sensitive
                    ["Sessions:Lifetime"] = "1.00:00:00",
                    ["Sessions:ApiKey"] = "an-api-key-for-tests-that-is-32-bytes-or-more",
                    ["Sessions:Store:MaxChainsPerSubject"] = "10",      // a subsection, bound by the store's options
                    ["Sessions:Algorithm"] = "ES256",                   // a key's setting: Sessions:Keys:n:Algorithm
                    ["Sessions:Lifetme"] = "02:00:00",                  // misspelt
                });
                builder.Services.AddSessions();
            },
            app => app.MapSessions());

        var warnings = host.Logs.Lines.Where(line => line.EventId.Name == "UnknownSetting").ToList();

        Assert.Equal(["Sessions:Algorithm", "Sessions:Lifetme"], warnings.Select(line => line.Message.Split(' ')[0]).Order());
        Assert.All(warnings, line => Assert.Equal(LogLevel.Warning, line.Level));
        Assert.Contains("is not a setting of the sessions service and is ignored", warnings[0].Message, StringComparison.Ordinal);
        Assert.Contains("Sessions:Keys:n", warnings[0].Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ES256", string.Join(" ", warnings.Select(line => line.Message)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_value_no_setting_of_a_key_or_of_the_store_reads_gets_a_warning_too()
    {
        await using var host = await SessionsHost.StartAsync(
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Sessions:Keys:0:Id"] = "k1",
                    ["Sessions:Keys:0:Secret"] = SessionsHost.Secret,
                    ["Sessions:Keys:0:Algoritm"] = "HS256",                 // misspelt: the key would keep HS256 whatever it said
                    ["Sessions:Store:MaxChainsPerSubject"] = "10",
                    ["Sessions:Store:RefreshTokenLifetme"] = "1.00:00:00",  // misspelt: 14 days would stay
                });
                builder.Services.AddSessions();
            },
            app => app.MapSessions());

        var warned = host.Logs.Lines.Where(line => line.EventId.Name == "UnknownSetting").Select(line => line.Message.Split(' ')[0]).Order();

        Assert.Equal(["Sessions:Keys:0:Algoritm", "Sessions:Store:RefreshTokenLifetme"], warned);
    }

    [Fact]
    public async Task A_section_of_known_settings_alone_gets_no_warning()
    {
        await using var host = await SessionsHost.StartAsync(
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Sessions:Secret"] = SessionsHost.Secret,
                    ["Sessions:Audience"] = "user",
                    ["Sessions:ClockSkew"] = "00:00:30",
                    ["Sessions:AnonymousCreate"] = "true",
                    ["Sessions:Store:RefreshTokenLifetime"] = "7.00:00:00",
                });
                builder.Services.AddSessions();
            },
            app => app.MapSessions());

        Assert.DoesNotContain(host.Logs.Lines, line => line.EventId.Name == "UnknownSetting");
    }
}
