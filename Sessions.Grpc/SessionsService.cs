using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sessions.Grpc.Internal;
using Sessions.Grpc.Internal.Calls;
using Sessions.Grpc.Internal.Privileged;
using Sessions.Grpc.Internal.Requests;
using Sessions.Grpc.Internal.WellKnown;
using Sessions.Grpc.Protocol;
using Sessions.Internal;

namespace Sessions.Grpc;

/// <summary>
/// The <c>sessions.Sessions</c> gRPC service: <c>Create</c> issues a session token for a user (with a refresh token
/// on request), <c>Validate</c> checks one, <c>GetKeys</c> returns the public keys, <c>Refresh</c> renews a session,
/// <c>Revoke</c> and <c>RevokeAll</c> end sessions, <c>ListSessions</c> lists a user's. It translates between protobuf and <see cref="ISessionIssuer"/> / <see cref="ISessionValidator"/>, maps
/// failure reasons to gRPC statuses and writes one log line per call; it holds no token logic of its own.
/// </summary>
/// <remarks>
/// <para>
/// Refused tokens end the call with <see cref="StatusCode.InvalidArgument"/> (or <see cref="StatusCode.Unavailable"/>
/// when a session store cannot be reached), a message naming the reason (<c>token is expired</c>) and the reason's
/// name in the <see cref="SessionsMetadataKeys.FailureReason"/> trailer. Messages and logs never contain the token.
/// </para>
/// <para>
/// Hosts may derive from this class to run code around the calls — refuse a user, add headers, record audits — by
/// overriding <see cref="OnCreatingAsync"/>, <see cref="OnCreatedAsync"/> and <see cref="OnValidatedAsync"/>, and map
/// the derived class with <c>MapSessions&lt;TService&gt;()</c>. A hook refuses a call by throwing an
/// <see cref="RpcException"/>; any other exception ends the call with <see cref="StatusCode.Internal"/> and a generic
/// message, and is logged. The call methods themselves are sealed: every call goes through the one edge that checks
/// privileged calls against <see cref="SessionsServiceOptions.PrivilegedPolicy"/> before anything else, and writes its
/// log line, refused calls included.
/// </para>
/// </remarks>
[BindServiceMethod(typeof(SessionsServiceBinder), nameof(SessionsServiceBinder.BindService))]
public class SessionsService : Protocol.Sessions.SessionsBase
{
    /// <summary>
    /// The largest request message, in bytes, the service accepts: 131,072 (128 KiB). Larger requests are refused
    /// with <see cref="StatusCode.ResourceExhausted"/> before they are read into memory. A session token is about 320
    /// bytes and the validator refuses tokens over <c>JwtSessionOptions.MaxTokenLength</c> (8,192 characters by
    /// default) as too large, so the limit only needs room to report that reason; hosts may lower it with
    /// <c>AddServiceOptions&lt;SessionsService&gt;()</c>.
    /// </summary>
    public const int MaxReceiveMessageSize = 128 * 1024;

    /// <summary>
    /// The longest <c>user_id</c>, in characters, that is parsed at all: 64. A UUID is 36 characters (38 in braces,
    /// 45 as a URN); anything longer is refused without parsing.
    /// </summary>
    public const int MaxUserIdLength = 64;

    /// <summary>What clients are told when the session store cannot be reached; the details go to the log only.</summary>
    private const string StoreUnavailableMessage = "the session store is unavailable: the call may not have taken effect, or not durably; retry it";

    private const string DescriptionWithoutRefreshTokenMessage =
        "client_description is set but with_refresh_token is not: the description is kept with a refresh chain (ListSessions shows it), and a session without one keeps nothing. Set with_refresh_token to true, or leave client_description out.";

    private const string InvalidUserIdMessage = "user_id must be a UUID, e.g. 3f2504e0-4f89-11d3-9a0c-0305e82c3301.";

    private readonly ISessionIssuer _issuer;
    private readonly ISessionValidator _validator;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SessionsTelemetry _telemetry;
    private readonly ISessionLifecycle? _sessions;
    private readonly RepeatedFailures _storeFailures;

    // From AddSessions() through the dependencies; for a service made with the other constructors, the one the host
    // registered, found on the first call.
    private PrivilegedCallGate? _privilegedCalls;

    /// <summary>
    /// Creates the service from what <c>AddSessions()</c> registers: the constructor a derived service calls,
    /// <c>: SessionsService(dependencies)</c>.
    /// </summary>
    /// <param name="dependencies">The issuer, validator, clock, logger, telemetry and lifecycle the service uses.</param>
    [ActivatorUtilitiesConstructor]
    public SessionsService(SessionsServiceDependencies dependencies)
    {
        ArgumentNullException.ThrowIfNull(dependencies);
        _issuer = dependencies.Issuer;
        _validator = dependencies.Validator;
        _timeProvider = dependencies.TimeProvider;
        _logger = dependencies.Logger;
        _telemetry = dependencies.Telemetry;
        _sessions = dependencies.Sessions;
        _storeFailures = dependencies.StoreFailures;
        _privilegedCalls = dependencies.PrivilegedCalls;
    }

    /// <summary>
    /// Creates the service without refresh tokens or revocation: <c>Refresh</c>, <c>Revoke</c>, <c>RevokeAll</c> and
    /// <c>with_refresh_token</c> fail with <see cref="StatusCode.Unimplemented"/>.
    /// </summary>
    /// <param name="issuer">Issues the tokens returned by <c>Create</c>.</param>
    /// <param name="validator">Validates the tokens given to <c>Validate</c>.</param>
    /// <param name="timeProvider">Measures call durations for the log.</param>
    /// <param name="logger">Receives one line per call.</param>
    /// <param name="telemetry">Receives one measurement per call; registered by <c>AddSessions()</c>.</param>
    public SessionsService(ISessionIssuer issuer, ISessionValidator validator, TimeProvider timeProvider, ILogger<SessionsService> logger, SessionsTelemetry telemetry)
        : this(new SessionsServiceDependencies(issuer, validator, timeProvider, logger, telemetry))
    {
    }

    /// <summary>
    /// Creates the service from its dependencies one by one; <see cref="SessionsService(SessionsServiceDependencies)"/>
    /// is the shorter way for a derived service.
    /// </summary>
    /// <param name="issuer">Issues the tokens returned by <c>Create</c>.</param>
    /// <param name="validator">Validates the tokens given to <c>Validate</c>.</param>
    /// <param name="timeProvider">Measures call durations for the log.</param>
    /// <param name="logger">Receives one line per call.</param>
    /// <param name="telemetry">Receives one measurement per call; registered by <c>AddSessions()</c>.</param>
    /// <param name="sessions">The session lifecycle: issues refresh tokens, refreshes, revokes and lists sessions; <see langword="null"/> to offer none of it.</param>
    public SessionsService(ISessionIssuer issuer, ISessionValidator validator, TimeProvider timeProvider, ILogger<SessionsService> logger, SessionsTelemetry telemetry, ISessionLifecycle? sessions)
        : this(new SessionsServiceDependencies(issuer, validator, timeProvider, logger, telemetry, sessions))
    {
    }

    /// <summary>
    /// Issues a session for <see cref="CreateRequest.UserId"/>, which must be a UUID in any form
    /// <see cref="Guid.TryParse(string?, out Guid)"/> accepts (<c>3f2504e0-4f89-11d3-9a0c-0305e82c3301</c>, with or
    /// without hyphens, in braces or parentheses) and at most <see cref="MaxUserIdLength"/> characters. The session's
    /// subject is the UUID in its canonical lower-case hyphenated form, so every spelling of one user gets one subject.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The call context.</param>
    /// <returns>A reply with <c>valid</c> set, the token, its times in Unix seconds, subject and session id.</returns>
    /// <exception cref="RpcException">
    /// <see cref="StatusCode.InvalidArgument"/> when <c>user_id</c> is not a UUID or the issuer refuses it, when
    /// <c>client_description</c> is longer than 200 characters, or when it is set without <c>with_refresh_token</c> (a
    /// session without a refresh chain keeps no description).
    /// </exception>
    public sealed override Task<TokenReply> Create(CreateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        return HandleAsync(CallOperation.Create, request, context, static (service, request, context, call) => service.CreateCoreAsync(request, context, call));
    }

    /// <summary>
    /// Validates <see cref="ValidateTokenRequest.Token"/>.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The call context.</param>
    /// <returns>A reply with <c>valid</c> set, the token echoed, its times in Unix seconds, subject and session id.</returns>
    /// <exception cref="RpcException">
    /// <see cref="StatusCode.InvalidArgument"/> with a message naming the reason when the token is refused;
    /// <see cref="StatusCode.Unavailable"/> when a session store needed to decide cannot be reached.
    /// </exception>
    public sealed override Task<TokenReply> Validate(ValidateTokenRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        return HandleAsync(CallOperation.Validate, request, context, static (service, request, context, call) => service.ValidateCoreAsync(request, context, call));
    }

    /// <summary>
    /// Returns the public keys that validate sessions as a JSON Web Key Set: the document served at
    /// <see cref="SessionsWellKnownPaths.JsonWebKeySet"/>, for clients that speak gRPC only. HS256 secrets and private
    /// key parts are never included; a server that signs with a secret only returns <c>{"keys":[]}</c>.
    /// </summary>
    /// <param name="request">The request (empty).</param>
    /// <param name="context">The call context.</param>
    /// <returns>The JWKS JSON and its version (equal versions mean equal key sets).</returns>
    public sealed override Task<KeySetReply> GetKeys(GetKeysRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        return HandleAsync(CallOperation.GetKeys, request, context, static (_, _, context, call) =>
        {
            // Resolved per call rather than injected, so that classes derived from this one keep their constructors.
            var document = context.GetHttpContext().RequestServices.GetRequiredService<JwksDocumentProvider>().GetDocument();
            call.Outcome = CallOutcome.Published;
            return ValueTask.FromResult<KeySetReply?>(new KeySetReply { JwksJson = Encoding.UTF8.GetString(document.Utf8Json), Version = document.Version });
        });
    }

    /// <summary>
    /// Exchanges <see cref="RefreshSessionRequest.RefreshToken"/> for a new session token and a new refresh token in
    /// the same chain (see <see cref="ISessionLifecycle"/> for rotation, reuse detection and the grace period: every
    /// presentation of one token within the grace period gets the same reply).
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The call context.</param>
    /// <returns>A reply like <c>Create</c>'s, with the new refresh token.</returns>
    /// <exception cref="RpcException">
    /// <see cref="StatusCode.InvalidArgument"/> when the refresh token is missing, unknown, expired, revoked or reused;
    /// <see cref="StatusCode.ResourceExhausted"/> when the chain is refreshed far more often than sessions expire;
    /// <see cref="StatusCode.Unavailable"/> when the session store cannot be reached.
    /// </exception>
    public sealed override Task<TokenReply> Refresh(RefreshSessionRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        return HandleAsync(CallOperation.Refresh, request, context, static (service, request, context, call) => service.RefreshCoreAsync(request, context, call));
    }

    /// <summary>
    /// Revokes one session, named by <see cref="RevokeSessionRequest.SessionId"/> or by its
    /// <see cref="RevokeSessionRequest.Token"/>, and the refresh chain it was issued from. Idempotent. Protect it: by
    /// default anyone who can call the service can revoke (see <see cref="OnRevokingAsync"/>).
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The call context.</param>
    /// <returns>A reply with <c>revoked</c> set and the time of the revocation.</returns>
    /// <exception cref="RpcException">
    /// <see cref="StatusCode.InvalidArgument"/> when neither is given, the id is not a UUID or the token is refused
    /// (the message names the reason); <see cref="StatusCode.Unavailable"/> when the session store cannot be reached.
    /// </exception>
    public sealed override Task<RevokeSessionReply> Revoke(RevokeSessionRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        return HandleAsync(CallOperation.Revoke, request, context, static (service, request, context, call) => service.RevokeCoreAsync(request, context, call));
    }

    /// <summary>
    /// Revokes every session and refresh token of <see cref="RevokeUserSessionsRequest.UserId"/> issued until now
    /// (sessions issued in the current second included). Protect it as <see cref="Revoke"/>.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The call context.</param>
    /// <returns>A reply with <c>revoked</c> set and the time of the revocation.</returns>
    /// <exception cref="RpcException">
    /// <see cref="StatusCode.InvalidArgument"/> when <c>user_id</c> is not a UUID; <see cref="StatusCode.Unavailable"/>
    /// when the session store cannot be reached.
    /// </exception>
    public sealed override Task<RevokeSessionReply> RevokeAll(RevokeUserSessionsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        return HandleAsync(CallOperation.RevokeAll, request, context, static (service, request, context, call) => service.RevokeAllCoreAsync(request, context, call));
    }

    /// <summary>
    /// Lists the live sessions with a refresh chain of <see cref="ListSessionsRequest.UserId"/>, newest first, for an
    /// account page ("your devices"). Privileged, like <see cref="RevokeAll"/>.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The call context.</param>
    /// <returns>The user's live chains with their newest session, times and client description.</returns>
    /// <exception cref="RpcException">
    /// <see cref="StatusCode.InvalidArgument"/> when <c>user_id</c> is not a UUID; <see cref="StatusCode.Unavailable"/>
    /// when the session store cannot be reached.
    /// </exception>
    public sealed override Task<ListSessionsReply> ListSessions(ListSessionsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        return HandleAsync(CallOperation.ListSessions, request, context, static (service, request, context, call) => service.ListSessionsCoreAsync(request, context, call));
    }

    /// <summary>
    /// Runs before <c>Revoke</c> or <c>RevokeAll</c> changes anything. The default does nothing; throw an
    /// <see cref="RpcException"/> (for example <see cref="StatusCode.PermissionDenied"/>) to refuse the call.
    /// </summary>
    /// <param name="request">The <see cref="RevokeSessionRequest"/> or <see cref="RevokeUserSessionsRequest"/>.</param>
    /// <param name="context">The call context.</param>
    /// <returns>A task that completes when the hook is done.</returns>
    protected virtual ValueTask OnRevokingAsync(IMessage request, ServerCallContext context) => ValueTask.CompletedTask;

    /// <summary>
    /// Runs after <c>user_id</c> was checked and before the session is issued. The default does nothing; throw an
    /// <see cref="RpcException"/> (for example <see cref="StatusCode.PermissionDenied"/>) to refuse the call.
    /// </summary>
    /// <param name="request">The request; its <c>user_id</c> is a UUID.</param>
    /// <param name="context">The call context.</param>
    /// <returns>A task that completes when the hook is done.</returns>
    protected virtual ValueTask OnCreatingAsync(CreateRequest request, ServerCallContext context) => ValueTask.CompletedTask;

    /// <summary>
    /// Runs after a session was issued, before the reply is sent. The default does nothing; the hook may change the
    /// reply, add response headers, or throw an <see cref="RpcException"/> to fail the call.
    /// </summary>
    /// <param name="session">The issued session. Its token is a secret: do not log it.</param>
    /// <param name="reply">The reply about to be sent.</param>
    /// <param name="context">The call context.</param>
    /// <returns>A task that completes when the hook is done.</returns>
    protected virtual ValueTask OnCreatedAsync(IssuedSession session, TokenReply reply, ServerCallContext context) => ValueTask.CompletedTask;

    /// <summary>
    /// Runs after a token was found valid, before the reply is sent. The default does nothing; the hook may change
    /// the reply, add response headers, or throw an <see cref="RpcException"/> to refuse the session after all.
    /// </summary>
    /// <param name="session">The validated session.</param>
    /// <param name="reply">The reply about to be sent.</param>
    /// <param name="context">The call context.</param>
    /// <returns>A task that completes when the hook is done.</returns>
    protected virtual ValueTask OnValidatedAsync(Session session, TokenReply reply, ServerCallContext context) => ValueTask.CompletedTask;

    private async ValueTask<TokenReply?> CreateCoreAsync(CreateRequest request, ServerCallContext context, CallRecord call)
    {
        var userId = request.UserId;
        if (!TryParseUuid(userId, out var uuid))
        {
            return call.Refuse<TokenReply>(CallOutcome.InvalidUserId, new RpcException(new Status(StatusCode.InvalidArgument, InvalidUserIdMessage)));
        }

        await OnCreatingAsync(request, context).ConfigureAwait(false);

        SessionClaims? claims;
        try
        {
            claims = ClaimValueMapper.FromRequest(request.Claims);
        }
        catch (RpcException)
        {
            call.Outcome = CallOutcome.InvalidClaims;
            throw;
        }

        var subject = IsCanonical(userId) ? userId : uuid.ToString("D");
        IssuedSession issued;
        RefreshTokenIssued? refresh = null;
        try
        {
            if (request.WithRefreshToken)
            {
                var description = request.ClientDescription;
                if (DescriptionLength.IsTooLong(description, out var characters))
                {
                    return call.Refuse<TokenReply>(CallOutcome.InvalidClientDescription, new RpcException(new Status(StatusCode.InvalidArgument,
                        $"client_description is {characters} characters long; at most {RefreshChainRecord.MaxDescriptionLength} are kept.")));
                }

                refresh = await RequireSessions(call).IssueWithRefreshTokenAsync(subject, claims, description, context.CancellationToken).ConfigureAwait(false);
                issued = refresh.Session;
            }
            else
            {
                // The description is kept with a refresh chain, and a session without one keeps nothing: issuing it
                // would drop a field the caller set, and ListSessions would never show the device it names.
                if (request.ClientDescription.Length > 0)
                {
                    return call.Refuse<TokenReply>(CallOutcome.InvalidClientDescription, new RpcException(new Status(StatusCode.InvalidArgument, DescriptionWithoutRefreshTokenMessage)));
                }

                issued = await _issuer.IssueAsync(subject, claims, context.CancellationToken).ConfigureAwait(false);
            }
        }
        catch (ArgumentException ex) when (claims is not null && ex.ParamName != "subject")
        {
            // The issuer's message names the claim and the limit; it never holds a token or a key.
            call.Outcome = CallOutcome.InvalidClaims;
            throw new RpcException(new Status(StatusCode.InvalidArgument, WithoutParameterName(ex)));
        }
        catch (ArgumentException)
        {
            call.Outcome = CallOutcome.InvalidUserId;
            throw new RpcException(new Status(StatusCode.InvalidArgument, "user_id was refused by the session issuer."));
        }

        call.SessionId = issued.SessionId.ToString("D");
        var reply = new TokenReply
        {
            Valid = true,
            Token = issued.Token,
            IssuedAt = issued.IssuedAt.ToUnixTimeSeconds(),
            ExpiredAt = issued.ExpiresAt.ToUnixTimeSeconds(),
            Subject = subject,
            SessionId = call.SessionId,
            NotBefore = issued.IssuedAt.ToUnixTimeSeconds(),
        };
        if (claims is not null)
        {
            ClaimValueMapper.ToReply(claims, reply.Claims);
        }

        if (refresh is not null)
        {
            reply.RefreshToken = refresh.RefreshToken;
            reply.RefreshExpiresAt = refresh.RefreshExpiresAt.ToUnixTimeSeconds();
            reply.ChainId = refresh.ChainId;
        }

        await OnCreatedAsync(issued, reply, context).ConfigureAwait(false);
        call.Outcome = CallOutcome.Issued;
        return reply;
    }

    private async ValueTask<TokenReply?> ValidateCoreAsync(ValidateTokenRequest request, ServerCallContext context, CallRecord call)
    {
        var result = await _validator.ValidateAsync(request.Token, context.CancellationToken).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return call.Refuse<TokenReply>(CallOutcome.Refused(result.FailureReason), SessionFailureStatus.ToRpcException(result.FailureReason));
        }

        var session = result.Session;
        call.SessionId = session.Id;
        var reply = new TokenReply
        {
            Valid = true,
            Token = request.Token,
            IssuedAt = session.IssuedAt.ToUnixTimeSeconds(),
            ExpiredAt = session.ExpiresAt.ToUnixTimeSeconds(),
            Subject = session.Subject,
            SessionId = session.Id,
            NotBefore = session.NotBefore?.ToUnixTimeSeconds() ?? 0,
        };
        ClaimValueMapper.ToReply(session.Claims, reply.Claims);
        await OnValidatedAsync(session, reply, context).ConfigureAwait(false);
        call.Outcome = CallOutcome.Valid;
        return reply;
    }

    private async ValueTask<TokenReply?> RefreshCoreAsync(RefreshSessionRequest request, ServerCallContext context, CallRecord call)
    {
        var sessions = RequireSessions(call);
        if (request.RefreshToken.Length == 0)
        {
            return call.Refuse<TokenReply>(CallOutcome.RefreshTokenMissing, RefreshFailureStatus.Missing());
        }

        SessionRefreshResult result;
        try
        {
            result = await sessions.RefreshAsync(request.RefreshToken, context.CancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException)
        {
            // The chain's claims were stored under looser limits than those configured now; nothing was rotated.
            call.Outcome = CallOutcome.ClaimsOverLimits;
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                "the session's claims no longer fit the server's claim limits; create a new session."));
        }

        if (result.Issued is not { } refreshed)
        {
            return call.Refuse<TokenReply>(CallOutcome.RefreshRefused(result.Status), RefreshFailureStatus.ToRpcException(result.Status));
        }

        var issued = refreshed.Session;
        call.SessionId = issued.SessionId.ToString("D");
        call.Outcome = result.Status == RefreshTokenRotationStatus.Rotated ? CallOutcome.Refreshed : CallOutcome.RefreshedWithinGracePeriod;
        var reply = new TokenReply
        {
            Valid = true,
            Token = issued.Token,
            IssuedAt = issued.IssuedAt.ToUnixTimeSeconds(),
            ExpiredAt = issued.ExpiresAt.ToUnixTimeSeconds(),
            Subject = refreshed.Subject,
            SessionId = call.SessionId,
            RefreshToken = refreshed.RefreshToken,
            RefreshExpiresAt = refreshed.RefreshExpiresAt.ToUnixTimeSeconds(),
            ChainId = refreshed.ChainId,
        };
        ClaimValueMapper.ToReply(refreshed.Claims, reply.Claims);
        return reply;
    }

    private async ValueTask<RevokeSessionReply?> RevokeCoreAsync(RevokeSessionRequest request, ServerCallContext context, CallRecord call)
    {
        var sessions = RequireSessions(call);
        await OnRevokingAsync(request, context).ConfigureAwait(false);
        DateTimeOffset revokedAt;
        switch (request.TargetCase)
        {
            case RevokeSessionRequest.TargetOneofCase.SessionId:
                if (!TryParseUuid(request.SessionId, out var sessionId))
                {
                    return call.Refuse<RevokeSessionReply>(CallOutcome.InvalidSessionId,
                        new RpcException(new Status(StatusCode.InvalidArgument, "session_id must be a UUID, as returned in TokenReply.session_id.")));
                }

                call.SessionId = sessionId.ToString("D");
                revokedAt = await sessions.RevokeSessionAsync(call.SessionId, context.CancellationToken).ConfigureAwait(false);
                break;
            case RevokeSessionRequest.TargetOneofCase.Token:
                revokedAt = _timeProvider.GetUtcNow();
                var reason = await sessions.RevokeTokenAsync(request.Token, context.CancellationToken).ConfigureAwait(false);
                if (reason != SessionFailureReason.None)
                {
                    return call.Refuse<RevokeSessionReply>(CallOutcome.Refused(reason), SessionFailureStatus.ToRpcException(reason));
                }

                // The lifecycle answers with the outcome alone; the call's line names the session the holder ended, read
                // from the token once more (a rare call, and no I/O: the token was just verified).
                var revoked = await _validator.ValidateAsync(request.Token, context.CancellationToken).ConfigureAwait(false);
                call.SessionId = (revoked.Session ?? revoked.RevokedSession)?.Id;
                break;
            default:
                return call.Refuse<RevokeSessionReply>(CallOutcome.MissingTarget,
                    new RpcException(new Status(StatusCode.InvalidArgument, "Give the session to revoke: session_id or token.")));
        }

        call.Outcome = CallOutcome.Revoked;
        return new RevokeSessionReply { Revoked = true, RevokedAt = revokedAt.ToUnixTimeSeconds() };
    }

    private async ValueTask<RevokeSessionReply?> RevokeAllCoreAsync(RevokeUserSessionsRequest request, ServerCallContext context, CallRecord call)
    {
        var sessions = RequireSessions(call);
        if (!TryParseUuid(request.UserId, out var uuid))
        {
            return call.Refuse<RevokeSessionReply>(CallOutcome.InvalidUserId, new RpcException(new Status(StatusCode.InvalidArgument, InvalidUserIdMessage)));
        }

        await OnRevokingAsync(request, context).ConfigureAwait(false);
        var revokedAt = await sessions.RevokeSubjectAsync(uuid.ToString("D"), context.CancellationToken).ConfigureAwait(false);
        call.Outcome = CallOutcome.RevokedAll;
        return new RevokeSessionReply { Revoked = true, RevokedAt = revokedAt.ToUnixTimeSeconds() };
    }

    private async ValueTask<ListSessionsReply?> ListSessionsCoreAsync(ListSessionsRequest request, ServerCallContext context, CallRecord call)
    {
        var sessions = RequireSessions(call);
        if (!TryParseUuid(request.UserId, out var uuid))
        {
            return call.Refuse<ListSessionsReply>(CallOutcome.InvalidUserId, new RpcException(new Status(StatusCode.InvalidArgument, InvalidUserIdMessage)));
        }

        var chains = await sessions.ListSessionsAsync(uuid.ToString("D"), context.CancellationToken).ConfigureAwait(false);
        var reply = new ListSessionsReply();
        foreach (var chain in chains)
        {
            reply.Sessions.Add(new SessionSummary
            {
                ChainId = chain.ChainId,
                SessionId = chain.CurrentSessionId,
                CreatedAt = chain.CreatedAt.ToUnixTimeSeconds(),
                LastRefreshedAt = chain.LastRefreshedAt.ToUnixTimeSeconds(),
                ExpiresAt = chain.ExpiresAt.ToUnixTimeSeconds(),
                ClientDescription = chain.Description ?? string.Empty,
            });
        }

        call.Outcome = CallOutcome.Listed;
        return reply;
    }

    private ISessionLifecycle RequireSessions(CallRecord call)
    {
        if (_sessions is null)
        {
            call.Outcome = CallOutcome.Unimplemented;
            throw new RpcException(new Status(StatusCode.Unimplemented, "Refresh tokens and revocation need a session store: register one with AddSessions() (in-memory by default) or AddRedisStore()."));
        }

        call.UsesStore = true;
        return _sessions;
    }

    /// <summary>
    /// The service edge shared by every call: checks a privileged call's caller before anything else, measures the
    /// call, writes its one log line, and turns unexpected exceptions into a generic <see cref="StatusCode.Internal"/>
    /// status so that no stack trace reaches the client.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The handler gets the service as an argument so that each method passes a static lambda, one delegate for the
    /// life of the process, rather than a method group, a new delegate on every call.
    /// </para>
    /// <para>
    /// A refusal of the caller's input (an expired token, a user id that is not a UUID, a privileged call without its
    /// key) is returned as a faulted task, never thrown in here: in Native AOT each throw, and each await that rethrows,
    /// unwinds the stack through its DWARF tables, and a refused <c>Validate</c> used to throw four times, three times the
    /// instructions of a valid one, for the input an attacker chooses. The handlers report such refusals with
    /// <see cref="CallRecord.Refuse{TReply}"/> and a <see langword="null"/> reply; exceptions still work the same (the
    /// hooks throw <see cref="RpcException"/>).
    /// </para>
    /// </remarks>
    private Task<TReply> HandleAsync<TRequest, TReply>(
        CallOperation operation,
        TRequest request,
        ServerCallContext context,
        Func<SessionsService, TRequest, ServerCallContext, CallRecord, ValueTask<TReply?>> handler)
        where TReply : class
    {
        var call = new CallRecord();
        var handled = HandleCoreAsync(operation, request, context, handler, call);
        if (handled.IsCompletedSuccessfully)
        {
            return handled.Result is { } reply ? Task.FromResult(reply) : Task.FromException<TReply>(call.Refusal!);
        }

        var pending = handled.AsTask();
        if (pending.IsFaulted && pending.Exception!.InnerException is { } failure)
        {
            return Task.FromException<TReply>(failure);
        }

        return AwaitHandledAsync(pending, call);
    }

    private static async Task<TReply> AwaitHandledAsync<TReply>(Task<TReply?> handled, CallRecord call)
        where TReply : class =>
        await handled.ConfigureAwait(false) ?? throw call.Refusal!;

    private async ValueTask<TReply?> HandleCoreAsync<TRequest, TReply>(
        CallOperation operation,
        TRequest request,
        ServerCallContext context,
        Func<SessionsService, TRequest, ServerCallContext, CallRecord, ValueTask<TReply?>> handler,
        CallRecord call)
        where TReply : class
    {
        var started = _timeProvider.GetTimestamp();
        var status = StatusCode.OK;
        using var activity = SessionsTelemetry.StartActivity(operation);
        try
        {
            if (PrivilegedCallsOf(context)?.Authorize(context, request!) is { } authorization)
            {
                if (authorization.IsFaulted && authorization.Exception!.InnerException is RpcException refused)
                {
                    status = refused.StatusCode;
                    return call.Refuse<TReply>(PrivilegedRefusal(refused.StatusCode), refused);
                }

                await AuthorizedAsync(authorization, call).ConfigureAwait(false);
            }

            var reply = await handler(this, request, context, call).ConfigureAwait(false);
            if (reply is null)
            {
                status = call.Refusal!.StatusCode;
                return null;
            }

            call.Succeeded = true;
            if (call.UsesStore)
            {
                // The store answers again: an outage after this one starts with its own first line.
                _storeFailures.Answered();
            }

            return reply;
        }
        catch (RpcException ex)
        {
            call.Outcome ??= CallOutcome.FromStatus(ex.StatusCode);
            status = ex.StatusCode;
            throw;
        }
        catch (SessionStoreUnavailableException ex)
        {
            // The store's own words go to the log only: clients get a fixed message without endpoints or key names.
            call.Outcome = CallOutcome.StoreUnavailable;
            status = StatusCode.Unavailable;
            LogStoreUnavailable(operation, ex);
            throw new RpcException(
                new Status(StatusCode.Unavailable, StoreUnavailableMessage),
                new Metadata { { SessionsMetadataKeys.FailureReason, SessionFailureStatus.GetName(SessionFailureReason.Unavailable) } });
        }
        catch (SessionStoreLimitException ex)
        {
            // The message names the cap and what to do; it holds no token and no key.
            call.Outcome = CallOutcome.StoreLimit;
            status = StatusCode.ResourceExhausted;
            throw new RpcException(new Status(StatusCode.ResourceExhausted, ex.Message));
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            call.Outcome = CallOutcome.Cancelled;
            status = StatusCode.Cancelled;
            throw;
        }
#pragma warning disable CA1031 // The edge must turn every unexpected exception into a status without details.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SessionsLog.CallFailed(_logger, operation.Name, Elapsed(started), ex);
            call.Outcome = CallOutcome.InternalError;
            status = StatusCode.Internal;
            call.Logged = true;
            throw new RpcException(new Status(StatusCode.Internal, "The sessions service failed; see the server log."));
        }
        finally
        {
            var elapsed = Elapsed(started);
            var outcome = call.Outcome ?? CallOutcome.Unknown;
            if (!call.Logged)
            {
                SessionsLog.CallCompleted(_logger, operation.Name, outcome.Name, call.SessionId, elapsed);
            }

            _telemetry.CallCompleted(operation, outcome, status, elapsed / 1000);
            if (activity is not null)
            {
                SessionsTelemetry.CallEnded(activity, outcome, status, call.SessionId);
            }
        }
    }

    // An outage of the store refuses every call that needs it, thousands a second under load: each still gets its
    // CallCompleted line, but this warning is written for the first, then at most once per RepeatedFailures.Interval
    // with how many were not (the store logs its own outage and its end).
    private void LogStoreUnavailable(CallOperation operation, SessionStoreUnavailableException ex)
    {
        var line = _storeFailures.Failed();
        if (!line.Write)
        {
            return;
        }

        if (line.NotWritten == 0)
        {
            SessionsLog.StoreUnavailable(_logger, operation.Name, ex.Message);
        }
        else
        {
            SessionsLog.StoreStillUnavailable(_logger, operation.Name, ex.Message, line.NotWritten, line.SinceLastLine.TotalSeconds);
        }
    }

    private static async Task AuthorizedAsync(Task authorization, CallRecord call)
    {
        try
        {
            await authorization.ConfigureAwait(false);
        }
        catch (RpcException ex)
        {
            call.Outcome = PrivilegedRefusal(ex.StatusCode);
            throw;
        }
    }

    private static CallOutcome PrivilegedRefusal(StatusCode status) =>
        status == StatusCode.PermissionDenied ? CallOutcome.PermissionDenied : CallOutcome.Unauthenticated;

    /// <summary>
    /// The gate of the privileged calls; <see langword="null"/> only for a service hosted without <c>AddSessions()</c>,
    /// which has no privileged-call policy either.
    /// </summary>
    private PrivilegedCallGate? PrivilegedCallsOf(ServerCallContext context)
    {
        if (_privilegedCalls is { } gate)
        {
            return gate;
        }

        gate = context.GetHttpContext().RequestServices.GetService<PrivilegedCallGate>();
        _privilegedCalls = gate;
        return gate;
    }

    /// <summary>The one check of every UUID a request carries: short enough to parse at all, then a UUID.</summary>
    /// <summary>
    /// The message of <paramref name="ex"/> without the <c> (Parameter 'name')</c> the runtime appends to it, which names
    /// a parameter of the issuer's code, not a field of the request.
    /// </summary>
    private static string WithoutParameterName(ArgumentException ex)
    {
        var message = ex.Message;
        var suffix = $" (Parameter '{ex.ParamName}')";
        return ex.ParamName is not null && message.EndsWith(suffix, StringComparison.Ordinal) ? message[..^suffix.Length] : message;
    }

    private static bool TryParseUuid(string text, out Guid uuid)
    {
        uuid = default;
        return text.Length <= MaxUserIdLength && Guid.TryParse(text, out uuid);
    }

    /// <summary>
    /// Whether a text <see cref="TryParseUuid"/> accepted is already the canonical subject (lower-case D format), so
    /// that it need not be formatted again: of the formats Guid.TryParse accepts, only D is 36 characters long with
    /// dashes at 8, 13, 18 and 23, and surrounding white space would move them.
    /// </summary>
    private static bool IsCanonical(string parsedUuid) =>
        parsedUuid.Length == 36 && parsedUuid[8] == '-' && parsedUuid[13] == '-' && parsedUuid[18] == '-' && parsedUuid[23] == '-'
        && !parsedUuid.AsSpan().ContainsAnyInRange('A', 'Z');

    private double Elapsed(long started) => _timeProvider.GetElapsedTime(started).TotalMilliseconds;
}
