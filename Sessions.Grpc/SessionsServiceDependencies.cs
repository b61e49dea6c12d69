using Microsoft.Extensions.Logging;
using Sessions.Grpc.Internal;
using Sessions.Grpc.Internal.Privileged;
using Sessions.Internal;

namespace Sessions.Grpc;

/// <summary>
/// What <see cref="SessionsService"/> needs, in one parameter, so that a derived service passes one argument to its base
/// whatever the base needs now or later:
/// <c>public sealed class MyService(SessionsServiceDependencies dependencies, IMyQueue queue) : SessionsService(dependencies)</c>.
/// Registered by <c>AddSessions()</c> as a singleton.
/// </summary>
public sealed class SessionsServiceDependencies
{
    /// <summary>Gathers the dependencies of <see cref="SessionsService"/>.</summary>
    /// <param name="issuer">Issues the tokens returned by <c>Create</c>.</param>
    /// <param name="validator">Validates the tokens given to <c>Validate</c>.</param>
    /// <param name="timeProvider">Measures call durations for the log.</param>
    /// <param name="logger">Receives one line per call.</param>
    /// <param name="telemetry">Receives one measurement per call.</param>
    /// <param name="sessions">
    /// The session lifecycle (refresh tokens, revocation, listing); the default, <see langword="null"/>, offers none
    /// of it: <c>Refresh</c>, <c>Revoke</c>, <c>RevokeAll</c>, <c>ListSessions</c> and <c>with_refresh_token</c> fail
    /// with <c>Unimplemented</c>.
    /// </param>
    public SessionsServiceDependencies(ISessionIssuer issuer, ISessionValidator validator, TimeProvider timeProvider, ILogger<SessionsService> logger, SessionsTelemetry telemetry, ISessionLifecycle? sessions = null)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(telemetry);
        Issuer = issuer;
        Validator = validator;
        TimeProvider = timeProvider;
        Logger = logger;
        Telemetry = telemetry;
        Sessions = sessions;
        StoreFailures = new RepeatedFailures(timeProvider);
    }

    /// <summary>Issues the tokens returned by <c>Create</c>.</summary>
    public ISessionIssuer Issuer { get; }

    /// <summary>Validates the tokens given to <c>Validate</c>.</summary>
    public ISessionValidator Validator { get; }

    /// <summary>Measures call durations for the log.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Receives one line per call.</summary>
    public ILogger<SessionsService> Logger { get; }

    /// <summary>Receives one measurement per call.</summary>
    public SessionsTelemetry Telemetry { get; }

    /// <summary>The session lifecycle, or <see langword="null"/> when the service offers none (the default).</summary>
    public ISessionLifecycle? Sessions { get; }

    /// <summary>
    /// The calls refused because the session store is unavailable, shared by every service made from these dependencies
    /// (a scoped service too), so that an outage under load logs a bounded number of lines.
    /// </summary>
    internal RepeatedFailures StoreFailures { get; }

    /// <summary>The check of the privileged calls, set by <c>AddSessions()</c>.</summary>
    internal PrivilegedCallGate? PrivilegedCalls { get; init; }
}
