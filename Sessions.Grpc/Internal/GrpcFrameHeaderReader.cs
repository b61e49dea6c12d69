using System.IO.Pipelines;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Sessions.Grpc.Internal;

/// <summary>
/// The request body as grpc-dotnet reads it, with the first frame header checked as it is read: a compressed flag
/// other than 0 or 1 is <see cref="StatusCode.InvalidArgument"/>, a length past 2^31 - 1
/// <see cref="StatusCode.ResourceExhausted"/>, each with a message saying what is wrong, one line in the log and a
/// count (<see cref="UnreadableRequests"/>). grpc-dotnet reports an <see cref="RpcException"/> from its read with that
/// status. Reads are passed on as they are, so nothing is read ahead and nothing waits that would not have waited.
/// </summary>
internal sealed class GrpcFrameHeaderReader(PipeReader inner, HttpContext context, UnreadableRequests unreadable) : PipeReader, IRequestBodyPipeFeature
{
    private bool _checked;

    public PipeReader Reader => this;

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (_checked)
        {
            return inner.ReadAsync(cancellationToken);
        }

        var read = inner.ReadAsync(cancellationToken);
        return read.IsCompletedSuccessfully ? new ValueTask<ReadResult>(Checked(read.Result)) : CheckedAsync(read.AsTask());
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out result))
        {
            return false;
        }

        result = _checked ? result : Checked(result);
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    private async ValueTask<ReadResult> CheckedAsync(Task<ReadResult> read) => Checked(await read.ConfigureAwait(false));

    private ReadResult Checked(ReadResult result)
    {
        if (FrameHeader.TryRead(result.Buffer) is not { } header)
        {
            // Not here yet, or a request shorter than a header (which grpc-dotnet answers well).
            _checked = result.IsCompleted;
            return result;
        }

        _checked = true;
        if (Refusal(header) is not { } refused)
        {
            return result;
        }

        inner.AdvanceTo(result.Buffer.Start);
        unreadable.Refused(MethodName(context.Request.Path), UnreadableRequests.MalformedFrame, refused.Detail);
        throw new RpcException(refused);
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
