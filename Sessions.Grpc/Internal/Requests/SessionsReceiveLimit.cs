namespace Sessions.Grpc.Internal.Requests;

/// <summary>
/// Endpoint metadata of a sessions service's gRPC methods: the request message size limit grpc-dotnet applies to them
/// (the service's <c>MaxReceiveMessageSize</c> as resolved when it was mapped), so that <see cref="GrpcFrameHeaderReader"/>
/// can refuse a frame over it with a message that names the limit, where grpc-dotnet's own does not.
/// </summary>
/// <param name="Bytes">The limit in bytes.</param>
internal sealed record SessionsReceiveLimit(int Bytes)
{
    /// <summary>
    /// Frames this long or shorter are never looked up against a limit: a well-formed request of a sessions service is
    /// far smaller, and pays nothing for the endpoint's lookup. A host limit below it keeps grpc-dotnet's own message.
    /// </summary>
    public const int LookedUpAbove = 4 * 1024;

    /// <summary>What a frame of <paramref name="length"/> bytes past the limit is told.</summary>
    public string Describe(long length, string method) =>
        $"the request's gRPC message is {length} bytes, more than the limit of {Bytes} bytes{(Bytes % 1024 == 0 ? $" ({Bytes / 1024} KiB)" : string.Empty)} of {method}: send a message of at most {Bytes} bytes.";
}
