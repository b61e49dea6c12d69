using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Sessions.Jwt;

namespace Sessions.Grpc.Internal;

/// <summary>
/// Binds <see cref="JwtSessionOptions"/> from the host's <c>Sessions</c> configuration section, as <c>AddJwtBearer()</c>
/// binds <c>Authentication:Schemes:Bearer</c>: environment variables such as <c>Sessions__Secret</c> and appsettings.json
/// work without any code. It is registered before the options a host sets in code, so code wins over configuration.
/// Without an <see cref="IConfiguration"/> (a bare service collection) it binds nothing.
/// </summary>
internal sealed class SessionsConfigurationSetup(IConfiguration? configuration) : IConfigureOptions<JwtSessionOptions>
{
    public IConfiguration Section { get; } = (IConfiguration?)configuration?.GetSection(JwtSessionOptions.SectionName)
        ?? new ConfigurationBuilder().Build();

    public void Configure(JwtSessionOptions options) => Section.Bind(options);
}
