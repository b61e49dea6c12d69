using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Sessions.Redis.Internal;

/// <summary>Validates <see cref="RedisSessionStoreOptions"/> at start-up, listing every problem with its fix.</summary>
internal sealed class RedisSessionStoreOptionsValidator : IValidateOptions<RedisSessionStoreOptions>
{
    private const string Section = RedisSessionStoreOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, RedisSessionStoreOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Configuration))
        {
            errors.Add($"{Section}:{nameof(options.Configuration)} is empty; set it to the Redis address, e.g. 127.0.0.1:6379, or a cluster's seed nodes.");
        }
        else
        {
            try
            {
                if (ConfigurationOptions.Parse(options.Configuration).EndPoints.Count == 0)
                {
                    errors.Add($"{Section}:{nameof(options.Configuration)} names no endpoint; start it with host:port, e.g. 127.0.0.1:6379.");
                }
            }
            catch (ArgumentException)
            {
                // The parser's message repeats the option it could not read, which may be the password: not repeated here.
                errors.Add($"{Section}:{nameof(options.Configuration)} is not a StackExchange.Redis configuration string (host:port followed by options such as password=..., ssl=true).");
            }
        }

        if (options.KeyPrefix is null || options.KeyPrefix.AsSpan().IndexOfAny("{}*?") >= 0)
        {
            errors.Add($"{Section}:{nameof(options.KeyPrefix)} must be set (e.g. 'sessions:') and contain no '{{', '}}', '*' or '?'.");
        }

        Check(errors, nameof(options.PollInterval), options.PollInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1));
        Check(errors, nameof(options.StalenessTolerance), options.StalenessTolerance, TimeSpan.Zero, TimeSpan.FromMinutes(10));
        Check(errors, nameof(options.ReplicaAcknowledgementTimeout), options.ReplicaAcknowledgementTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(30));
        Check(errors, nameof(options.ReplicaAcknowledgements), options.ReplicaAcknowledgements, 0, 5);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Check<T>(List<string> errors, string name, T value, T min, T max)
        where T : IComparable<T>
    {
        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
        {
            errors.Add($"{Section}:{name} is {value}; it must be from {min} to {max}.");
        }
    }
}
