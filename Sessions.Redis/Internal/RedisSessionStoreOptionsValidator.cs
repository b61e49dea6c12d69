using Microsoft.Extensions.Options;

namespace Sessions.Redis.Internal;

/// <summary>Validates <see cref="RedisSessionStoreOptions"/> at start-up, listing every problem with its fix.</summary>
internal sealed class RedisSessionStoreOptionsValidator : IValidateOptions<RedisSessionStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisSessionStoreOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Configuration))
        {
            errors.Add("RedisSessionStoreOptions.Configuration is empty; set it to the Redis address, e.g. 127.0.0.1:6379.");
        }

        if (options.KeyPrefix is null || options.KeyPrefix.Contains('*', StringComparison.Ordinal) || options.KeyPrefix.Contains('?', StringComparison.Ordinal))
        {
            errors.Add("RedisSessionStoreOptions.KeyPrefix must be set (e.g. 'sessions:') and contain no '*' or '?'.");
        }

        if (options.StalenessTolerance < TimeSpan.Zero || options.StalenessTolerance > TimeSpan.FromMinutes(10))
        {
            errors.Add($"RedisSessionStoreOptions.StalenessTolerance is {options.StalenessTolerance}; it must be from 0 to 10 minutes.");
        }

        if (options.ResyncInterval < TimeSpan.FromMilliseconds(100) || options.ResyncInterval > TimeSpan.FromMinutes(1))
        {
            errors.Add($"RedisSessionStoreOptions.ResyncInterval is {options.ResyncInterval}; it must be from 100 ms to 1 minute.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
