using Microsoft.Extensions.Options;

namespace Sessions.Redis.Internal;

/// <summary>Validates <see cref="RedisSessionEventsOptions"/> at start-up, listing every problem with its fix.</summary>
internal sealed class RedisSessionEventsOptionsValidator : IValidateOptions<RedisSessionEventsOptions>
{
    private const string Section = RedisSessionEventsOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, RedisSessionEventsOptions options)
    {
        var errors = new List<string>();
        RedisOptionsChecks.Configuration(errors, $"{Section}:{nameof(options.Configuration)}", options.Configuration);
        Require(errors, nameof(options.StreamKey), options.StreamKey);
        Require(errors, nameof(options.ConsumerGroup), options.ConsumerGroup);
        Require(errors, nameof(options.ConsumerName), options.ConsumerName);
        RedisOptionsChecks.Range(errors, $"{Section}:{nameof(options.Retention)}", options.Retention, TimeSpan.FromMinutes(1), TimeSpan.FromDays(30));
        RedisOptionsChecks.Range(errors, $"{Section}:{nameof(options.PollInterval)}", options.PollInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(10));
        RedisOptionsChecks.Range(errors, $"{Section}:{nameof(options.ClaimAfter)}", options.ClaimAfter, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        RedisOptionsChecks.Range(errors, $"{Section}:{nameof(options.BatchSize)}", options.BatchSize, 1, 10_000);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Require(List<string> errors, string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"{Section}:{name} is empty; set it.");
        }
    }
}
