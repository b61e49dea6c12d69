using Microsoft.Extensions.Options;
using Sessions.Internal;

namespace Sessions.Redis.Internal;

/// <summary>Validates <see cref="RedisSessionStoreOptions"/> at start-up, listing every problem with its fix.</summary>
internal sealed class RedisSessionStoreOptionsValidator : IValidateOptions<RedisSessionStoreOptions>
{
    // Where the host's configuration keeps the options (Sessions:Redis, or the section given to AddRedisSessionStore),
    // or RedisSessionStoreOptions. for options given to the store's constructor.
    private readonly string _prefix;

    public RedisSessionStoreOptionsValidator(IEnumerable<SessionsConfigurationPath> paths) =>
        _prefix = SettingNames.Prefix(paths, typeof(RedisSessionStoreOptions), RedisSessionStoreOptions.SectionName);

    private RedisSessionStoreOptionsValidator(string prefix) => _prefix = prefix;

    /// <summary>Checks options given to the store's constructor, named as code sets them.</summary>
    /// <exception cref="OptionsValidationException">The options break a rule; the message lists every problem.</exception>
    public static RedisSessionStoreOptions Checked(RedisSessionStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = new RedisSessionStoreOptionsValidator(SettingNames.InCode(typeof(RedisSessionStoreOptions))).Validate(Options.DefaultName, options);
        return result.Failed ? throw new OptionsValidationException(Options.DefaultName, typeof(RedisSessionStoreOptions), result.Failures) : options;
    }

    public ValidateOptionsResult Validate(string? name, RedisSessionStoreOptions options)
    {
        var errors = new List<string>();
        RedisOptionsChecks.Configuration(errors, $"{_prefix}{nameof(options.Configuration)}", options.Configuration);
        if (options.KeyPrefix is null || options.KeyPrefix.AsSpan().IndexOfAny("{}*?") >= 0)
        {
            errors.Add($"{_prefix}{nameof(options.KeyPrefix)} must be set (e.g. 'sessions:') and contain no '{{', '}}', '*' or '?'.");
        }

        RedisOptionsChecks.Range(errors, $"{_prefix}{nameof(options.PollInterval)}", options.PollInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1));
        if (options.StalenessTolerance < 2 * options.PollInterval || options.StalenessTolerance > TimeSpan.FromMinutes(10))
        {
            // The set is as stale as the time since the last complete read began: up to a poll interval plus the read
            // itself. A tolerance not well above the interval turns sessions Unknown between reads (0: always).
            errors.Add($"{_prefix}{nameof(options.StalenessTolerance)} is {options.StalenessTolerance}; it must be at least twice {_prefix}{nameof(options.PollInterval)} "
                + $"({options.PollInterval}), so that a read that takes a while does not make sessions unknown between polls, and at most {TimeSpan.FromMinutes(10)}.");
        }

        RedisOptionsChecks.Range(errors, $"{_prefix}{nameof(options.ReplicaAcknowledgementTimeout)}", options.ReplicaAcknowledgementTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(30));
        RedisOptionsChecks.Range(errors, $"{_prefix}{nameof(options.ReplicaAcknowledgements)}", options.ReplicaAcknowledgements, 0, 5);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
