using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Sessions.Internal;
using Sessions;
using Sessions.Redis;
using Sessions.Redis.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the session-events stream on Redis: the sink a session server publishes to
/// (<see cref="AddRedisSessionEventSink"/>), and the consumer other services react with
/// (<see cref="AddSessionEvents(IServiceCollection, Action{RedisSessionEventsOptions}, Func{IServiceProvider, SessionEvent, CancellationToken, Task})"/>).
/// Neither needs ASP.NET Core.
/// </summary>
public static class SessionEventsServiceCollectionExtensions
{
    /// <summary>
    /// Publishes the lifecycle's events (created, refreshed, revoked, revoked_all, reuse_detected) to a Redis Stream,
    /// as one more <see cref="ISessionEventSink"/>. Options are validated when the host starts. Calling it more than
    /// once configures the one sink further.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the Redis address, the stream's key and its retention.</param>
    /// <returns>The same service collection, for chaining.</returns>
    public static IServiceCollection AddRedisSessionEventSink(this IServiceCollection services, Action<RedisSessionEventsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        RedisServiceRegistration.AddValidatedOptions<RedisSessionEventsOptions, RedisSessionEventsOptionsValidator>(services).Configure(configure);
        ClosedGenericServices.AddLogger<RedisSessionEventSink>(services);
        services.TryAddSingleton(static provider => new RedisSessionEventSink(
            provider.GetRequiredService<IOptions<RedisSessionEventsOptions>>(),
            RedisServiceRegistration.Logger<RedisSessionEventSink>(provider)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISessionEventSink, RedisSessionEventSink>(static provider => provider.GetRequiredService<RedisSessionEventSink>()));
        return services;
    }

    /// <summary>
    /// Consumes the session events a session server publishes (see <see cref="AddRedisSessionEventSink"/>) in a
    /// background service: each event goes to <paramref name="handler"/> and is acknowledged once it returns. At least
    /// once: an event whose handler threw, or whose consumer crashed, is delivered again (after
    /// <see cref="RedisSessionEventsOptions.ClaimAfter"/> to another consumer of the group, at once to the same consumer
    /// restarted), so handlers act once per <see cref="SessionEvent.EventId"/>. Each call adds one consumer.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the Redis address, the stream's key, the consumer group and name.</param>
    /// <param name="handler">Handles one event, with the host's services; throwing leaves it for redelivery.</param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <exception cref="OptionsValidationException">At start: the options are invalid.</exception>
    public static IServiceCollection AddSessionEvents(this IServiceCollection services, Action<RedisSessionEventsOptions> configure, Func<IServiceProvider, SessionEvent, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        ArgumentNullException.ThrowIfNull(handler);
        ClosedGenericServices.AddLogger<RedisSessionEventConsumer>(services);
        services.AddSingleton<IHostedService>(provider =>
        {
            var options = new RedisSessionEventsOptions();
            configure(options);
            if (new RedisSessionEventsOptionsValidator().Validate(null, options) is { Failed: true } failure)
            {
                throw new OptionsValidationException(Options.Options.DefaultName, typeof(RedisSessionEventsOptions), failure.Failures);
            }

            return new RedisSessionEventConsumer(
                options,
                (sessionEvent, cancellationToken) => handler(provider, sessionEvent, cancellationToken),
                RedisServiceRegistration.Logger<RedisSessionEventConsumer>(provider));
        });
        return services;
    }

    /// <summary>
    /// Consumes the session events a session server publishes, as
    /// <see cref="AddSessionEvents(IServiceCollection, Action{RedisSessionEventsOptions}, Func{IServiceProvider, SessionEvent, CancellationToken, Task})"/>
    /// does, with a handler that needs no service.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the Redis address, the stream's key, the consumer group and name.</param>
    /// <param name="handler">Handles one event; throwing leaves it for redelivery.</param>
    /// <returns>The same service collection, for chaining.</returns>
    public static IServiceCollection AddSessionEvents(this IServiceCollection services, Action<RedisSessionEventsOptions> configure, Func<SessionEvent, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return services.AddSessionEvents(configure, (_, sessionEvent, cancellationToken) => handler(sessionEvent, cancellationToken));
    }
}
