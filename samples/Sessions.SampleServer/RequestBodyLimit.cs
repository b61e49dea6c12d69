using Microsoft.AspNetCore.Http.Metadata;

namespace Sessions.SampleServer;

/// <summary>
/// Endpoint metadata that caps the request body (applied by endpoint routing to the request's
/// <c>IHttpMaxRequestBodySizeFeature</c>): a larger body is refused with 413 as it arrives, before it is read into memory.
/// </summary>
/// <param name="maxRequestBodySize">The largest body, in bytes.</param>
internal sealed class RequestBodyLimit(long maxRequestBodySize) : IRequestSizeLimitMetadata
{
    public long? MaxRequestBodySize { get; } = maxRequestBodySize;
}
