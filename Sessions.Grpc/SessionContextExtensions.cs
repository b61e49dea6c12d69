using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Sessions.Grpc.Internal;
using Sessions.Grpc.Internal.Authentication;

namespace Sessions.Grpc;

/// <summary>
/// Reads the validated session of the current request in service code: <c>context.GetSession()</c>.
/// </summary>
public static class SessionContextExtensions
{
    /// <summary>
    /// The session <see cref="SessionAuthenticationHandler"/> or <see cref="SessionAuthenticationInterceptor"/>
    /// validated for this request; <see langword="null"/> when the request carried none (an anonymous method).
    /// </summary>
    /// <param name="context">The HTTP context.</param>
    /// <returns>The session, or <see langword="null"/>.</returns>
    public static Session? GetSession(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<ISessionFeature>()?.Session;
    }

    /// <summary>
    /// The session validated for this call; <see langword="null"/> when the call carried none. Works on ASP.NET Core
    /// gRPC (handler or interceptor) and on other gRPC servers (interceptor).
    /// </summary>
    /// <param name="context">The server call context.</param>
    /// <returns>The session, or <see langword="null"/>.</returns>
    public static Session? GetSession(this ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.UserState.TryGetValue(typeof(ISessionFeature), out var state) && state is ISessionFeature feature)
        {
            return feature.Session;
        }

        return TryGetHttpContext(context)?.GetSession();
    }

    /// <summary>The session, or an <see cref="RpcException"/> with <see cref="StatusCode.Unauthenticated"/>.</summary>
    /// <param name="context">The server call context.</param>
    /// <returns>The session.</returns>
    /// <exception cref="RpcException">The call carried no validated session.</exception>
    public static Session GetRequiredSession(this ServerCallContext context) =>
        context.GetSession() ?? throw SessionAuthenticationStatus.Missing();

    internal static void SetSession(this ServerCallContext context, Session session)
    {
        var feature = new SessionFeature(session);
        context.UserState[typeof(ISessionFeature)] = feature;
        TryGetHttpContext(context)?.Features.Set<ISessionFeature>(feature);
    }

    /// <summary>The HTTP context of a call on ASP.NET Core; <see langword="null"/> on other gRPC servers.</summary>
    internal static HttpContext? TryGetHttpContext(ServerCallContext context)
    {
        try
        {
            return context.GetHttpContext();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
