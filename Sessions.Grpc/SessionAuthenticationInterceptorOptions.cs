namespace Sessions.Grpc;

/// <summary>Options of <see cref="SessionAuthenticationInterceptor"/>.</summary>
public sealed class SessionAuthenticationInterceptorOptions
{
    /// <summary>
    /// Methods that need no session, by full method name (<c>/grpc.health.v1.Health/Check</c>) or by service name for
    /// all of its methods (<c>grpc.health.v1.Health</c>). Compared ordinally. Empty by default: every method needs a
    /// session. On ASP.NET Core, endpoints marked <c>[AllowAnonymous]</c> need none either.
    /// </summary>
    public ISet<string> AllowAnonymous { get; } = new HashSet<string>(StringComparer.Ordinal);
}
