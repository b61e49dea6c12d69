namespace Sessions.Grpc;

/// <summary>
/// The validated session of the current request, set by <see cref="SessionAuthenticationHandler"/> and
/// <see cref="SessionAuthenticationInterceptor"/>. Read it with <c>httpContext.GetSession()</c> or
/// <c>serverCallContext.GetSession()</c>.
/// </summary>
public interface ISessionFeature
{
    /// <summary>The validated session.</summary>
    Session Session { get; }
}
