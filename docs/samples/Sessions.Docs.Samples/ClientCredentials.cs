using Grpc.Core;
using Grpc.Net.Client;
using Sessions.Grpc;

namespace DocsSamples;

/// <summary>
/// Sending a session token (<c>client-call-credentials-h2c</c>): Sessions.Grpc.Client/README.md and
/// docs/validating-in-other-services.md.
/// </summary>
public static class ClientCredentials
{
    public static GrpcChannel ChannelToAnotherServiceOverH2c(Func<CancellationToken, ValueTask<string>> currentToken)
    {
        // <client-call-credentials-h2c>
        // Every call on this channel sends "authorization: Bearer <token>", with the token currentToken returns.
        var channel = GrpcChannel.ForAddress("http://orders:5000", new GrpcChannelOptions
        {
            Credentials = ChannelCredentials.Create(ChannelCredentials.Insecure, SessionCallCredentials.Create(currentToken)),
            UnsafeUseInsecureChannelCallCredentials = true,   // h2c only: without it, ForAddress throws (call credentials need TLS)
        });
        // </client-call-credentials-h2c>
        return channel;
    }
}
