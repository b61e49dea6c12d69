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
    }

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
