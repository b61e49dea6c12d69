using System.Globalization;

namespace Sessions.SampleServer;

/// <summary>
/// Parses durations written the way Go's <c>time.ParseDuration</c> reads them, so that the original service's
/// <c>JWT_EXPIRATION</c> values keep working: a possibly signed sequence of decimal numbers, each with an optional
/// fraction and a unit — <c>ns</c>, <c>us</c> (or <c>µs</c>, <c>μs</c>), <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c> —
/// such as <c>24h</c>, <c>1h30m</c>, <c>1.5h</c>, <c>90s</c> or <c>500ms</c>. <c>0</c> alone needs no unit.
/// </summary>
/// <remarks>
/// Strict like Go: a number without a unit, an unknown unit, a sign anywhere but first, an empty string and a value
/// beyond about 292 years (the range of Go's int64 nanoseconds) are refused. The result is truncated to
/// <see cref="TimeSpan"/>'s 100-nanosecond ticks.
/// </remarks>
public static class GoDuration
{
    private const decimal MaxNanoseconds = long.MaxValue;

    /// <summary>Parses <paramref name="text"/> as a Go duration.</summary>
    /// <param name="text">The text, for example <c>1h30m</c>.</param>
    /// <param name="value">The duration, when the text is valid.</param>
    /// <returns>Whether the text is a valid Go duration.</returns>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var negative = text[0] == '-';
        var i = text[0] is '-' or '+' ? 1 : 0;
        if (text.AsSpan(i) is "0")
        {
            return true;
        }

        if (i == text.Length)
        {
            return false;
        }

        decimal total = 0;
        while (i < text.Length)
        {
            if (!TryReadComponent(text, ref i, out var nanoseconds))
            {
                return false;
            }

            total += nanoseconds;
            if (total > MaxNanoseconds + (negative ? 1 : 0))
            {
                return false;
            }
        }

        var ticks = (long)decimal.Truncate(total / 100);
        value = TimeSpan.FromTicks(negative ? -ticks : ticks);
        return true;
    }

    /// <summary>Reads one <c>number unit</c> component of <paramref name="text"/> at <paramref name="i"/>.</summary>
    private static bool TryReadComponent(string text, ref int i, out decimal nanoseconds)
    {
        nanoseconds = 0;
        var whole = TakeWhile(text, ref i, char.IsAsciiDigit);
        var fraction = ReadOnlySpan<char>.Empty;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            fraction = TakeWhile(text, ref i, char.IsAsciiDigit);
        }

        if (whole.IsEmpty && fraction.IsEmpty)
        {
            return false;
        }

        var unit = UnitNanoseconds(TakeWhile(text, ref i, static c => c != '.' && !char.IsAsciiDigit(c)));
        if (unit == 0 || whole.Length > 19)
        {
            return false;
        }

        var wholeValue = whole.IsEmpty ? 0m : decimal.Parse(whole, NumberStyles.None, CultureInfo.InvariantCulture);
        if (wholeValue > MaxNanoseconds / unit + 1)
        {
            return false;
        }

        var fractionValue = 0m;
        if (!fraction.IsEmpty)
        {
            // Digits beyond the 20th cannot change the result at nanosecond precision.
            var digits = fraction[..Math.Min(fraction.Length, 20)];
            fractionValue = decimal.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture) / Pow10(digits.Length);
        }

        nanoseconds = (wholeValue + fractionValue) * unit;
        return true;
    }

    private static ReadOnlySpan<char> TakeWhile(string text, scoped ref int i, Func<char, bool> predicate)
    {
        var start = i;
        while (i < text.Length && predicate(text[i]))
        {
            i++;
        }

        return text.AsSpan(start, i - start);
    }

    private static decimal UnitNanoseconds(ReadOnlySpan<char> unit) => unit switch
    {
        "ns" => 1m,
        "us" or "\u00b5s" or "\u03bcs" => 1_000m,
        "ms" => 1_000_000m,
        "s" => 1_000_000_000m,
        "m" => 60_000_000_000m,
        "h" => 3_600_000_000_000m,
        _ => 0m,
    };

    private static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10;
        }

        return result;
    }
}
