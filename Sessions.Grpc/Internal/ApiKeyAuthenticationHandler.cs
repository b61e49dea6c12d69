using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Sessions.Grpc.Internal;

/// <summary>
/// Authenticates a caller that sends <see cref="SessionsApiKeyDefaults.MetadataKey"/> with the configured key, compared
/// by <see cref="ApiKeyCheck"/>.
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

        if (sent.Count > 1 || Options.Key is not { } key || !Options.Check.Matches(sent[0] ?? string.Empty, key))
        {
            return Task.FromResult(AuthenticateResult.Fail($"The {SessionsApiKeyDefaults.MetadataKey} metadata does not hold the configured key."));
        }

        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(ApiKeyCheck.Caller(Scheme.Name), Scheme.Name)));
    }
}
