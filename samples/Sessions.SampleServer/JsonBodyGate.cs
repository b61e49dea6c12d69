#if JSON_TRANSCODING
using System.IO.Pipelines;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Http.Features;

namespace Sessions.SampleServer;

/// <summary>
/// Stands in front of a transcoded method that takes a JSON body (<c>POST /v1/sessions</c>, ...): refuses what JSON
/// transcoding would answer badly, with the status a client can act on and the transcoded error's shape
/// (<c>{"code":3,"message":"...","details":[]}</c>), then hands the body, unchanged and not copied, to JSON
/// transcoding. It wraps those endpoints' own request delegates, so gRPC calls and the other routes do not pass through it.
/// </summary>
/// <remarks>
/// What it answers: a body that is not JSON by its Content-Type, or JSON in another charset than UTF-8, 415 (JSON
/// transcoding: 400 naming the content type, or 500 "Exception was thrown by handler." with a stack trace in the log
/// for an unknown charset); a body over the limit, 413 with RESOURCE_EXHAUSTED (JSON transcoding: 400); a body that
/// <see cref="JsonBodyCheck"/> refuses, 400 with INVALID_ARGUMENT and its message.
/// </remarks>
internal static class JsonBodyGate
{
    private const int InvalidArgument = 3;
    private const int ResourceExhausted = 8;

    private const string PlainJson = "application/json; charset=utf-8";

    // Kestrel's message for a body whose connection ended before the bytes its Content-Length announced (its reason,
    // RequestRejectionReason.UnexpectedEndOfRequestContent, is not public).
    private const string UnexpectedEndOfBody = "Unexpected end of request content.";

    private const string BodyNotRead =
        "The request body could not be read (it ended early, its chunked encoding is malformed, or it came too slowly): send the whole body, with a correct Content-Length or chunked encoding.";

    /// <summary>The request delegate of a transcoded method with its body checked first.</summary>
    /// <param name="next">The endpoint's request delegate (JSON transcoding's).</param>
    /// <param name="method">The method.</param>
    /// <returns>The delegate to put in its place.</returns>
    public static RequestDelegate Wrap(RequestDelegate next, MethodDescriptor method)
    {
        // Built on the first request rather than at start, as SampleReflection builds its descriptors.
        var schema = new Lazy<JsonMessageSchema>(() => JsonMessageSchema.For(method.InputType));
        var rpc = method.Name;
        return context => CheckAsync(context, next, schema, rpc);
    }

    private static async Task CheckAsync(HttpContext context, RequestDelegate next, Lazy<JsonMessageSchema> schema, string rpc)
    {
        var request = context.Request;
        if (ContentTypeProblem(request.ContentType) is { } problem)
        {
            context.Response.Headers.Connection = "close";   // the body is not read: the connection cannot carry another request
            await TranscodedError.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, InvalidArgument, problem);
            return;
        }

        if (!IsPlainJson(request.ContentType))
        {
            // UTF-8 JSON in another spelling (charset="UTF-8", charset=utf8, application/merge-patch+json): JSON
            // transcoding throws on some of them (500, "Exception was thrown by handler.") and the body is checked as
            // UTF-8 JSON anyway, so it is told the plain type.
            request.ContentType = PlainJson;
        }

        var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? Sessions.Grpc.SessionsService.MaxReceiveMessageSize;
        if (request.ContentLength > limit)
        {
            await RefuseTooLargeAsync(context, limit);
            return;
        }

        // The whole body, examined but not consumed: JSON transcoding then reads the same buffered bytes.
        var body = request.BodyReader;
        ReadResult read;
        try
        {
            while (true)
            {
                read = await body.ReadAsync(context.RequestAborted);
                if (read.IsCompleted || read.IsCanceled || read.Buffer.Length > limit)
                {
                    break;
                }

                body.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await RefuseTooLargeAsync(context, limit);
            return;
        }
        catch (BadHttpRequestException ex) when (ex.Message == UnexpectedEndOfBody)
        {
            // The client closed its side of the connection before the body it announced ended. The failed read left
            // the connection's input in the middle of a read, which Kestrel read again for a next request once this one
            // returned ("Reading is already in progress.": a warning with a stack trace for each such request), so the
            // answer (for a client that still reads) ends the connection.
            context.Response.Headers.Connection = "close";
            await TranscodedError.WriteAsync(context, ex.StatusCode, InvalidArgument, BodyNotRead);
            await context.Response.CompleteAsync();
            context.Abort();
            return;
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel's own refusals of the framing (a malformed chunk, a body sent too slowly): its status, in words.
            await TranscodedError.WriteAsync(context, ex.StatusCode, InvalidArgument, BodyNotRead);
            return;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            return;   // the client went away; nobody to answer
        }

        if (read.Buffer.Length > limit)
        {
            body.AdvanceTo(read.Buffer.Start);
            await RefuseTooLargeAsync(context, limit);
            return;
        }

        var error = JsonBodyCheck.Check(read.Buffer, schema.Value, rpc);
        body.AdvanceTo(read.Buffer.Start);
        if (error is not null)
        {
            await TranscodedError.WriteAsync(context, StatusCodes.Status400BadRequest, InvalidArgument, error);
            return;
        }

        await next(context);
    }

    // What JSON transcoding reads as JSON (application/json, or a +json type such as application/ld+json), in UTF-8:
    // RFC 8259 has JSON exchanged between systems in UTF-8, and a body this checked in one encoding is not read by
    // JSON transcoding in another.
    private static string? ContentTypeProblem(string? contentType)
    {
        if (IsPlainJson(contentType))
        {
            return null;
        }

        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var type)
            || !(type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)))
        {
            return "The body must be JSON: send the header Content-Type: application/json.";
        }

        // A quoted charset (charset="UTF-8") is the same charset (RFC 9110, section 5.6.6).
        var charset = Microsoft.Net.Http.Headers.HeaderUtilities.RemoveQuotes(type.Charset);
        return charset.HasValue && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase)
            ? "The body must be JSON in UTF-8: send Content-Type: application/json without a charset, or with charset=utf-8, and encode the body as UTF-8."
            : null;
    }

    private static bool IsPlainJson(string? contentType) =>
        string.Equals(contentType, "application/json", StringComparison.OrdinalIgnoreCase)
        || string.Equals(contentType, PlainJson, StringComparison.OrdinalIgnoreCase);

    private static Task RefuseTooLargeAsync(HttpContext context, long limit)
    {
        // The rest of the body is never read, so the connection ends with this answer; saying so keeps the client from
        // sending its next request on it.
        context.Response.Headers.Connection = "close";
        return TranscodedError.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, ResourceExhausted,
            $"The body is larger than the limit of {limit} bytes: send a smaller body.");
    }
}
#endif
