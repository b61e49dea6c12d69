using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Sessions.Grpc.Internal.Privileged;

/// <summary>
/// Authenticates a caller that sends <see cref="SessionsApiKeyDefaults.MetadataKey"/> with the configured key (or, during a
/// rotation, the previous one), compared by <see cref="ApiKeyCheck"/>.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<SessionsApiKeyOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<SessionsApiKeyOptions>(options, logger, encoder)
{
    private static readonly AuthenticateResult Refused =
        AuthenticateResult.Fail($"The {SessionsApiKeyDefaults.MetadataKey} metadata does not hold the configured key.");

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var sent = Request.Headers[SessionsApiKeyDefaults.MetadataKey];
        if (ApiKeyCheck.CarriesNoKey(sent))
        {
            // No credential, not a wrong one: the policy then says what is missing (Unauthenticated).
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (sent.Count > 1 || Options.Key is not { } key)
        {
            return Task.FromResult(Refused);
        }

        var match = Options.Check.Match(sent[0] ?? string.Empty, key, Options.PreviousKey);
        if (match == ApiKeyMatch.None)
        {
            return Task.FromResult(Refused);
        }

        if (match == ApiKeyMatch.PreviousKey)
        {
            PrivilegedCallsLog.ApiKeySchemePreviousKeyUsed(Logger, Scheme.Name, Request.Path, Context.Connection.RemoteIpAddress);
        }

        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(ApiKeyCheck.Caller(Scheme.Name), Scheme.Name)));
    }
}
