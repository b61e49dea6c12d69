using Microsoft.Extensions.Configuration;

namespace Sessions.Grpc.Internal.Hosting;

/// <summary>
/// The configuration the <see cref="Sessions.Jwt.JwtSessionOptions"/> are bound from: the host's <c>Sessions</c>
/// section, or the section given to <c>AddSessions(configuration)</c>. There is one, so a section is never bound twice
/// (which would add every <c>Keys</c> entry twice).
/// </summary>
internal sealed class SessionsConfigurationSource(IConfiguration section)
{
    public IConfiguration Section { get; } = section;
}
