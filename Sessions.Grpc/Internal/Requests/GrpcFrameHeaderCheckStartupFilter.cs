using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Sessions.Grpc.Internal.Requests;

/// <summary>Puts <see cref="GrpcFrameHeaderCheck"/> first in the host's pipeline.</summary>
internal sealed class GrpcFrameHeaderCheckStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        var unreadable = app.ApplicationServices.GetRequiredService<UnreadableRequests>();
        app.Use(request => new GrpcFrameHeaderCheck(request, unreadable).InvokeAsync);
        next(app);
    };
}
