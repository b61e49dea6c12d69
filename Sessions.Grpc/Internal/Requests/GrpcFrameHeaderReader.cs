using System.Buffers;
using System.IO.Pipelines;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Sessions.Grpc.Internal.Requests;

/// <summary>
/// The request body as grpc-dotnet reads it, with every frame checked as it is read, for what grpc-dotnet would answer
/// <c>UNKNOWN</c> or <c>INTERNAL</c>: a compressed flag other than 0 or 1, or 1 while <c>grpc-encoding</c> names no
/// compression (absent or <c>identity</c>), is <see cref="StatusCode.InvalidArgument"/>, a length past 2^31 - 1
/// <see cref="StatusCode.ResourceExhausted"/>; a body that ends inside a frame header or a message, and a unary or
/// server-streaming method's request that is not exactly one message (none, or more after it), are
/// <see cref="StatusCode.InvalidArgument"/>. Each gets a message saying what is wrong, one line in the log and a count
/// (<see cref="UnreadableRequests"/>). A well-formed frame past a sessions service's size limit
/// (<see cref="SessionsReceiveLimit"/>), which grpc-dotnet would refuse with a message that names no limit, is
/// <see cref="StatusCode.ResourceExhausted"/> with one that names it, neither logged nor counted. grpc-dotnet reports an <see cref="RpcException"/> from its read with that
/// status. Reads are passed on as they are, so nothing is read ahead and nothing waits that would not have waited; the
/// next header is found from the lengths of the frames before it and what the reader's caller consumed. Only a request
/// routed to a gRPC method is checked, and counted by that method's name: the body of any other endpoint of the host
/// (one of its own that reads a body sent as <c>application/grpc</c>) is passed on as it is, and its path, which the
/// caller chooses, never becomes a tag.
/// </summary>
/// <remarks>
/// A body that ends inside a frame is refused once the caller has taken the messages before the break, so that
/// grpc-dotnet still gives a stream's messages to its service and applies its size limit to the frame that breaks off
/// (<see cref="StatusCode.ResourceExhausted"/>, before any status of ours): until then the read that holds the end is
/// passed on as not completed, and grpc-dotnet, having no further whole message, reads again. When it is the frame
/// that breaks off, nothing the request could still send would change the answer: that next read is refused without
/// reading the body again (a gRPC-Web text body cannot be read past its end). Whether a method takes exactly one
/// message, and whether the request went to a gRPC method at all, come from the endpoint grpc-dotnet routed the request
/// to, looked up only when a read would be refused or changed: a well-formed request never pays for the lookup.
/// </remarks>
internal sealed class GrpcFrameHeaderReader(PipeReader inner, HttpContext context, UnreadableRequests unreadable, bool decodesBase64 = false) : PipeReader, IRequestBodyPipeFeature
{
    /// <summary>What a gRPC-Web text body that is not base64 is told.</summary>
    internal const string NotBase64 =
        "the request's gRPC-Web text body is not base64: send application/grpc-web-text as the base64 of whole gRPC frames (padded with '='), or send application/grpc-web in binary.";

    /// <summary>The status of a call whose client went away before its request was read.</summary>
    internal const string ClientCancelledMessage = "the client cancelled the call, or its connection closed, before its request was read.";

    private const string GrpcEncoding = "grpc-encoding";

    private const string Identity = "identity";

    // Where the next frame header starts, counted from the first byte not yet consumed.
    private long _nextHeader;

    // The length of the message whose header was read last (its frame ends at _nextHeader).
    private uint _lastLength;

    // What the last read returned, to count the bytes an AdvanceTo consumes.
    private ReadOnlySequence<byte> _lastRead;

    // A frame header was read: the request has a message.
    private bool _sawFrame;

    // The refusal of the next read: the body ended inside the message of the first frame not consumed, and the read
    // that says so was passed on as not completed, for grpc-dotnet to apply its size limit to the frame.
    private string? _pending;

    // The body ended, or a frame was refused: nothing more to check.
    private bool _done;

    // The method the request was routed to, once looked up (_methodLooked).
    private IMethod? _method;

    private bool _methodLooked;

    public PipeReader Reader => this;

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (_pending is { } pending)
        {
            throw Refused(pending);
        }

        ValueTask<ReadResult> read;
        try
        {
            read = inner.ReadAsync(cancellationToken);
        }
        catch (InvalidOperationException) when (decodesBase64 && !_done)
        {
            throw NotBase64Body();
        }
        catch (Exception exception) when (ClientWentAway(exception))
        {
            throw ClientCancelled();
        }

        if (read.IsCompletedSuccessfully)
        {
            return _done ? read : new ValueTask<ReadResult>(Checked(read.Result));
        }

        return CheckedAsync(read);
    }

    public override bool TryRead(out ReadResult result)
    {
        if (_pending is { } pending)
        {
            throw Refused(pending);
        }

        try
        {
            if (!inner.TryRead(out result))
            {
                return false;
            }
        }
        catch (Exception exception) when (ClientWentAway(exception))
        {
            throw ClientCancelled();
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

    private async ValueTask<ReadResult> CheckedAsync(ValueTask<ReadResult> read)
    {
        ReadResult result;
        try
        {
            result = await read.ConfigureAwait(false);
        }
        catch (InvalidOperationException) when (decodesBase64 && !_done)
        {
            // grpc-dotnet's base64 decoding of a gRPC-Web text body throws InvalidOperationException ("Unexpected
            // status: InvalidData", "Unexpected end of data when reading base64 content."), which grpc-dotnet answers
            // UNKNOWN with an error and its stack trace in the log: the body is the caller's mistake. It threw between
            // its read of the body and the advance that ends that read, which is ended here.
            throw NotBase64Body();
        }
        catch (Exception exception) when (ClientWentAway(exception))
        {
            throw ClientCancelled();
        }

        return _done ? result : Checked(result);
    }

    /// <summary>
    /// Whether a read of the body failed because the client went away: it reset the stream (a cancelled call, a
    /// deadline on its side) or its connection closed. Kestrel completes the body with that error before it signals
    /// <see cref="HttpContext.RequestAborted"/> (on the thread pool), so grpc-dotnet, which tells a cancelled call from
    /// a failed one by that token, logged an error with the stack trace for some of these calls.
    /// <see cref="BadHttpRequestException"/>, also an <see cref="IOException"/>, is the request's fault, not its end.
    /// </summary>
    private bool ClientWentAway(Exception exception) =>
        exception is IOException and not BadHttpRequestException or Microsoft.AspNetCore.Connections.ConnectionAbortedException
        || (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested);

    /// <summary>
    /// What grpc-dotnet gets for a body the client stopped sending: an <see cref="RpcException"/>, which it notes at
    /// Information as the call's status, whatever the state of <see cref="HttpContext.RequestAborted"/>. No one reads
    /// the status: the client is gone.
    /// </summary>
    private RpcException ClientCancelled()
    {
        _done = true;
        _pending = null;
        return new RpcException(new Status(StatusCode.Cancelled, ClientCancelledMessage));
    }

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
        var length = buffer.Length;
        while (length > _nextHeader)
        {
            if (_sawFrame && TakesOneMessage() is { } method)
            {
                // Data after the one message, which grpc-dotnet answers "Additional data after the message received."
                // (INTERNAL). Refused before grpc-dotnet takes the message: a gRPC-Web text body cannot be consumed up
                // to a message's end inside its base64 unless the body ends there.
                throw Refused($"the request goes on after its gRPC message, but {Describe(method)}, whose request is exactly one message: send one message and end the request.", buffer);
            }

            if (length < _nextHeader + FrameHeader.Size)
            {
                break;
            }

            var header = FrameHeader.TryRead(buffer.Slice(_nextHeader))!.Value;
            if (Refusal(header) is { } refused)
            {
                if (Unrouted())
                {
                    return result;
                }

                inner.AdvanceTo(buffer.Start);
                throw Refused(refused);
            }

            if (header.Length > SessionsReceiveLimit.LookedUpAbove && OverLimit(header.Length) is { } overLimit)
            {
                // grpc-dotnet refuses it too, as RESOURCE_EXHAUSTED, but with "Received message exceeds the maximum
                // configured message size.", which names neither the limit nor what to send instead. Not counted as
                // unreadable: the frame is well formed, only too large.
                inner.AdvanceTo(buffer.Start);
                _done = true;
                throw new RpcException(overLimit);
            }

            _nextHeader += FrameHeader.Size + header.Length;
            _lastLength = header.Length;
            _sawFrame = true;
        }

        if (!result.IsCompleted)
        {
            // A header or a message not here yet waits for the next read.
            return result;
        }

        if (length == _nextHeader)
        {
            // The body ends where a frame does: whole messages, or none where a stream may have none.
            if (_sawFrame || TakesOneMessage() is not { } method)
            {
                _done = true;
                return result;
            }

            // grpc-dotnet says "Incomplete message." (INTERNAL).
            throw Refused($"the request ended with no gRPC message, but {Describe(method)}, whose request is exactly one message: send one message and end the request.", buffer);
        }

        if (Unrouted())
        {
            return result;
        }

        if (length > _nextHeader)
        {
            // The body ends inside a frame header, which grpc-dotnet answers "Incomplete message." (INTERNAL) once the
            // messages before it are read.
            return _nextHeader > 0
                ? NotCompleted(result)
                : throw Refused($"the request ended {length - _nextHeader} bytes into a gRPC frame header of {FrameHeader.Size} bytes: send whole frames, each a {FrameHeader.Size}-byte header and the message it declares.", buffer);
        }

        // The body ends inside a message: once the messages before it are read, grpc-dotnet sees its header (refused
        // as RESOURCE_EXHAUSTED if past its limit) and then says "Incomplete message." (INTERNAL).
        var frame = _nextHeader - FrameHeader.Size - _lastLength;
        if (frame < 0)
        {
            // The caller consumed part of the message: it is not reading frames.
            _done = true;
            return result;
        }

        if (frame == 0)
        {
            _pending = $"the request ended {length - FrameHeader.Size} bytes into a gRPC message whose frame header declares {_lastLength} bytes: send the whole message.";
        }

        return NotCompleted(result);
    }

    private RpcException NotBase64Body()
    {
        context.Features.Get<GrpcWebTextBody>()?.EndOpenRead();
        return Refused(NotBase64);
    }

    /// <summary>Ends the read of <paramref name="buffer"/>; see the other overload.</summary>
    private RpcException Refused(string message, in ReadOnlySequence<byte> buffer)
    {
        inner.AdvanceTo(buffer.Start);
        return Refused(message);
    }

    /// <summary>Counts and logs the refusal, <see cref="StatusCode.InvalidArgument"/>, and gives its exception.</summary>
    private RpcException Refused(string message) => Refused(new Status(StatusCode.InvalidArgument, message));

    private RpcException Refused(Status status)
    {
        _done = true;
        _pending = null;
        unreadable.Refused(_method?.ServiceName, _method?.Name, UnreadableRequests.MalformedFrame, status.Detail);
        return new RpcException(status);
    }

    /// <summary>
    /// <paramref name="result"/> as not completed, so that grpc-dotnet reads the messages before a broken end and reads
    /// again (it reads until it has a message or the body has ended).
    /// </summary>
    private static ReadResult NotCompleted(ReadResult result) =>
        result.IsCompleted ? new ReadResult(result.Buffer, result.IsCanceled, isCompleted: false) : result;

    /// <summary>
    /// The method the request was routed to if its request is exactly one message (unary, server streaming), or
    /// <see langword="null"/>: a client or bidi stream may have any number, and a request grpc-dotnet did not route to a
    /// method is left to it.
    /// </summary>
    private IMethod? TakesOneMessage() =>
        Routed() is { Type: MethodType.Unary or MethodType.ServerStreaming } method ? method : null;

    /// <summary>
    /// Whether the request went to an endpoint that is no gRPC method (one of the host's own that reads a body sent as
    /// <c>application/grpc</c>): its body is not gRPC's to check, and its path not a method to count by, so checking
    /// stops. Asked only before a read would be refused or changed, so that a well-formed request never pays for the
    /// endpoint's lookup.
    /// </summary>
    private bool Unrouted()
    {
        if (Routed() is not null)
        {
            return false;
        }

        _done = true;
        return true;
    }

    /// <summary>The gRPC method grpc-dotnet routed the request to, or <see langword="null"/> for any other endpoint.</summary>
    private IMethod? Routed()
    {
        if (!_methodLooked)
        {
            _methodLooked = true;
            _method = context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method;
        }

        return _method;
    }

    /// <summary>
    /// The refusal of a frame of <paramref name="length"/> bytes if the request went to a sessions service's method
    /// whose limit it passes (<see cref="SessionsReceiveLimit"/>), or <see langword="null"/>: left to grpc-dotnet.
    /// </summary>
    private Status? OverLimit(long length)
    {
        var endpoint = context.GetEndpoint();
        return endpoint?.Metadata.GetMetadata<SessionsReceiveLimit>() is { } limit && length > limit.Bytes
            && endpoint.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method is { } method
            ? new Status(StatusCode.ResourceExhausted, limit.Describe(length, $"{method.ServiceName}/{method.Name}"))
            : null;
    }

    private static string Describe(IMethod method) =>
        $"{method.ServiceName}/{method.Name} is {(method.Type == MethodType.Unary ? "unary" : "server streaming")}";

    /// <summary>The status for a header grpc-dotnet cannot report well, or <see langword="null"/> for any other.</summary>
    private Status? Refusal(FrameHeader header) =>
        header.CompressedFlag > 1
            ? new Status(StatusCode.InvalidArgument, $"the request's gRPC frame has compressed flag {header.CompressedFlag}: it must be 0 (not compressed) or 1 (compressed as its grpc-encoding header says).")
        : header.Length > int.MaxValue
            ? new Status(StatusCode.ResourceExhausted, $"the request's gRPC frame declares a message of {header.Length} bytes, more than a gRPC message can hold ({int.MaxValue}).")
        : header.CompressedFlag == 1
            ? CompressedWithoutEncoding()
        : null;

    /// <summary>
    /// For a message flagged compressed, the status if <c>grpc-encoding</c> names no compression, which grpc-dotnet
    /// answers <c>INTERNAL</c> once the whole message is here. As grpc-dotnet reads it: the header's value, compared
    /// with <c>identity</c> as it is written (another spelling is an encoding grpc-dotnet does not know, which it
    /// answers <c>UNIMPLEMENTED</c> naming the ones it knows).
    /// </summary>
    private Status? CompressedWithoutEncoding() =>
        context.Request.Headers.TryGetValue(GrpcEncoding, out var values) && (string?)values is { } encoding
            ? encoding == Identity
                ? new Status(StatusCode.InvalidArgument, "the request's gRPC frame has compressed flag 1 but its grpc-encoding header is identity, which is no compression: send grpc-encoding naming the compression used, or compressed flag 0 (not compressed).")
                : null
            : new Status(StatusCode.InvalidArgument, "the request's gRPC frame has compressed flag 1 but the request has no grpc-encoding header to name its compression: send grpc-encoding naming the compression used, or compressed flag 0 (not compressed).");
}
