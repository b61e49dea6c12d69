using Grpc.AspNetCore.Server;
using Microsoft.Extensions.Options;
using Sessions.Grpc.Internal.Privileged;

namespace Sessions.Grpc.Internal.Hosting;

/// <summary>
/// Sets the gRPC options of one sessions service type: the receive limit of
/// <see cref="SessionsService.MaxReceiveMessageSize"/> unless the host set a smaller one. (Its privileged calls are
/// checked by the service edge itself, <see cref="PrivilegedCallGate"/>.)
/// </summary>
/// <typeparam name="TService">The mapped service type.</typeparam>
internal sealed class SessionsGrpcServiceOptionsSetup<TService> : IConfigureOptions<GrpcServiceOptions<TService>>
    where TService : SessionsService
{
    public void Configure(GrpcServiceOptions<TService> options)
    {
        if (options.MaxReceiveMessageSize is not { } size || size > SessionsService.MaxReceiveMessageSize)
        {
            options.MaxReceiveMessageSize = SessionsService.MaxReceiveMessageSize;
        }
    }
}
