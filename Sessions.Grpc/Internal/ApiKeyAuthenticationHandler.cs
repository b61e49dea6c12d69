using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Sessions.Grpc.Internal;

/// <summary>
/// Authenticates a caller that sends <see cref="SessionsApiKeyDefaults.MetadataKey"/> with the configured key. Both
/// are hashed with SHA-256 and the hashes compared in fixed time, so neither the key's length nor how much of it a
/// guess got right shows in the time taken. Neither value is ever logged or put in a message.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<SessionsApiKeyOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<SessionsApiKeyOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var sent = Request.Headers[SessionsApiKeyDefaults.MetadataKey];
        if (sent.Count == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (sent.Count > 1 || Options.Key is not { } key || !Matches(sent[0] ?? string.Empty, key))
        {
            return Task.FromResult(AuthenticateResult.Fail($"The {SessionsApiKeyDefaults.MetadataKey} metadata does not hold the configured key."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, Scheme.Name)], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    private bool Matches(string sent, string key)
    {
        // Keys are short; one that is not (it would be refused anyway) is hashed from a heap buffer.
        var length = Encoding.UTF8.GetMaxByteCount(sent.Length);
        Span<byte> bytes = length <= 1024 ? stackalloc byte[1024] : new byte[length];
        Span<byte> sentHash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes[..Encoding.UTF8.GetBytes(sent, bytes)], sentHash);
        return CryptographicOperations.FixedTimeEquals(sentHash, Options.KeyHash(key));
    }
}
