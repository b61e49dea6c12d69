using System.Globalization;

namespace Sessions.Grpc.Internal.Calls;

/// <summary>
/// A duration in milliseconds written as <c>0.###</c> would write it (at most three decimals, no trailing zeros,
/// invariant culture), without parsing a custom format string on every call: the per-call log line writes one.
/// </summary>
internal readonly struct Milliseconds(double value) : ISpanFormattable, IUtf8SpanFormattable
{
    private const int MaxLength = 32;

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        Span<char> text = stackalloc char[MaxLength];
        var length = Format(text);
        charsWritten = 0;
        if (!text[..length].TryCopyTo(destination))
        {
            return false;
        }

        charsWritten = length;
        return true;
    }

    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        Span<char> text = stackalloc char[MaxLength];
        var length = Format(text);
        bytesWritten = 0;
        if (utf8Destination.Length < length)
        {
            return false;
        }

        // Digits, a point and a minus sign: ASCII, one byte each.
        for (var i = 0; i < length; i++)
        {
            utf8Destination[i] = (byte)text[i];
        }

        bytesWritten = length;
        return true;
    }

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public override string ToString() => value.ToString("0.###", CultureInfo.InvariantCulture);

    private int Format(Span<char> text)
    {
        // Thousandths, rounded half away from zero as "0.###" rounds; anything unusual goes the exact, slower way.
        var thousandths = Math.Round(value * 1000, MidpointRounding.AwayFromZero);
        if (!double.IsFinite(value) || thousandths < 0 || thousandths >= 1e15)
        {
            return value.TryFormat(text, out var written, "0.###", CultureInfo.InvariantCulture) ? written : 0;
        }

        var whole = (long)thousandths / 1000;
        var fraction = (int)((long)thousandths % 1000);
        whole.TryFormat(text, out var length, default, CultureInfo.InvariantCulture);
        if (fraction == 0)
        {
            return length;
        }

        var digits = 3;
        while (fraction % 10 == 0)
        {
            fraction /= 10;
            digits--;
        }

        text[length] = '.';
        for (var i = digits; i > 0; i--)
        {
            text[length + i] = (char)('0' + (fraction % 10));
            fraction /= 10;
        }

        return length + 1 + digits;
    }
}
