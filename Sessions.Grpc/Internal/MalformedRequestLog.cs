using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Sessions.Grpc.Internal;

/// <summary>
/// The logger <see cref="SessionsServiceBinder"/> gives the request deserializers it makes, for the one call that
/// binds them: <c>MapSessions()</c>'s <c>MapGrpcService</c>, which runs grpc-dotnet's binding on the calling thread.
/// grpc-dotnet calls the bind method statically, without the host's services, so <c>MapSessions()</c> lends it the
/// host's logger for that call. Bound any other way (a host calling <c>MapGrpcService</c> itself), the deserializers
/// still answer <see cref="StatusCode.InvalidArgument"/>, and grpc-dotnet logs the status.
/// </summary>
internal static class MalformedRequestLog
{
    [ThreadStatic]
    private static ILogger? t_current;

    /// <summary>The logger lent to the binding running on this thread, if any.</summary>
    public static ILogger? Current => t_current;

    /// <summary>Lends <paramref name="logger"/> to the binding that runs on this thread until the result is disposed.</summary>
    public static Scope Lend(ILogger logger)
    {
        var previous = t_current;
        t_current = logger;
        return new Scope(previous);
    }

    /// <summary>Gives the previous logger back.</summary>
    public readonly struct Scope(ILogger? previous) : IDisposable
    {
        public void Dispose() => t_current = previous;
    }
}
