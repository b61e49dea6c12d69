using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sessions.Grpc.Internal;
using Sessions.Grpc.Internal.Authentication;

namespace Sessions.Grpc;

/// <summary>
/// A gRPC server interceptor that requires a valid session on every call, for hosts that do not use ASP.NET Core
/// authentication: reads <c>authorization: Bearer &lt;token&gt;</c>, validates it locally with the registered
/// <see cref="ISessionValidator"/> and makes the session available to the service through
/// <c>context.GetSession()</c>. Register it with <c>services.AddGrpc().AddSessionAuthentication()</c>.
/// </summary>
/// <remarks>
/// A call without a token ends with <see cref="StatusCode.Unauthenticated"/>; a refused token with
/// <see cref="StatusCode.Unauthenticated"/> and the reason (<c>token is expired</c>) in the message and in the
/// <see cref="SessionsMetadataKeys.FailureReason"/> trailer — never the token; a validator that cannot decide with
/// <see cref="StatusCode.Unavailable"/>. Methods in <see cref="SessionAuthenticationInterceptorOptions.AllowAnonymous"/>
/// pass without a session (one that is sent is still validated and made available).
/// </remarks>
public sealed class SessionAuthenticationInterceptor : Interceptor
{
    private readonly ISessionValidator _validator;
    private readonly SessionAuthenticationInterceptorOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the interceptor.</summary>
    /// <param name="validator">Validates the tokens.</param>
    /// <param name="options">The methods that need no session.</param>
    /// <param name="logger">Receives one line per refused call (the reason, never the token).</param>
    public SessionAuthenticationInterceptor(ISessionValidator validator, IOptions<SessionAuthenticationInterceptorOptions> options, ILogger<SessionAuthenticationInterceptor> logger)
    {
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _validator = validator;
        _options = options.Value;
        _logger = logger;
    }

    /// <inheritdoc/>
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        await AuthenticateAsync(context).ConfigureAwait(false);
        return await continuation(request, context).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        await AuthenticateAsync(context).ConfigureAwait(false);
        return await continuation(requestStream, context).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        await AuthenticateAsync(context).ConfigureAwait(false);
        await continuation(request, responseStream, context).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        await AuthenticateAsync(context).ConfigureAwait(false);
        await continuation(requestStream, responseStream, context).ConfigureAwait(false);
    }

    private async ValueTask AuthenticateAsync(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var token = BearerToken.Read(context.RequestHeaders.GetValue(BearerToken.HeaderName));
        var requirements = RequirementsOf(context.Method);
        if (token is null)
        {
            if (requirements is null && IsAnonymous(context))
            {
                return;
            }

            SessionAuthenticationLog.SessionMissing(_logger, context.Method);
            throw SessionAuthenticationStatus.Missing();
        }

        var result = await _validator.ValidateAsync(token, context.CancellationToken).ConfigureAwait(false);
        if (!result.IsValid)
        {
            // A method that needs no session answers a refused token as it answers none, as [AllowAnonymous] does under
            // the authentication handler: a client whose credentials send its expired token with every call can still
            // refresh it, and health probes through such a client still pass.
            if (requirements is null && IsAnonymous(context))
            {
                SessionAuthenticationLog.SessionIgnored(_logger, context.Method, result.FailureReason);
                return;
            }

            SessionAuthenticationLog.SessionRejected(_logger, context.Method, result.FailureReason);
            throw SessionAuthenticationStatus.Invalid(result.FailureReason);
        }

        if (requirements is not null && SessionRequirement.FirstUnmet(requirements, result.Session) is { } unmet)
        {
            SessionAuthenticationLog.RequirementUnmet(_logger, context.Method, unmet.Description);
            throw SessionAuthenticationStatus.PermissionDenied(unmet);
        }

        context.SetSession(result.Session);

        // Service code that reads HttpContext.User sees the same principal the authentication handler would build.
        if (SessionContextExtensions.TryGetHttpContext(context) is { } httpContext)
        {
            httpContext.User = SessionPrincipalFactory.Create(result.Session, SessionAuthenticationDefaults.AuthenticationScheme,
                SessionAuthenticationDefaults.NameClaimType, SessionAuthenticationDefaults.RoleClaimType);
        }
    }

    private List<SessionRequirement>? RequirementsOf(string method)
    {
        if (_options.Requirements.Count == 0)
        {
            return null;
        }

        List<SessionRequirement>? all = null;
        var slash = method.LastIndexOf('/');
        if (slash > 1 && _options.Requirements.TryGetValue(method[1..slash], out var forService))
        {
            (all ??= []).AddRange(forService);
        }

        if (_options.Requirements.TryGetValue(method, out var forMethod))
        {
            (all ??= []).AddRange(forMethod);
        }

        return all;
    }

    private bool IsAnonymous(ServerCallContext context)
    {
        var method = context.Method;
        if (_options.AllowAnonymous.Count > 0)
        {
            if (_options.AllowAnonymous.Contains(method))
            {
                return true;
            }

            // "/package.Service/Method": the service is between the leading slash and the last one.
            var slash = method.LastIndexOf('/');
            if (slash > 1 && _options.AllowAnonymous.Contains(method[1..slash]))
            {
                return true;
            }
        }

        return SessionContextExtensions.TryGetHttpContext(context)?.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null;
    }
}
