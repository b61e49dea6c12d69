using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Sessions.Internal;
using Sessions.Lifecycle;

namespace Sessions.Grpc.Internal.Hosting;

/// <summary>
/// Binds the lifecycle's <see cref="SessionStoreOptions"/> from the <c>Store</c> subsection of the sessions
/// configuration (<c>Sessions:Store</c> by default, so <c>Sessions__Store__RefreshReuseGracePeriod</c> in the
/// environment), before the options a host sets in code.
/// </summary>
internal sealed class SessionStoreConfigurationSetup(SessionsConfigurationSource source) : IConfigureOptions<SessionStoreOptions>
{
    /// <summary>The subsection of the <c>Sessions</c> section that holds the store's options.</summary>
    public const string SubsectionName = "Store";

    /// <summary>The <see cref="TimeSpan"/> settings of <see cref="SessionStoreOptions"/>, which may not be bare numbers.</summary>
    internal static readonly string[] Durations =
    [
        nameof(SessionStoreOptions.RefreshTokenLifetime), nameof(SessionStoreOptions.AbsoluteLifetime),
        nameof(SessionStoreOptions.RefreshReuseGracePeriod), nameof(SessionStoreOptions.PurgeInterval),
    ];

    public void Configure(SessionStoreOptions options)
    {
        var section = source.Section.GetSection(SubsectionName);
        SettingsBinding.Bind<SessionStoreOptions>(() => section.Bind(options), section, Durations);
    }
}
