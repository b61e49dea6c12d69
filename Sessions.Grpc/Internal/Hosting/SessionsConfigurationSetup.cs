using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Sessions.Internal;
using Sessions.Jwt;

namespace Sessions.Grpc.Internal.Hosting;

/// <summary>
/// Binds <see cref="JwtSessionOptions"/> and <see cref="SessionsServiceOptions"/> from the <see cref="SessionsConfigurationSource"/> (by default the host's
/// <c>Sessions</c> section), as <c>AddJwtBearer()</c> binds <c>Authentication:Schemes:Bearer</c>: environment variables
/// such as <c>Sessions__Secret</c> and appsettings.json work without any code. It is registered before the options a
/// host sets in code, so code wins over configuration.
/// </summary>
internal sealed class SessionsConfigurationSetup(SessionsConfigurationSource source)
    : IConfigureOptions<JwtSessionOptions>, IConfigureOptions<SessionsServiceOptions>
{
    public void Configure(JwtSessionOptions options) => SettingsBinding.Bind<JwtSessionOptions>(() => source.Section.Bind(options));

    public void Configure(SessionsServiceOptions options) => SettingsBinding.Bind<SessionsServiceOptions>(() => source.Section.Bind(options));
}
