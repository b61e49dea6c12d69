using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Sessions.Redis.Internal;

/// <summary>Validates <see cref="RedisSessionEventsOptions"/> at start-up, listing every problem with its fix.</summary>
internal sealed class RedisSessionEventsOptionsValidator : IValidateOptions<RedisSessionEventsOptions>
{
    private const string Section = RedisSessionEventsOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, RedisSessionEventsOptions options)
    {
        var errors = new List<string>();
        try
        {
            if (string.IsNullOrWhiteSpace(options.Configuration) || ConfigurationOptions.Parse(options.Configuration).EndPoints.Count == 0)
            {
                errors.Add($"{Section}:{nameof(options.Configuration)} names no endpoint; set it to the Redis address, e.g. 127.0.0.1:6379.");
            }
        }
        catch (ArgumentException)
        {
            // The parser's message repeats what it could not read, which may be the password: not repeated here.
            errors.Add($"{Section}:{nameof(options.Configuration)} is not a StackExchange.Redis configuration string (host:port followed by options such as password=...).");
        }

        Require(errors, nameof(options.StreamKey), options.StreamKey);
        Require(errors, nameof(options.ConsumerGroup), options.ConsumerGroup);
        Require(errors, nameof(options.ConsumerName), options.ConsumerName);
        Check(errors, nameof(options.Retention), options.Retention, TimeSpan.FromMinutes(1), TimeSpan.FromDays(30));
        Check(errors, nameof(options.PollInterval), options.PollInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(10));
        Check(errors, nameof(options.ClaimAfter), options.ClaimAfter, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        Check(errors, nameof(options.BatchSize), options.BatchSize, 1, 10_000);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Require(List<string> errors, string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"{Section}:{name} is empty; set it.");
        }
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
