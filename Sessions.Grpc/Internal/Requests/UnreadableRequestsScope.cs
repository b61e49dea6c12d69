using Grpc.Core;

namespace Sessions.Grpc.Internal.Requests;

/// <summary>
/// The <see cref="UnreadableRequests"/> that <see cref="SessionsServiceBinder"/> gives the request deserializers it
/// makes, for the one call that binds them: <c>MapSessions()</c>'s <c>MapGrpcService</c>, which runs grpc-dotnet's
/// binding on the calling thread. grpc-dotnet calls the bind method statically, without the host's services, so
/// <c>MapSessions()</c> lends it the host's for that call. Bound any other way (a host calling
/// <c>MapGrpcService</c> itself), the deserializers still answer <see cref="StatusCode.InvalidArgument"/>, and
/// grpc-dotnet logs the status.
/// </summary>
internal static class UnreadableRequestsScope
{
    [ThreadStatic]
    private static UnreadableRequests? t_current;

    /// <summary>What was lent to the binding running on this thread, if anything.</summary>
    public static UnreadableRequests? Current => t_current;

    /// <summary>Lends <paramref name="requests"/> to the binding that runs on this thread until the result is disposed.</summary>
    public static Scope Lend(UnreadableRequests requests)
    {
        var previous = t_current;
        t_current = requests;
        return new Scope(previous);
    }

    /// <summary>Gives the previous one back.</summary>
    public readonly struct Scope(UnreadableRequests? previous) : IDisposable
    {
        public void Dispose() => t_current = previous;
    }
}
