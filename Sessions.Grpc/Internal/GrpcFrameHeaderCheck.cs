using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Sessions.Grpc.Internal;

/// <summary>
/// Checks the frame header of each request to the sessions service before grpc-dotnet reads it: grpc-dotnet cannot
/// report two broken headers — a compressed flag other than 0 or 1, a length past 2^31 - 1 — and answers them with
/// <c>UNKNOWN</c> ("Exception was thrown by handler.") and an error with its stack trace in the log, for every such
/// request, with no credentials needed. Wraps the handler of each endpoint <c>MapSessions()</c> maps (all unary).
/// </summary>
/// <remarks>
/// When the header came with the request, as it does for every ordinary call, it is read from the server's own
/// buffer and left there for grpc-dotnet, at no further cost. Otherwise (still on its way, or a body translated by
/// gRPC-Web, whose text decoder does not give unconsumed bytes again), grpc-dotnet reads through a
/// <see cref="GrpcFrameHeaderReader"/> that checks the header as it passes.
/// </remarks>
internal sealed class GrpcFrameHeaderCheck(RequestDelegate next, string? operation, UnreadableRequests unreadable)
{
    private const string ServerReaderTypeName = "Microsoft.AspNetCore.Server.Kestrel.Core.Internal.Http.HttpRequestPipeReader";

    private static Type? s_serverReader;

    /// <summary>Puts the check in front of <paramref name="endpoint"/>'s handler.</summary>
    public static void Wrap(EndpointBuilder endpoint, UnreadableRequests unreadable)
    {
        if (endpoint.RequestDelegate is { } handler)
        {
            var operation = endpoint.Metadata.OfType<GrpcMethodMetadata>().FirstOrDefault()?.Method.Name;
            endpoint.RequestDelegate = new GrpcFrameHeaderCheck(handler, operation, unreadable).InvokeAsync;
        }
    }

    public Task InvokeAsync(HttpContext context)
    {
        // gRPC-Web arrives here already translated to application/grpc; JSON transcoding has endpoints of its own.
        if (!IsGrpc(context.Request.ContentType))
        {
            return next(context);
        }

        var reader = context.Request.BodyReader;
        if (IsServerReader(reader) && TryReadHeader(reader, out var header, out var completed))
        {
            if (header is not { } arrived)
            {
                return completed ? next(context) : ReadThroughCheck(context);
            }

            if (GrpcFrameHeaderReader.Refusal(arrived) is not { } refused)
            {
                return next(context);
            }

            unreadable.Refused(operation, UnreadableRequests.MalformedFrame, refused.Detail);

            // A trailers-only reply, as grpc-dotnet gives a call refused before its reply began.
            var response = context.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/grpc";
            response.Headers["grpc-status"] = ((int)refused.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            response.Headers["grpc-message"] = Uri.EscapeDataString(refused.Detail);
            return Task.CompletedTask;
        }

        return ReadThroughCheck(context);
    }

    /// <summary>
    /// Whether <paramref name="reader"/> is Kestrel's own request body, which gives unconsumed bytes again on the next
    /// read. Known by its type rather than through the feature collection, whose generic lookup costs some hundreds
    /// of instructions per call in Native AOT; another reader (gRPC-Web's, or Kestrel's renamed) takes the reader path.
    /// </summary>
    private static bool IsServerReader(System.IO.Pipelines.PipeReader reader)
    {
        var type = reader.GetType();
        if (ReferenceEquals(type, s_serverReader))
        {
            return true;
        }

        if (s_serverReader is null && type.FullName == ServerReaderTypeName)
        {
            s_serverReader = type;
            return true;
        }

        return false;
    }

    private Task ReadThroughCheck(HttpContext context)
    {
        context.Features.Set<IRequestBodyPipeFeature>(new GrpcFrameHeaderReader(context.Request.BodyReader, operation, unreadable));
        return next(context);
    }

    /// <summary>
    /// The frame header if the server has it already (<paramref name="header"/> <see langword="null"/> when fewer
    /// bytes have come; <paramref name="completed"/> when no more will), consuming and examining nothing.
    /// </summary>
    private static bool TryReadHeader(System.IO.Pipelines.PipeReader reader, out FrameHeader? header, out bool completed)
    {
        header = null;
        completed = false;
        System.IO.Pipelines.ReadResult result;
        try
        {
            if (!reader.TryRead(out result))
            {
                return false;
            }
        }
        catch (Exception unread) when (unread is IOException or OperationCanceledException or BadHttpRequestException)
        {
            // The request broke off, or Kestrel refused its body: grpc-dotnet meets the same and answers it.
            return false;
        }

        header = FrameHeader.TryRead(result.Buffer);
        completed = result.IsCompleted;
        reader.AdvanceTo(result.Buffer.Start);
        return true;
    }

    private static bool IsGrpc(string? contentType) =>
        contentType is not null &&
        contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) &&
        (contentType.Length == "application/grpc".Length || contentType["application/grpc".Length] is '+' or ';');
}
