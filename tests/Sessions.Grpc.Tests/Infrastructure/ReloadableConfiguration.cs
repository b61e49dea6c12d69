using Microsoft.Extensions.Configuration;

namespace Sessions.Grpc.Tests.Infrastructure;

/// <summary>
/// An in-memory configuration source that can change at run time and tell the host, as a reloaded appsettings.json
/// does: <c>Set(...)</c> then <c>Reload()</c>.
/// </summary>
public sealed class ReloadableConfiguration : IConfigurationSource
{
    private readonly Provider _provider = new();

    public ReloadableConfiguration Set(string key, string? value)
    {
        _provider.Set(key, value);
        return this;
    }

    /// <summary>Raises the change token: options monitors rebind and key sources rebuild.</summary>
    public void Reload() => _provider.Raise();

    public IConfigurationProvider Build(IConfigurationBuilder builder) => _provider;

    private sealed class Provider : ConfigurationProvider
    {
        public void Raise() => OnReload();
    }
}
