#if JSON_TRANSCODING
using Grpc.Core;
using Grpc.Core.Interceptors;
using Sessions.Grpc;

namespace Sessions.SampleServer;

/// <summary>
/// Sends the <see cref="SessionsMetadataKeys.FailureReason"/> trailer of a refused transcoded call as an HTTP response
/// header of the same name: JSON transcoding answers an error with its status as JSON (<c>{"code":3,"message":"token
/// is expired"}</c>) and drops the trailers, and an HTTP client should be able to branch on the reason as a gRPC client
/// does. gRPC calls are left alone (their trailers carry it already).
/// </summary>
/// <remarks>
/// It also ends a transcoded call its client abandoned (the connection closed while the service waited for the store)
/// with the status <c>Cancelled</c>, as grpc-dotnet does for a gRPC call: JSON transcoding logs any other exception as
/// an error with its stack trace ("Error when executing service method"), one per abandoned call, although the call's
/// own line already says <c>cancelled</c>.
/// </remarks>
internal sealed class FailureReasonHeaderInterceptor : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        var call = continuation(request, context);
        // The usual cases, a call that ended without waiting, cost no state machine and no throw: the service returns
        // a refusal as a faulted task, and awaiting it here would throw it twice more before gRPC does.
        if (call.IsCompletedSuccessfully)
        {
            return call;
        }

        if (call.IsFaulted)
        {
            CopyReason(call.Exception!.InnerException, context);
            return call;
        }

        return CopyReasonOnFailureAsync(call, context);
    }

    private static async Task<TResponse> CopyReasonOnFailureAsync<TResponse>(Task<TResponse> call, ServerCallContext context)
    {
        try
        {
            return await call.ConfigureAwait(false);
        }
        catch (RpcException ex)
        {
            CopyReason(ex, context);
            throw;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested && !IsGrpc(context))
        {
            throw new RpcException(new Status(StatusCode.Cancelled, AbandonedMessage));
        }
    }

    private const string AbandonedMessage = "The call was cancelled: its client went away.";

    private static void CopyReason(Exception? failure, ServerCallContext context)
    {
        if (failure is RpcException ex && ex.Trailers.GetValue(SessionsMetadataKeys.FailureReason) is { } reason)
        {
            var response = context.GetHttpContext().Response;
            if (!IsGrpc(context) && !response.HasStarted)
            {
                response.Headers[SessionsMetadataKeys.FailureReason] = reason;
            }
        }
    }

    private static bool IsGrpc(ServerCallContext context) =>
        context.GetHttpContext().Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;
}
#endif
