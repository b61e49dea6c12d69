using Grpc.AspNetCore.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Sessions.Grpc.Internal.Requests;

/// <summary>
/// Puts the gRPC-Web translation in front of the host's pipeline for the sessions service's paths only
/// (<c>/sessions.Sessions/...</c>), so that <c>AddGrpcWeb()</c> is all a host writes. It runs before routing, where no
/// endpoint says whether it allows gRPC-Web, so it gets options of its own that enable it, instead of the host's
/// <c>GrpcWebOptions</c> (which may keep it off for the host's other services). A request it translated is plain gRPC
/// for whatever comes after, a host's own <c>UseGrpcWeb()</c> included; its frame headers are checked as a gRPC
/// request's is (<see cref="GrpcFrameHeaderCheck"/>), also when it came in base64 (<c>application/grpc-web-text</c>).
/// </summary>
internal sealed class SessionsGrpcWebStartupFilter : IStartupFilter
{
    private static readonly PathString s_servicePath = "/" + Protocol.Sessions.Descriptor.FullName;

    private const string GrpcWebText = "application/grpc-web-text";

    private static readonly GrpcWebOptions s_options = new() { DefaultEnabled = true };

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        var checkFrames = GrpcFrameHeaderCheck.AfterGrpcWebTranslation(app.ApplicationServices.GetRequiredService<UnreadableRequests>());
        app.UseWhen(static context => context.Request.Path.StartsWithSegments(s_servicePath), branch => branch.Use(TrackTextBody).UseGrpcWeb(s_options).Use(checkFrames));
        next(app);
    };

    private static Task TrackTextBody(HttpContext context, RequestDelegate next)
    {
        if (GrpcFrameHeaderCheck.IsContentType(context.Request.ContentType, GrpcWebText))
        {
            GrpcWebTextBody.Track(context);
        }

        return next(context);
    }
}
