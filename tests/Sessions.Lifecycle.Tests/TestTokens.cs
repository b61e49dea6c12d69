using Microsoft.Extensions.Time.Testing;

namespace Sessions.Lifecycle.Tests;

/// <summary>The options, subject and clock the lifecycle tests share.</summary>
internal static class TestTokens
{
    public const string Secret = "a-test-secret-that-is-long-enough-for-hs256!";
    public const string Subject = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

    public static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    public static JwtSessionOptions Options(Action<JwtSessionOptions>? configure = null)
    {
        var options = new JwtSessionOptions { Secret = Secret };
        configure?.Invoke(options);
        return options;
    }

    public static FakeTimeProvider Clock() => new(Now);
}
