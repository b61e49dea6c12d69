using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Sessions.Grpc.Internal.Requests;

/// <summary>
/// The body of a gRPC-Web text request (<c>application/grpc-web-text</c>) as the gRPC-Web translation reads it, before
/// its base64 is decoded: it remembers whether a read is open (read, not yet advanced), so that when the decoding
/// fails between the two (<see cref="GrpcFrameHeaderReader"/> then refuses the request), the read can be ended and the
/// server drains the rest of the body as usual rather than finding its reader in an invalid state.
/// </summary>
internal sealed class GrpcWebTextBody(PipeReader inner) : PipeReader, IRequestBodyPipeFeature
{
    private ReadResult _open;

    private bool _reading;

    public PipeReader Reader => this;

    /// <summary>Puts the reader in front of the request's body, for the translation to read.</summary>
    /// <param name="context">A gRPC-Web text request.</param>
    public static void Track(HttpContext context)
    {
        if (context.Features.Get<IRequestBodyPipeFeature>() is { } body)
        {
            var tracked = new GrpcWebTextBody(body.Reader);
            context.Features.Set<IRequestBodyPipeFeature>(tracked);
            context.Features.Set(tracked);
        }
    }

    /// <summary>Ends a read that was not advanced: nothing of it consumed, all of it examined.</summary>
    public void EndOpenRead()
    {
        if (_reading)
        {
            _reading = false;
            inner.AdvanceTo(_open.Buffer.Start, _open.Buffer.End);
        }
    }

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        var result = await inner.ReadAsync(cancellationToken).ConfigureAwait(false);
        _open = result;
        _reading = true;
        return result;
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out result))
        {
            return false;
        }

        _open = result;
        _reading = true;
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed)
    {
        _reading = false;
        inner.AdvanceTo(consumed);
    }

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        _reading = false;
        inner.AdvanceTo(consumed, examined);
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);
}
