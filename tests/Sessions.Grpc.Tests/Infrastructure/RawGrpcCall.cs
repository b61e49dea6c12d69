using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Sessions.Grpc.Tests.Infrastructure;

/// <summary>
/// A gRPC call written by hand over HTTP/2: the body exactly as given (frame header included) and any request
/// headers, for what no generated client sends. Returns the status and message from the trailers (or the headers of
/// a trailers-only answer).
/// </summary>
public static class RawGrpcCall
{
    public static async Task<(StatusCode Status, string? Message)> SendAsync(string target, string path, byte[] body, params (string Name, string Value)[] headers)
    {
        using var content = new ByteArrayContent(body);
        return await SendAsync(target, path, content, headers);
    }

    /// <summary>As the other overload, with the body as <paramref name="content"/> sends it (in parts, late...).</summary>
    public static async Task<(StatusCode Status, string? Message)> SendAsync(string target, string path, HttpContent content, params (string Name, string Value)[] headers)
    {
        using var http = new HttpClient();
        content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        var address = target.StartsWith("http", StringComparison.Ordinal) ? target : "http://" + target;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(address), path))
        {
            Content = content,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.TE.ParseAdd("trailers");
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();

        var status = Header(response, "grpc-status") ?? throw new InvalidOperationException($"no grpc-status: {response.StatusCode} {response.Version} {response.Headers} {response.TrailingHeaders}");
        var message = Header(response, "grpc-message");
        return ((StatusCode)int.Parse(status, CultureInfo.InvariantCulture), message is null ? null : Uri.UnescapeDataString(message));
    }

    /// <summary><paramref name="message"/> in a gRPC frame: not compressed, or compressed (flag 1) with gzip.</summary>
    public static byte[] Frame(byte[] message, bool gzip = false)
    {
        var payload = gzip ? Gzip(message) : message;
        var frame = new byte[5 + payload.Length];
        frame[0] = gzip ? (byte)1 : (byte)0;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.SmallestSize))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.TrailingHeaders.TryGetValues(name, out var trailing) ? trailing.Single()
        : response.Headers.TryGetValues(name, out var leading) ? leading.Single()
        : null;
}
