using Google.Protobuf;
using Grpc.Core;

namespace Sessions.Grpc.Internal.Requests;

/// <summary>
/// Passes each method of the service on to grpc-dotnet's binder with a request deserializer that answers bytes which
/// are not the request message — a client built from another contract, a corrupted frame, a string field that is not
/// UTF-8 — with <see cref="StatusCode.InvalidArgument"/> and a message saying so, and records it (<see cref="UnreadableRequests"/>). The
/// protobuf runtime refuses such bytes before the service runs, and grpc-dotnet reports an exception from a
/// deserializer as <see cref="StatusCode.Unknown"/> ("Exception was thrown by handler.") with an error and its stack
/// trace in the log: for every such request anyone sends, with no credentials needed. An
/// <see cref="RpcException"/> it reports with its own status instead.
/// </summary>
internal sealed class RequestDecodingBinder(ServiceBinderBase inner, UnreadableRequests? unreadable) : ServiceBinderBase
{
    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(Decoding(method), handler);

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(Decoding(method), handler);

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(Decoding(method), handler);

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(Decoding(method), handler);

    private Method<TRequest, TResponse> Decoding<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class
        where TResponse : class
    {
        var deserialize = method.RequestMarshaller.ContextualDeserializer;
        var operation = method.Name;
        var requestMarshaller = Marshallers.Create(method.RequestMarshaller.ContextualSerializer, context =>
        {
            try
            {
                return deserialize(context);
            }
            catch (InvalidProtocolBufferException notProtobuf)
            {
                // The protobuf runtime's messages name what is wrong with the bytes ("Protocol message contained an
                // invalid tag (zero).") and never quote them.
                var message = $"the request could not be read as {RequestMessageName(operation)}: {notProtobuf.Message} Send the message sessions.proto defines, with every string in UTF-8.";
                unreadable?.Malformed(operation, message);

                throw new RpcException(new Status(StatusCode.InvalidArgument, message));
            }
        });

        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, requestMarshaller, method.ResponseMarshaller);
    }

    /// <summary>
    /// The contract's name of <paramref name="operation"/>'s request message (<c>sessions.CreateRequest</c>). Looked up
    /// only when a request could not be read: building the service's descriptors costs some 30 million instructions,
    /// which a server that never needs them should not pay as it starts.
    /// </summary>
    private static string RequestMessageName(string operation) =>
        Protocol.Sessions.Descriptor.FindMethodByName(operation)?.InputType.FullName ?? operation + "Request";
}
