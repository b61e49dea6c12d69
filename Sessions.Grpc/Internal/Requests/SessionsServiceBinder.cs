using Google.Protobuf.Reflection;
using Grpc.Core;

namespace Sessions.Grpc.Internal.Requests;

/// <summary>
/// Binds the methods of <see cref="SessionsService"/> for grpc-dotnet in place of the generated
/// <c>Sessions.BindService</c>, which <see cref="SessionsService"/> names instead with its
/// <see cref="BindServiceMethodAttribute"/>: the same methods, each reading its request through
/// <see cref="RequestDecodingBinder"/>.
/// </summary>
internal static class SessionsServiceBinder
{
    /// <summary>
    /// The descriptor of <c>sessions.Sessions</c>. JSON transcoding looks for it on the type that declares the bind
    /// method.
    /// </summary>
    public static ServiceDescriptor Descriptor => Protocol.Sessions.Descriptor;

    /// <summary>Called by grpc-dotnet (and JSON transcoding) with their binder, and no service instance.</summary>
    /// <param name="serviceBinder">The binder that makes the endpoints.</param>
    /// <param name="serviceImpl">
    /// The service instance: <see langword="null"/> when grpc-dotnet binds. Typed as the generated base class, as the
    /// generated method's is: grpc-dotnet finds each call method as an override of a method of this type.
    /// </param>
    public static void BindService(ServiceBinderBase serviceBinder, Protocol.Sessions.SessionsBase? serviceImpl) =>
        Protocol.Sessions.BindService(new RequestDecodingBinder(serviceBinder, UnreadableRequestsScope.Current), serviceImpl);
}
