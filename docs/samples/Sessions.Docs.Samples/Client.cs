using Grpc.Core;
using Grpc.Net.Client;
using Sessions.Grpc;
using Sessions.Grpc.Protocol;

namespace DocsSamples;

/// <summary>docs/getting-started.md and docs/validating-in-other-services.md: calling the service.</summary>
public static class Client
{
    public static async Task<string> CreateWithApiKeyAndValidateAsync()
    {
        // <client-create-with-api-key-validate>
        // Create is a privileged call: it sends the server's key (SESSIONS_API_KEY) as the x-api-key metadata.
        var apiKey = new Metadata { { "x-api-key", Environment.GetEnvironmentVariable("SESSIONS_API_KEY") ?? "" } };
        using var channel = GrpcChannel.ForAddress("http://127.0.0.1:3123");
        var client = new Sessions.Grpc.Protocol.Sessions.SessionsClient(channel);

        TokenReply created = await client.CreateAsync(new CreateRequest { UserId = "3f2504e0-4f89-11d3-9a0c-0305e82c3301" }, apiKey);
        TokenReply validated = await client.ValidateAsync(new ValidateTokenRequest { Token = created.Token });
        Console.WriteLine($"{validated.Subject} until {DateTimeOffset.FromUnixTimeSeconds(validated.ExpiredAt):O}");
        // </client-create-with-api-key-validate>
        return validated.SessionId;
    }

    public static async Task<string?> ReasonAsync(Sessions.Grpc.Protocol.Sessions.SessionsClient client, string token)
    {
        // <client-failure-reason>
        try
        {
            TokenReply reply = await client.ValidateAsync(new ValidateTokenRequest { Token = token });
            return null;   // valid: reply.Subject, reply.SessionId, reply.ExpiredAt ...
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.InvalidArgument)
        {
            return ex.Trailers.GetValue(SessionsMetadataKeys.FailureReason);   // "expired", "bad_signature", ...
        }
        // </client-failure-reason>
    }
}
