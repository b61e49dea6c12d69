using Microsoft.Extensions.Options;
using Sessions.Internal;

namespace Sessions.Redis.Internal;

/// <summary>Validates <see cref="RedisSessionStoreOptions"/> at start-up, listing every problem with its fix.</summary>
internal sealed class RedisSessionStoreOptionsValidator(IEnumerable<SessionsConfigurationPath> paths) : IValidateOptions<RedisSessionStoreOptions>
{
    // Where the host's configuration keeps the options (Sessions:Redis, or the section given to AddRedisSessionStore).
    private readonly string _prefix = SettingNames.Prefix(paths, typeof(RedisSessionStoreOptions), RedisSessionStoreOptions.SectionName);

    public ValidateOptionsResult Validate(string? name, RedisSessionStoreOptions options)
    {
        var errors = new List<string>();
        RedisOptionsChecks.Configuration(errors, $"{_prefix}{nameof(options.Configuration)}", options.Configuration);
        if (options.KeyPrefix is null || options.KeyPrefix.AsSpan().IndexOfAny("{}*?") >= 0)
        {
            errors.Add($"{_prefix}{nameof(options.KeyPrefix)} must be set (e.g. 'sessions:') and contain no '{{', '}}', '*' or '?'.");
        }

        RedisOptionsChecks.Range(errors, $"{_prefix}{nameof(options.PollInterval)}", options.PollInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1));
        RedisOptionsChecks.Range(errors, $"{_prefix}{nameof(options.StalenessTolerance)}", options.StalenessTolerance, TimeSpan.Zero, TimeSpan.FromMinutes(10));
        RedisOptionsChecks.Range(errors, $"{_prefix}{nameof(options.ReplicaAcknowledgementTimeout)}", options.ReplicaAcknowledgementTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(30));
        RedisOptionsChecks.Range(errors, $"{_prefix}{nameof(options.ReplicaAcknowledgements)}", options.ReplicaAcknowledgements, 0, 5);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
