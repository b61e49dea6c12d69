namespace DocsSamples;

/// <summary>Sessions.Grpc.Client/README.md and docs/getting-started.md: a client that sends the server's API key.</summary>
public static class ClientApiKey
{
    public static WebApplication WithApiKeyCredentials(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // <client-factory-api-key>
        // Every call of this client sends the server's key (SESSIONS_API_KEY) as the x-api-key metadata.
        builder.Services.AddGrpcClient<Sessions.Grpc.Protocol.Sessions.SessionsClient>(o => o.Address = new Uri("http://sessions:3123"))
            .ConfigureChannel(o => o.UnsafeUseInsecureChannelCallCredentials = true)   // h2c only: call credentials need TLS
            .AddSessionsApiKeyCredentials(builder.Configuration["SESSIONS_API_KEY"] ?? throw new InvalidOperationException("Set SESSIONS_API_KEY."));
        // </client-factory-api-key>
        return builder.Build();
    }
}
