using System.Security.Claims;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sessions.Grpc.Internal.Hosting;

namespace Sessions.Grpc.Internal.Privileged;

/// <summary>
/// Puts the privileged calls (<see cref="PrivilegedCalls"/>) of <see cref="SessionsService"/> and of the services
/// derived from it behind <see cref="SessionsServiceOptions.ApiKey"/> and <see cref="SessionsServiceOptions.PrivilegedPolicy"/>, before the call's work starts: the
/// service edge asks it first on every call. Open calls pass without an allocation or an await.
/// </summary>
/// <remarks>
/// <para>
/// It is part of the service edge rather than a gRPC interceptor because an interceptor costs every call, open ones
/// included, an activation from the request's services and an asynchronous layer around the service method; the edge
/// is the one path every call of the service takes (its methods are sealed), so nothing goes around it.
/// </para>
/// <para>
/// <see cref="SessionsServiceOptions.ApiKey"/> it checks itself, synchronously: a caller with the key passes without
/// ASP.NET Core's authentication and authorization, one with another value is refused, one that sends the header more
/// than once is refused as malformed (<c>Unauthenticated</c>: <see cref="ApiKeyCheck.SentMoreThanOnce"/>), one without
/// any (or with an empty one: <see cref="ApiKeyCheck.CarriesNoKey"/>) is left to the policy (or refused when there is none).
/// </para>
/// <para>
/// It authenticates with the policy's schemes as ASP.NET Core's policy evaluator does, but keeps what the evaluator
/// forgets: whether credentials were sent and refused (<c>PermissionDenied</c>) or not sent at all
/// (<c>Unauthenticated</c>). The authenticated caller becomes <c>HttpContext.User</c>, so hooks of a derived service
/// see who made the call.
/// </para>
/// </remarks>
internal sealed class PrivilegedCallGate(SessionsServiceSettings settings, ILogger<PrivilegedCallGate> logger)
{
    private readonly RotatingApiKeyCheck _apiKeys = new();

    /// <summary>
    /// Checks the caller of a privileged call against <see cref="SessionsServiceOptions.ApiKey"/> and the policy;
    /// <see langword="null"/> when the caller may make the call without more ado (an open call, or the right key).
    /// </summary>
    /// <param name="context">The call.</param>
    /// <param name="request">Its request message (<c>Revoke</c> is privileged by <c>session_id</c> only).</param>
    /// <returns>A task that fails with an <see cref="RpcException"/> when the caller may not make the call.</returns>
    public Task? Authorize(ServerCallContext context, object request)
    {
        var current = settings.Current;
        if ((current.PrivilegedPolicy is null && current.ApiKey is null)
            || PrivilegedCalls.NameOf(context.Method, request) is not { } name
            || (current.AnonymousCreate && name == PrivilegedCalls.Create))
        {
            return null;
        }

        if (current.ApiKey is { } key)
        {
            // Checked here rather than through an authentication scheme: no handler, authorization service or
            // dependencies made per call, no await.
            var http = context.GetHttpContext();
            var sent = http.Request.Headers[SessionsApiKeyDefaults.MetadataKey];
            if (sent.Count == 1 && _apiKeys.Match(sent[0] ?? string.Empty, key, current.PreviousApiKey) is var match and not ApiKeyMatch.None)
            {
                if (match == ApiKeyMatch.PreviousKey)
                {
                    PrivilegedCallsLog.PreviousApiKeyUsed(logger, name, context.Peer);
                }

                http.User = ApiKeyCheck.Caller(SessionsApiKeyDefaults.AuthenticationScheme);
                return null;
            }

            if (!ApiKeyCheck.CarriesNoKey(sent))
            {
                // Sent more than once is not a wrong key but a malformed request (a client or proxy that adds the header
                // again): answered as one without usable credentials, whatever the values are, so that it says nothing
                // about the key.
                return ApiKeyCheck.SentMoreThanOnce(sent)
                    ? Refuse(name, new Status(StatusCode.Unauthenticated,
                        $"{name} is a privileged call and {SessionsApiKeyDefaults.DisplayName} was sent more than once: send it once, with the key."))
                    : Refuse(name, new Status(StatusCode.PermissionDenied,
                        $"{name} is a privileged call and the credentials sent were refused: {SessionsApiKeyDefaults.DisplayName}."));
            }

            if (current.PrivilegedPolicy is null)
            {
                return Refuse(name, new Status(StatusCode.Unauthenticated,
                    $"{name} is a privileged call and needs credentials: {SessionsApiKeyDefaults.DisplayName}."));
            }
        }

        return AuthorizeAsync(name, current.PrivilegedPolicy!, apiKeyAccepted: current.ApiKey is not null, context);
    }

    private Task Refuse(string call, Status status)
    {
        PrivilegedCallsLog.RefusedByApiKey(logger, call, status.StatusCode);
        return Task.FromException(new RpcException(status));
    }

    // The policy of the last privileged call, when its provider lets it be kept (the default provider does): looking it
    // up costs a dictionary lookup and a task per call otherwise. A reference to an immutable pair, so that calls on
    // other threads read a name and its policy together, never one without the other.
    private Tuple<string, AuthorizationPolicy>? _cachedPolicy;

    private async ValueTask<AuthorizationPolicy> PolicyAsync(string policyName, IServiceProvider services)
    {
        if (Volatile.Read(ref _cachedPolicy) is { } cached && cached.Item1 == policyName)
        {
            return cached.Item2;
        }

        var provider = services.GetRequiredService<IAuthorizationPolicyProvider>();
        var policy = await provider.GetPolicyAsync(policyName).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The authorization policy '{policyName}' of Sessions:PrivilegedPolicy does not exist.");
        if (provider.AllowsCachingPolicies)
        {
            Volatile.Write(ref _cachedPolicy, Tuple.Create(policyName, policy));
        }

        return policy;
    }

    private async Task AuthorizeAsync(string call, string policyName, bool apiKeyAccepted, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        var services = http.RequestServices;
        var policy = await PolicyAsync(policyName, services).ConfigureAwait(false);

        var (user, refusedSchemes) = await AuthenticateAsync(http, policy).ConfigureAwait(false);
        var result = await services.GetRequiredService<IAuthorizationService>().AuthorizeAsync(user, http, policy).ConfigureAwait(false);
        if (result.Succeeded)
        {
            http.User = user;
            return;
        }

        var status = await RefusalAsync(call, policyName, policy, apiKeyAccepted, user, refusedSchemes, result.Failure, services).ConfigureAwait(false);
        PrivilegedCallsLog.Refused(logger, call, status.StatusCode, policyName);
        throw new RpcException(status);
    }

    /// <summary>The caller as the policy's schemes see it, and the schemes that were sent credentials they refused.</summary>
    private static async Task<(ClaimsPrincipal User, List<string> RefusedSchemes)> AuthenticateAsync(HttpContext http, AuthorizationPolicy policy)
    {
        var refused = new List<string>();
        if (policy.AuthenticationSchemes.Count == 0)
        {
            return (http.User, refused);
        }

        ClaimsPrincipal? user = null;
        foreach (var scheme in policy.AuthenticationSchemes)
        {
            var result = await http.AuthenticateAsync(scheme).ConfigureAwait(false);
            if (result.Succeeded)
            {
                user ??= new ClaimsPrincipal();
                user.AddIdentities(result.Principal.Identities);
            }
            else if (result.Failure is not null)
            {
                refused.Add(scheme);
            }
        }

        return (user ?? new ClaimsPrincipal(new ClaimsIdentity()), refused);
    }

    private static async Task<Status> RefusalAsync(string call, string policyName, AuthorizationPolicy policy, bool apiKeyAccepted, ClaimsPrincipal user, List<string> refusedSchemes, AuthorizationFailure? failure, IServiceProvider services)
    {
        var reasons = failure is null ? string.Empty : string.Join(" ", failure.FailureReasons.Select(reason => reason.Message));
        if (failure?.FailCalled == true && reasons.Length > 0)
        {
            // A requirement refused outright and said why: no credentials would change that.
            return new Status(StatusCode.PermissionDenied, $"{call} is a privileged call and is refused: {reasons}");
        }

        if (!user.Identities.Any(identity => identity.IsAuthenticated))
        {
            if (refusedSchemes.Count > 0)
            {
                return new Status(StatusCode.PermissionDenied,
                    $"{call} is a privileged call and the credentials sent were refused: {string.Join(" or ", await DescribeAsync(refusedSchemes, services).ConfigureAwait(false))}.");
            }

            // What would have let the caller in: the key of Sessions:ApiKey, then the policy's schemes.
            var accepted = new List<string>();
            if (apiKeyAccepted)
            {
                accepted.Add(SessionsApiKeyDefaults.DisplayName);
            }

            if (policy.AuthenticationSchemes.Count > 0)
            {
                accepted.AddRange((await DescribeAsync(policy.AuthenticationSchemes, services).ConfigureAwait(false)).Except(accepted));
            }

            return policy.AuthenticationSchemes.Count > 0 || apiKeyAccepted
                ? new Status(StatusCode.Unauthenticated,
                    $"{call} is a privileged call and needs credentials: {string.Join(" or ", accepted)}" +
                    (policy.AuthenticationSchemes.Count == 0 ? $", or an authenticated caller (authorization policy '{policyName}')." : "."))
                : new Status(StatusCode.Unauthenticated,
                    $"{call} is a privileged call and needs an authenticated caller (authorization policy '{policyName}').");
        }

        return new Status(StatusCode.PermissionDenied,
            $"{call} is a privileged call and the caller does not satisfy the authorization policy '{policyName}'." + (reasons.Length > 0 ? " " + reasons : string.Empty));
    }

    /// <summary>The schemes by display name (<c>the x-api-key header (gRPC metadata)</c>), or by name when they have none (<c>Bearer</c>).</summary>
    private static async Task<List<string>> DescribeAsync(IEnumerable<string> schemes, IServiceProvider services)
    {
        var provider = services.GetRequiredService<IAuthenticationSchemeProvider>();
        var names = new List<string>();
        foreach (var name in schemes)
        {
            names.Add((await provider.GetSchemeAsync(name).ConfigureAwait(false))?.DisplayName ?? name);
        }

        return names;
    }
}
