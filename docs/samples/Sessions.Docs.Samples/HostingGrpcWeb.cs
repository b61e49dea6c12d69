namespace DocsSamples;

/// <summary>docs/embedding.md: gRPC-Web for HTTP/1.1 clients and browsers, with only the implicit usings of a stock web app.</summary>
public static class HostingGrpcWeb
{
    public static void Host(string[] args)
    {
        // <host-grpc-web>
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddSessions().AddGrpcWeb();   // gRPC-Web as well as gRPC, on every endpoint, HTTP/1.1 ones included
        var app = builder.Build();
        app.MapSessions();
        app.Run();
        // </host-grpc-web>
    }
}
