using System.Buffers;
using System.Buffers.Binary;

namespace Sessions.Grpc.Internal.Requests;

/// <summary>The five bytes before each gRPC message: its compressed flag and its length.</summary>
internal readonly record struct FrameHeader(byte CompressedFlag, uint Length)
{
    /// <summary>The size of a frame header.</summary>
    public const int Size = 5;

    /// <summary>The header at the start of <paramref name="buffer"/>, or <see langword="null"/> if it is shorter.</summary>
    public static FrameHeader? TryRead(in ReadOnlySequence<byte> buffer)
    {
        var first = buffer.FirstSpan;
        if (first.Length >= Size)
        {
            // The usual case: the whole header in the first segment, read in place.
            return new FrameHeader(first[0], BinaryPrimitives.ReadUInt32BigEndian(first[1..]));
        }

        if (buffer.Length < Size)
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[Size];
        buffer.Slice(0, Size).CopyTo(bytes);
        return new FrameHeader(bytes[0], BinaryPrimitives.ReadUInt32BigEndian(bytes[1..]));
    }
}
