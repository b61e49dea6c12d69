using System.IO.Compression;
using Grpc.Net.Compression;

namespace Sessions.Grpc.Internal.Requests;

/// <summary>
/// A compression provider whose decompression answers data that is not in its format with a status of its own
/// (<see cref="CheckedDecompressionStream"/>). Compression, and the format, are the inner provider's.
/// </summary>
internal sealed class CheckedCompressionProvider(ICompressionProvider inner, UnreadableRequests unreadable) : ICompressionProvider
{
    public string EncodingName => inner.EncodingName;

    public Stream CreateCompressionStream(Stream stream, CompressionLevel? compressionLevel) =>
        inner.CreateCompressionStream(stream, compressionLevel);

    public Stream CreateDecompressionStream(Stream stream) =>
        new CheckedDecompressionStream(inner.CreateDecompressionStream(stream), inner.EncodingName, unreadable);
}
