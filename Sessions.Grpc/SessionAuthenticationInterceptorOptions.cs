using Sessions.Grpc.Internal.Authentication;

namespace Sessions.Grpc;

/// <summary>Options of <see cref="SessionAuthenticationInterceptor"/>.</summary>
public sealed class SessionAuthenticationInterceptorOptions
{
    /// <summary>
    /// Methods that need no session, by full method name (<c>/probe.Probe/Ping</c>) or by service name for all of its
    /// methods (<c>probe.Probe</c>). Compared ordinally. By default it holds the standard health service
    /// (<c>grpc.health.v1.Health</c>, which Kubernetes gRPC probes and load balancers call without credentials) and
    /// server reflection (<c>grpc.reflection.v1.ServerReflection</c>, <c>grpc.reflection.v1alpha.ServerReflection</c>)
    /// and the sessions service itself (<c>sessions.Sessions</c>, in a host that issues sessions as well: its callers
    /// have no session yet, or an expired one to refresh, and it checks its privileged calls itself);
    /// every other method needs a session. Remove them to protect those too. On ASP.NET Core, endpoints marked
    /// <c>[AllowAnonymous]</c> need none either. A call to a method that needs no session goes on also when its token is
    /// refused (expired, say), without a session, as it does without a token; a valid token still gives it its
    /// session. A name of neither shape (<c>/probe.Probe</c>, a trailing space) stops the host at start, naming it.
    /// </summary>
    public ISet<string> AllowAnonymous { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection",
        "grpc.reflection.v1alpha.ServerReflection",
        "sessions.Sessions",
    };

    /// <summary>
    /// What the session must meet for a method (<c>/package.Service/Method</c>) or a whole service
    /// (<c>package.Service</c>), checked in order after the token is validated; the first unmet one ends the call with
    /// <c>PermissionDenied</c> naming it. A method with requirements always needs a session, even if also listed in
    /// <see cref="AllowAnonymous"/>. Empty by default. A name of neither shape (<c>probe.Probe/Method</c> without its
    /// leading slash, a trailing space) would never match a call and leave the method open to any session: it stops the
    /// host at start, naming it.
    /// </summary>
    public IDictionary<string, IList<SessionRequirement>> Requirements { get; } = new Dictionary<string, IList<SessionRequirement>>(StringComparer.Ordinal);

    /// <summary>Adds requirements for a method or a service (see <see cref="Requirements"/>).</summary>
    /// <param name="methodOrService">A full method name (<c>/package.Service/Method</c>) or a service name (<c>package.Service</c>).</param>
    /// <param name="requirements">What the session must meet.</param>
    /// <returns>These options, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="methodOrService"/> is neither shape, so that no call could match it.</exception>
    public SessionAuthenticationInterceptorOptions Require(string methodOrService, params SessionRequirement[] requirements)
    {
        ArgumentException.ThrowIfNullOrEmpty(methodOrService);
        ArgumentNullException.ThrowIfNull(requirements);
        if (GrpcMethodName.Problem(nameof(Requirements), methodOrService) is { } problem)
        {
            throw new ArgumentException(problem, nameof(methodOrService));
        }

        if (!Requirements.TryGetValue(methodOrService, out var list))
        {
            Requirements[methodOrService] = list = new List<SessionRequirement>();
        }

        foreach (var requirement in requirements)
        {
            list.Add(requirement ?? throw new ArgumentException("A requirement must not be null.", nameof(requirements)));
        }

        return this;
    }
}
