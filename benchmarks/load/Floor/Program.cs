using Grpc.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Sessions.Grpc.Protocol;

namespace Sessions.LoadFloor;

/// <summary>
/// sessions.Sessions with constant replies: the cost of ASP.NET Core's gRPC and Kestrel's HTTP/2 alone, for the
/// load table. PORT (3123) and LISTEN_ADDRESS (127.0.0.1) as the sample server reads them; no logging.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.ClearProviders();
        var port = int.Parse(builder.Configuration["PORT"] ?? "3123", System.Globalization.CultureInfo.InvariantCulture);
        var address = System.Net.IPAddress.Parse(builder.Configuration["LISTEN_ADDRESS"] ?? "127.0.0.1");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, port, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        var app = builder.Build();
        app.MapGrpcService<ConstantSessions>();
        app.Run();
    }
}

/// <summary>The same reply for every call: a token-shaped string, times, subject and session id.</summary>
internal sealed class ConstantSessions : Sessions.Grpc.Protocol.Sessions.SessionsBase
{
    private static readonly Task<TokenReply> s_reply = Task.FromResult(new TokenReply
    {
        Valid = true,
        Token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + new string('x', 220) + "." + new string('y', 43),
        IssuedAt = 1_764_576_000,
        NotBefore = 1_764_576_000,
        ExpiredAt = 1_764_662_400,
        Subject = "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
        SessionId = "0f8fad5b-d9cb-469f-a165-70867728950e",
    });

    public override Task<TokenReply> Create(CreateRequest request, ServerCallContext context) => s_reply;

    public override Task<TokenReply> Validate(ValidateTokenRequest request, ServerCallContext context) => s_reply;
}
