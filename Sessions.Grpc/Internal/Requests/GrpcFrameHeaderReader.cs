using System.Buffers;
using System.IO.Pipelines;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Sessions.Grpc.Internal.Requests;

/// <summary>
/// The request body as grpc-dotnet reads it, with every frame header checked as it is read: a compressed flag other
/// than 0 or 1 is <see cref="StatusCode.InvalidArgument"/>, a length past 2^31 - 1
/// <see cref="StatusCode.ResourceExhausted"/>, each with a message saying what is wrong, one line in the log and a
/// count (<see cref="UnreadableRequests"/>). grpc-dotnet reports an <see cref="RpcException"/> from its read with that
/// status. Reads are passed on as they are, so nothing is read ahead and nothing waits that would not have waited; the
/// next header is found from the lengths of the frames before it and what the reader's caller consumed.
/// </summary>
internal sealed class GrpcFrameHeaderReader(PipeReader inner, HttpContext context, UnreadableRequests unreadable) : PipeReader, IRequestBodyPipeFeature
{
    // Where the next frame header starts, counted from the first byte not yet consumed.
    private long _nextHeader;

    // What the last read returned, to count the bytes an AdvanceTo consumes.
    private ReadOnlySequence<byte> _lastRead;

    // The body ended, or a header was refused: nothing more to check.
    private bool _done;

    public PipeReader Reader => this;

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        var read = inner.ReadAsync(cancellationToken);
        if (_done)
        {
            return read;
        }

        return read.IsCompletedSuccessfully ? new ValueTask<ReadResult>(Checked(read.Result)) : CheckedAsync(read.AsTask());
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out result))
        {
            return false;
        }

        result = _done ? result : Checked(result);
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed)
    {
        Consumed(consumed);
        inner.AdvanceTo(consumed);
    }

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        Consumed(consumed);
        inner.AdvanceTo(consumed, examined);
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    private async ValueTask<ReadResult> CheckedAsync(Task<ReadResult> read) => Checked(await read.ConfigureAwait(false));

    private void Consumed(SequencePosition consumed)
    {
        if (!_done)
        {
            _nextHeader -= _lastRead.Slice(_lastRead.Start, consumed).Length;

            // A caller that consumed into a header it had not read whole is not reading frames: stop checking rather
            // than guess where the next one starts.
            _done = _nextHeader < 0;
        }
    }

    private ReadResult Checked(ReadResult result)
    {
        var buffer = _lastRead = result.Buffer;
        while (buffer.Length >= _nextHeader + FrameHeader.Size)
        {
            var header = FrameHeader.TryRead(buffer.Slice(_nextHeader))!.Value;
            if (Refusal(header) is { } refused)
            {
                _done = true;
                inner.AdvanceTo(buffer.Start);
                unreadable.Refused(MethodName(context.Request.Path), UnreadableRequests.MalformedFrame, refused.Detail);
                throw new RpcException(refused);
            }

            _nextHeader += FrameHeader.Size + header.Length;
        }

        // A header not here yet waits for the next read; at the end of the body, what is left is shorter than a header
        // (which grpc-dotnet answers well) or the rest of a frame.
        _done = result.IsCompleted;
        return result;
    }

    /// <summary>The method of a gRPC path (<c>/sessions.Sessions/Validate</c>: <c>Validate</c>), if it is one.</summary>
    private static string? MethodName(PathString path) =>
        path.Value is { } value && value.LastIndexOf('/') is var slash and > 0 && slash < value.Length - 1 ? value[(slash + 1)..] : null;

    /// <summary>The status for a header grpc-dotnet cannot report, or <see langword="null"/> for any other.</summary>
    private static Status? Refusal(FrameHeader header) =>
        header.CompressedFlag > 1
            ? new Status(StatusCode.InvalidArgument, $"the request's gRPC frame has compressed flag {header.CompressedFlag}: it must be 0 (not compressed) or 1 (compressed as its grpc-encoding header says).")
        : header.Length > int.MaxValue
            ? new Status(StatusCode.ResourceExhausted, $"the request's gRPC frame declares a message of {header.Length} bytes, more than a gRPC message can hold ({int.MaxValue}).")
        : null;
}
