using Microsoft.Extensions.Logging;

namespace Sessions.Redis.Internal;

/// <summary>
/// Log messages of Sessions.Redis (event ids 300–399). None carries a token, a key name or a password: endpoints are
/// named from the parsed configuration (host and port).
/// </summary>
/// <remarks>
/// A failed store operation is 305 <c>StoreUnavailable</c> for the first of an outage, then at most one 314
/// <c>StoreStillUnavailable</c> every <see cref="Sessions.Internal.RepeatedFailures.Interval"/> with how many were not
/// logged, and 315 <c>StoreAvailable</c> once Redis answers again (<see cref="Sessions.Internal.RepeatedFailures"/>).
/// Revocations that replicas do not acknowledge in time are 307 <c>ReplicaTimeout</c> for the first, then at most one
/// 316 <c>ReplicaStillTimingOut</c> per interval, until replicas acknowledge again. The session-event sink logs its
/// outages with the same 305, 314 and 315, and events dropped because its queue is full as 317 <c>EventsDropped</c> (at
/// most one line per interval) until 318 <c>EventsQueueAccepting</c>.
/// </remarks>
internal static partial class RedisLog
{
    [LoggerMessage(EventId = 300, EventName = "LogReplayed", Level = LogLevel.Information,
        Message = "Replayed the revocation log of Redis {Endpoints}; revocations in force: {Count}; the local revocation set is current.")]
    public static partial void LogReplayed(ILogger logger, string endpoints, int count);

    [LoggerMessage(EventId = 301, EventName = "LogUnreachable", Level = LogLevel.Warning,
        Message = "Cannot read the revocation log of Redis {Endpoints} ({ErrorType}); known revocations stay in force, other sessions are trusted for {ToleranceSeconds} s, then validation follows UnavailableBehavior.")]
    public static partial void LogUnreachable(ILogger logger, string endpoints, string errorType, double toleranceSeconds);

    [LoggerMessage(EventId = 302, EventName = "ReplayFailed", Level = LogLevel.Warning,
        Message = "Could not replay the revocation log of Redis {Endpoints} at start ({ErrorType}); retrying in the background. Until it has been read once, validation follows UnavailableBehavior.")]
    public static partial void ReplayFailed(ILogger logger, string endpoints, string errorType);

    [LoggerMessage(EventId = 303, EventName = "EntryIgnored", Level = LogLevel.Warning,
        Message = "Ignored a malformed revocation log entry {EntryId}.")]
    public static partial void EntryIgnored(ILogger logger, string entryId);

    [LoggerMessage(EventId = 304, EventName = "LogResumed", Level = LogLevel.Information,
        Message = "Redis {Endpoints} is reachable again; the revocation log was read from where it stopped.")]
    public static partial void LogResumed(ILogger logger, string endpoints);

    /// <summary>
    /// What a failure of Redis was, for <see cref="Unavailable"/>: an error reply (a Redis loading its data, refusing
    /// writes without replicas, a cluster down) is Redis's to fix, not the network's.
    /// </summary>
    /// <param name="ex">The client's exception.</param>
    /// <returns><c>answered with an error</c> or <c>did not answer</c>.</returns>
    public static string FailureOf(Exception ex) => ex is StackExchange.Redis.RedisServerException ? "answered with an error" : "did not answer";

    /// <summary>What <see cref="Unavailable"/> says of a Redis that refused the configuration's password.</summary>
    public const string PasswordRefusedFailure = "refused the password of the configuration string";

    /// <summary>
    /// Whether <paramref name="ex"/> (or an exception it holds) says Redis answered and refused the login: a
    /// <see cref="StackExchange.Redis.ConnectionFailureType.AuthenticationFailure"/>, or a NOAUTH or WRONGPASS reply.
    /// </summary>
    /// <param name="ex">The client's exception.</param>
    /// <returns><see langword="true"/> when Redis refused the password (or asked for one none was given for).</returns>
    public static bool IsPasswordRefused(Exception? ex)
    {
        for (var depth = 0; ex is not null && depth < 8; ex = ex.InnerException, depth++)
        {
            if (ex is StackExchange.Redis.RedisConnectionException { FailureType: StackExchange.Redis.ConnectionFailureType.AuthenticationFailure }
                || ex.Message.StartsWith("NOAUTH", StringComparison.Ordinal) || ex.Message.StartsWith("WRONGPASS", StringComparison.Ordinal)
                || ex.Message.Contains("SimpleError: NOAUTH", StringComparison.Ordinal) || ex.Message.Contains("SimpleError: WRONGPASS", StringComparison.Ordinal))
            {
                return true;
            }

            if (ex is AggregateException aggregate && aggregate.InnerExceptions.Any(static inner => IsPasswordRefused(inner)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Writes the line <see cref="Sessions.Internal.RepeatedFailures.Failed"/> asked for, if any: 305 for the first
    /// failure of an outage, 314 with how many were not logged after it. The client's message can name keys, servers and
    /// its own diagnostics: only its type and failure kind are logged.
    /// </summary>
    /// <param name="logger">The logger.</param>
    /// <param name="line">What <see cref="Sessions.Internal.RepeatedFailures.Failed"/> answered for this failure.</param>
    /// <param name="operation">The operation that failed.</param>
    /// <param name="endpoints">Where Redis is, host and port only.</param>
    /// <param name="ex">The client's exception.</param>
    /// <param name="passwordRefused">Whether Redis was last seen refusing the configuration's password.</param>
    public static void Failed(ILogger logger, Sessions.Internal.FailureLine line, string operation, string endpoints, Exception ex, bool passwordRefused = false)
    {
        if (!line.Write)
        {
            return;
        }

        var failureType = (ex as StackExchange.Redis.RedisConnectionException)?.FailureType.ToString() ?? "none";
        var failure = passwordRefused || IsPasswordRefused(ex) ? PasswordRefusedFailure : FailureOf(ex);
        if (line.NotWritten == 0)
        {
            Unavailable(logger, operation, endpoints, failure, ex.GetType().Name, failureType);
        }
        else
        {
            StillUnavailable(logger, operation, endpoints, failure, ex.GetType().Name, failureType, line.NotWritten, line.SinceLastLine.TotalSeconds);
        }
    }

    [LoggerMessage(EventId = 305, EventName = "StoreUnavailable", Level = LogLevel.Warning,
        Message = "Session store operation {Operation} failed: Redis {Endpoints} {Failure} ({ErrorType}, failure {FailureType}).")]
    public static partial void Unavailable(ILogger logger, string operation, string endpoints, string failure, string errorType, string failureType);

    [LoggerMessage(EventId = 314, EventName = "StoreStillUnavailable", Level = LogLevel.Warning,
        Message = "Session store operation {Operation} failed: Redis {Endpoints} {Failure} ({ErrorType}, failure {FailureType}); {NotWritten} more operations failed in the {SinceLastLineSeconds:0} s since the last such line and were not logged each.")]
    public static partial void StillUnavailable(ILogger logger, string operation, string endpoints, string failure, string errorType, string failureType, int notWritten, double sinceLastLineSeconds);

    [LoggerMessage(EventId = 315, EventName = "StoreAvailable", Level = LogLevel.Information,
        Message = "Redis {Endpoints} answers the session store again: {Failures} operations failed in {DurationSeconds:0} s, {NotWritten} of them since the last line and not logged each.")]
    public static partial void Available(ILogger logger, string endpoints, long failures, int notWritten, double durationSeconds);

    [LoggerMessage(EventId = 319, EventName = "PasswordRefused", Level = LogLevel.Warning,
        Message = "Redis {Endpoints} refused the password of {Setting} (NOAUTH or WRONGPASS): it answers, but the store cannot read or write until the password=... (and user=... of an ACL user) of the configuration string is what Redis expects.")]
    public static partial void PasswordRefused(ILogger logger, string endpoints, string setting);

    [LoggerMessage(EventId = 306, EventName = "NoReplica", Level = LogLevel.Warning,
        Message = "Redis primary {Endpoint} has no replica: revocations written to it are as durable as its append-only file and are lost if it fails for good. Give it a replica.")]
    public static partial void NoReplica(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 320, EventName = "FewerReplicasThanAcknowledgements", Level = LogLevel.Warning,
        Message = "{Setting} is {Required} but Redis primary {Endpoint} has {Replicas} replica(s): its revocations are acknowledged once its {Replicas} replica(s) have them, not {Required}. Give it more replicas, or lower the setting.")]
    public static partial void FewerReplicasThanAcknowledgements(ILogger logger, string setting, int required, string endpoint, int replicas);

    [LoggerMessage(EventId = 307, EventName = "ReplicaTimeout", Level = LogLevel.Warning,
        Message = "Only {Acknowledged} of {Required} replicas of Redis {Endpoint} acknowledged a revocation within {TimeoutMilliseconds} ms; it is reported unavailable (retrying it is harmless).")]
    public static partial void ReplicaTimeout(ILogger logger, string endpoint, long acknowledged, int required, double timeoutMilliseconds);

    [LoggerMessage(EventId = 316, EventName = "ReplicaStillTimingOut", Level = LogLevel.Warning,
        Message = "Only {Acknowledged} of {Required} replicas of Redis {Endpoint} acknowledged a revocation within {TimeoutMilliseconds} ms; it is reported unavailable (retrying it is harmless). {NotWritten} more revocations timed out in the {SinceLastLineSeconds:0} s since the last such line and were not logged each.")]
    public static partial void ReplicaStillTimingOut(ILogger logger, string endpoint, long acknowledged, int required, double timeoutMilliseconds, int notWritten, double sinceLastLineSeconds);

    [LoggerMessage(EventId = 308, EventName = "LimitReached", Level = LogLevel.Warning,
        Message = "Session store limit reached: {Limit}. The write was refused.")]
    public static partial void LimitReached(ILogger logger, string limit);

    [LoggerMessage(EventId = 321, EventName = "LimitStillReached", Level = LogLevel.Warning,
        Message = "Session store limit reached: {Limit}. The write was refused. {NotWritten} more writes were refused by the store's limits in the {SinceLastLineSeconds:0} s since the last such line and were not logged each.")]
    public static partial void LimitStillReached(ILogger logger, string limit, int notWritten, double sinceLastLineSeconds);

    [LoggerMessage(EventId = 310, EventName = "EventsUnreachable", Level = LogLevel.Warning,
        Message = "Cannot read session events from stream {Stream} on Redis {Endpoints} ({ErrorType}); retrying.")]
    public static partial void EventsUnreachable(ILogger logger, string endpoints, string stream, string errorType);

    [LoggerMessage(EventId = 311, EventName = "EventsResumed", Level = LogLevel.Information,
        Message = "Reading session events from stream {Stream} on Redis {Endpoints} again.")]
    public static partial void EventsResumed(ILogger logger, string endpoints, string stream);

    [LoggerMessage(EventId = 317, EventName = "EventsDropped", Level = LogLevel.Warning,
        Message = "Dropped a session event: {Capacity} events already wait for stream {Stream} on Redis {Endpoints}; {NotWritten} more were dropped since the last such line.")]
    public static partial void EventsDropped(ILogger logger, string stream, string endpoints, int capacity, int notWritten);

    [LoggerMessage(EventId = 318, EventName = "EventsQueueAccepting", Level = LogLevel.Information,
        Message = "Queueing session events for stream {Stream} on Redis {Endpoints} again; {Dropped} were dropped while it was full.")]
    public static partial void EventsQueueAccepting(ILogger logger, string stream, string endpoints, long dropped);

    [LoggerMessage(EventId = 312, EventName = "EventIgnored", Level = LogLevel.Warning,
        Message = "Acknowledged a malformed entry {EntryId} of session-events stream {Stream} without handling it.")]
    public static partial void EventIgnored(ILogger logger, string stream, string entryId);

    [LoggerMessage(EventId = 313, EventName = "EventHandlerFailed", Level = LogLevel.Warning,
        Message = "The session-event handler failed on {Kind} event {EventId} ({ExceptionType}); it is delivered again after {ClaimAfterSeconds} s.")]
    public static partial void HandlerFailed(ILogger logger, string eventId, string kind, string exceptionType, double claimAfterSeconds);
}
