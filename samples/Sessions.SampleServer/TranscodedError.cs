using System.Text.Encodings.Web;
using System.Text.Json;
using Sessions.Internal;

namespace Sessions.SampleServer;

/// <summary>
/// Writes an error in the shape JSON transcoding answers its own errors in, a <c>google.rpc.Status</c> as JSON
/// (<c>{"code":3,"message":"...","details":[]}</c>), for what the sample answers in front of or instead of JSON
/// transcoding: the body check and the route fallback of the JIT build, the 501 of the Native AOT build
/// (<see cref="SampleJsonTranscoding"/>).
/// </summary>
internal static class TranscodedError
{
    /// <summary>The category of the refusal line: the sample's own, as its start-up lines.</summary>
    private const string LogCategory = "Sessions.SampleServer";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Answers the request with the error, unless the response has started.</summary>
    /// <param name="context">The request.</param>
    /// <param name="status">The HTTP status.</param>
    /// <param name="code">The gRPC status code (<c>code</c>).</param>
    /// <param name="message">What to fix (<c>message</c>).</param>
    /// <returns>The write.</returns>
    public static async Task WriteAsync(HttpContext context, int status, int code, string message)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        // One line, as every call gets one: a request refused here never reaches the service, which logs the others.
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory);
        if (logger.IsEnabled(LogLevel.Information))
        {
            var route = context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } pattern } ? pattern : "(no route)";
            var method = context.Request.Method;
            SampleLog.JsonRequestRefused(logger, EchoedName.IsEchoed(method) ? method : EchoedName.Describe("method", method), route, status, code, message);
        }

        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        using (var writer = new Utf8JsonWriter(response.BodyWriter, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("code"u8, code);
            writer.WriteString("message"u8, message);
            writer.WriteStartArray("details"u8);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        try
        {
            await response.BodyWriter.FlushAsync(context.RequestAborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // the client went away
        }
    }
}
