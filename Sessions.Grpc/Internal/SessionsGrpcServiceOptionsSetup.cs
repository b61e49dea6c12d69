using Grpc.AspNetCore.Server;
using Microsoft.Extensions.Options;

namespace Sessions.Grpc.Internal;

/// <summary>
/// Sets the gRPC options of one sessions service type: the protection of its privileged calls
/// (<see cref="PrivilegedCallInterceptor"/>), and the receive limit of <see cref="SessionsService.MaxReceiveMessageSize"/>
/// unless the host set a smaller one.
/// </summary>
/// <typeparam name="TService">The mapped service type.</typeparam>
internal sealed class SessionsGrpcServiceOptionsSetup<TService> : IConfigureOptions<GrpcServiceOptions<TService>>
    where TService : SessionsService
{
    public void Configure(GrpcServiceOptions<TService> options)
    {
        options.Interceptors.Add<PrivilegedCallInterceptor>();
        if (options.MaxReceiveMessageSize is not { } size || size > SessionsService.MaxReceiveMessageSize)
        {
            options.MaxReceiveMessageSize = SessionsService.MaxReceiveMessageSize;
        }
    }
}
