using Grpc.AspNetCore.Server;
using Grpc.Net.Compression;
using Microsoft.Extensions.Options;

namespace Sessions.Grpc.Internal.Requests;

/// <summary>
/// Wraps the host's gRPC compression providers so that a request whose data is not in its <c>grpc-encoding</c> is
/// refused as <see cref="global::Grpc.Core.StatusCode.InvalidArgument"/>, for every gRPC service of the host (health
/// checks and reflection are open to anyone too; <see cref="CheckedDecompressionStream"/>). Runs after the host's own
/// configuration, so it wraps the providers the host chose; each service's options take the list from these.
/// </summary>
internal sealed class CheckedDecompressionSetup(UnreadableRequests unreadable) : IPostConfigureOptions<GrpcServiceOptions>
{
    public void PostConfigure(string? name, GrpcServiceOptions options) =>
        options.CompressionProviders =
        [
            // A new list: grpc-dotnet hands this one to every service's options as it is.
            .. options.CompressionProviders.Select(p => p is CheckedCompressionProvider ? p : (ICompressionProvider)new CheckedCompressionProvider(p, unreadable)),
        ];
}
