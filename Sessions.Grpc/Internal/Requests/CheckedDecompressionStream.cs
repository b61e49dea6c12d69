using Grpc.Core;

namespace Sessions.Grpc.Internal.Requests;

/// <summary>
/// Reads a compressed request message and answers data that is not what its <c>grpc-encoding</c> says (gzip that is
/// not gzip) with <see cref="StatusCode.InvalidArgument"/> and a message saying so. grpc-dotnet decompresses before
/// any service runs and reports the decompressor's <see cref="InvalidDataException"/> as
/// <see cref="StatusCode.Unknown"/> ("Exception was thrown by handler.") with an error and its stack trace in the log:
/// for every such request anyone sends, with no credentials needed. An <see cref="RpcException"/> it reports with its
/// own status. (The size of the decompressed message grpc-dotnet bounds itself, by <c>MaxReceiveMessageSize</c>.)
/// </summary>
internal sealed class CheckedDecompressionStream(Stream decompressing, string encodingName, UnreadableRequests unreadable) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return decompressing.Read(buffer);
        }
        catch (InvalidDataException notCompressed)
        {
            throw Undecodable(notCompressed);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await decompressing.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException notCompressed)
        {
            throw Undecodable(notCompressed);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            decompressing.Dispose();
        }

        base.Dispose(disposing);
    }

    private RpcException Undecodable(InvalidDataException notCompressed)
    {
        // The runtime's messages say what is wrong with the data ("The archive entry was compressed using an
        // unsupported compression method.") and never quote it.
        var message = $"the request message could not be decompressed as {encodingName}: {notCompressed.Message} Send it compressed as its grpc-encoding header says, or uncompressed.";
        unreadable.Refused(null, null, UnreadableRequests.MalformedCompression, message);
        return new RpcException(new Status(StatusCode.InvalidArgument, message));
    }
}
