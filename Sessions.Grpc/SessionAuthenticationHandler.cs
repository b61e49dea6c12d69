using System.Text.Encodings.Web;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Sessions.Grpc.Internal;
using Sessions.Grpc.Internal.Authentication;
using Sessions.Grpc.Internal.Calls;

namespace Sessions.Grpc;

/// <summary>
/// ASP.NET Core authentication with session tokens: reads <c>Authorization: Bearer &lt;token&gt;</c>, validates it
/// locally with the registered <see cref="ISessionValidator"/> and signs the user in with the token's own claim names
/// (<c>sub</c>, <c>jti</c>, custom claims; roles from <see cref="SessionAuthenticationOptions.RoleClaimType"/>).
/// Register it with <c>services.AddAuthentication().AddSessionBearer()</c>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>No token: no result; a challenge answers 401 with <c>WWW-Authenticate: Bearer</c>.</item>
/// <item>A refused token: failure; a challenge answers 401 with <c>error="invalid_token"</c> and the reason
/// (<c>token is expired</c>) as <c>error_description</c> — never the token.</item>
/// <item>A token the validator cannot decide on now (the session keys or the revocation store cannot be reached):
/// 503 with <c>Retry-After</c>, so that clients retry rather than discard the token, and the reason as a text body.</item>
/// <item>A valid session that a policy refuses: 403 with <c>error="insufficient_scope"</c>, and the session requirement
/// it did not meet as <c>error_description</c>.</item>
/// </list>
/// gRPC requests get the same answers as gRPC statuses, so clients see <see cref="StatusCode.Unauthenticated"/>
/// (or <see cref="StatusCode.Unavailable"/> when the validator could not decide) with the reason, and
/// <see cref="StatusCode.PermissionDenied"/>. The session is available to endpoints through
/// <c>HttpContext.GetSession()</c> and <c>ServerCallContext.GetSession()</c>.
/// </remarks>
public sealed class SessionAuthenticationHandler : AuthenticationHandler<SessionAuthenticationOptions>
{
    private const string RetryAfterSeconds = "5";

    private readonly ISessionValidator _validator;

    /// <summary>Creates the handler; ASP.NET Core does so once per request.</summary>
    /// <param name="options">The scheme options.</param>
    /// <param name="logger">The logger factory.</param>
    /// <param name="encoder">The URL encoder.</param>
    /// <param name="validator">Validates the tokens.</param>
    public SessionAuthenticationHandler(IOptionsMonitor<SessionAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder, ISessionValidator validator)
        : base(options, logger, encoder)
    {
        ArgumentNullException.ThrowIfNull(validator);
        _validator = validator;
    }

    /// <summary>The events of the scheme, from <see cref="SessionAuthenticationOptions.Events"/> or <c>EventsType</c>.</summary>
    private new SessionAuthenticationEvents Events => (SessionAuthenticationEvents)base.Events!;

    /// <inheritdoc/>
    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new SessionAuthenticationEvents());

    /// <inheritdoc/>
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var received = new SessionMessageReceivedContext(Context, Scheme, Options);
        await Events.MessageReceived(received).ConfigureAwait(false);
        if (received.Result is { Failure: { } refusedFirst })
        {
            // The host's refusal, not a validator that could not decide: Unauthenticated (401), never Unavailable (503).
            return AuthenticateResult.Fail(new SessionRefusedException(refusedFirst.Message));
        }

        if (received.Result is not null)
        {
            return received.Result;
        }

        var token = received.Token ?? BearerToken.Read(Request.Headers.Authorization.ToString());
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }

        var result = await _validator.ValidateAsync(token, Context.RequestAborted).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return AuthenticateResult.Fail(new SessionTokenRejectedException(result.FailureReason));
        }

        var principal = SessionPrincipalFactory.Create(result.Session, Scheme.Name, Options.NameClaimType, Options.RoleClaimType);
        var validated = new SessionValidatedContext(Context, Scheme, Options, result.Session, principal);
        await Events.SessionValidated(validated).ConfigureAwait(false);
        if (validated.Result is { Failure: { } refused })
        {
            return AuthenticateResult.Fail(new SessionRefusedException(refused.Message));
        }

        if (validated.Result is { Succeeded: false })
        {
            return validated.Result;
        }

        // Also when the event called Success(): its ticket is of this session, which GetSession() and policies read.
        Context.Features.Set<ISessionFeature>(new SessionFeature(result.Session));
        return validated.Result ?? AuthenticateResult.Success(new AuthenticationTicket(validated.Principal ?? principal, Scheme.Name));
    }

    /// <inheritdoc/>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        if (result.Failure is SessionRefusedException refused)
        {
            if (IsGrpc(Request))
            {
                WriteGrpcStatus(new RpcException(new Status(StatusCode.Unauthenticated, "the session was refused: " + refused.Message)));
                return;
            }

            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Response.Headers.Append(HeaderNames.WWWAuthenticate, "Bearer error=\"invalid_token\", error_description=\"the session was refused\"");
            return;
        }

        var reason = result.Failure switch
        {
            SessionTokenRejectedException rejected => rejected.Reason,
            null => SessionFailureReason.Missing,
            _ => SessionFailureReason.Unavailable,
        };

        if (IsGrpc(Request))
        {
            var status = reason == SessionFailureReason.Missing
                ? SessionAuthenticationStatus.Missing()
                : SessionAuthenticationStatus.Invalid(reason);
            WriteGrpcStatus(status);
            return;
        }

        if (reason == SessionFailureReason.Unavailable)
        {
            // Not the token's fault: 401 would tell the client to discard it; 503 tells it to retry, and the body why
            // (there is no WWW-Authenticate error for it).
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            Response.Headers.RetryAfter = RetryAfterSeconds;
            Response.ContentType = "text/plain; charset=utf-8";
            await Response.WriteAsync(SessionFailureStatus.GetMessage(reason), Context.RequestAborted).ConfigureAwait(false);
            return;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.Append(HeaderNames.WWWAuthenticate, reason == SessionFailureReason.Missing
            ? "Bearer"
            : $"Bearer error=\"invalid_token\", error_description=\"{SessionFailureStatus.GetMessage(reason)}\"");
    }

    /// <inheritdoc/>
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var unmet = Context.Items[SessionAuthorizationHandler.ForbiddenMessageKey] as string;
        if (IsGrpc(Request))
        {
            WriteGrpcStatus(new RpcException(new Status(StatusCode.PermissionDenied, unmet ?? SessionAuthenticationStatus.ForbiddenMessage)));
            return Task.CompletedTask;
        }

        // RFC 6750, section 3.1: a valid token without the privileges the resource needs; the description names the
        // session requirement it did not meet, as the gRPC status does.
        Response.StatusCode = StatusCodes.Status403Forbidden;
        Response.Headers.Append(HeaderNames.WWWAuthenticate, unmet is null
            ? "Bearer error=\"insufficient_scope\""
            : $"Bearer error=\"insufficient_scope\", error_description=\"{ErrorDescription.Of(unmet)}\"");
        return Task.CompletedTask;
    }

    // A gRPC call, answered with a gRPC status: a gRPC content type sent to a gRPC method. The content type alone is the
    // client's claim, and would turn an HTTP endpoint's 401 into an HTTP 200 carrying grpc-status.
    private static bool IsGrpc(HttpRequest request) =>
        request.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) &&
        request.HttpContext.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is not null;

    /// <summary>
    /// Answers a gRPC request that never reaches its service with a trailers-only response (HTTP 200, the status in
    /// the headers), as gRPC servers do, so that clients see the code and message rather than a bare HTTP 401.
    /// </summary>
    private void WriteGrpcStatus(RpcException status)
    {
        Response.StatusCode = StatusCodes.Status200OK;
        Response.ContentType = "application/grpc";
        Response.Headers["grpc-status"] = ((int)status.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Response.Headers["grpc-message"] = status.Status.Detail;
        foreach (var entry in status.Trailers)
        {
            Response.Headers[entry.Key] = entry.Value;
        }
    }
}
