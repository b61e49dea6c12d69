using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text;

namespace Sessions.Grpc.Internal.Calls;

/// <summary>
/// The state of the per-call log line (<see cref="SessionsLog.CallCompleted"/>): the same fields and message as a
/// <c>[LoggerMessage]</c> line, for every provider, plus the message in UTF-8 without a string for providers that
/// write bytes.
/// </summary>
/// <remarks>
/// The generated state of <c>[LoggerMessage]</c> can only be formatted into a new string, and its fields only read
/// boxed; at one line per call that is most of a line's cost. A provider that checks for
/// <see cref="IUtf8SpanFormattable"/> (the sample server's batching console writer does) formats this one straight
/// into its buffer. Every other provider sees the fields through <see cref="IReadOnlyList{T}"/> and the message through
/// <see cref="ToString()"/>, exactly as before.
/// </remarks>
internal readonly struct CallCompletedLogState : IReadOnlyList<KeyValuePair<string, object?>>, IUtf8SpanFormattable
{
    /// <summary>The message template, as a <c>[LoggerMessage]</c> line reports it under <c>{OriginalFormat}</c>.</summary>
    public const string Format = "Sessions.{Operation} {Outcome} session={SessionId} in {ElapsedMilliseconds:0.###} ms";

    /// <summary>What the message says for a call without a session id (a refused <c>Create</c>, <c>GetKeys</c>): <c>-</c>, not <c>(null)</c>.</summary>
    private const string NoSessionText = "-";

    public CallCompletedLogState(string operation, string outcome, string? sessionId, double elapsedMilliseconds)
    {
        Operation = operation;
        Outcome = outcome;
        SessionId = sessionId;
        ElapsedMilliseconds = elapsedMilliseconds;
    }

    public string Operation { get; }

    public string Outcome { get; }

    public string? SessionId { get; }

    public double ElapsedMilliseconds { get; }

    /// <summary>The session id as the message writes it: <c>-</c> when there is none, escaped when it could break the line.</summary>
    private string PrintableSessionId => SessionId is null ? NoSessionText : PrintableText.Of(SessionId);

    public int Count => 5;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("Operation", Operation),
        1 => new("Outcome", Outcome),
        2 => new("SessionId", SessionId),
        3 => new("ElapsedMilliseconds", ElapsedMilliseconds),
        4 => new("{OriginalFormat}", Format),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The message, e.g. <c>Sessions.Validate valid session=… in 0.042 ms</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"Sessions.{Operation} {Outcome} session={PrintableSessionId} in {new Milliseconds(ElapsedMilliseconds)} ms");

    /// <summary>Writes the message in UTF-8; <see langword="false"/> when <paramref name="utf8Destination"/> is too small.</summary>
    /// <remarks>
    /// The message of <see cref="ToString()"/>, written piece by piece rather than through <c>Utf8.TryWrite</c>, whose
    /// handler transcodes each string with the UTF-8 encoder: the operation and outcome names and the ids this library
    /// makes are ASCII and are narrowed as they are, about 300 instructions less per line (callgrind); any other text
    /// is transcoded as before.
    /// </remarks>
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        bytesWritten = 0;
        var written = 0;
        if (!Append(utf8Destination, ref written, "Sessions."u8) || !Append(utf8Destination, ref written, Operation) ||
            !Append(utf8Destination, ref written, " "u8) || !Append(utf8Destination, ref written, Outcome) ||
            !Append(utf8Destination, ref written, " session="u8) || !Append(utf8Destination, ref written, PrintableSessionId) ||
            !Append(utf8Destination, ref written, " in "u8) ||
            !new Milliseconds(ElapsedMilliseconds).TryFormat(utf8Destination[written..], out var milliseconds, default, CultureInfo.InvariantCulture))
        {
            return false;
        }

        written += milliseconds;
        if (!Append(utf8Destination, ref written, " ms"u8))
        {
            return false;
        }

        bytesWritten = written;
        return true;
    }

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <summary>The formatter handed to <see cref="Microsoft.Extensions.Logging.ILogger.Log{TState}"/>.</summary>
    public static string Formatter(CallCompletedLogState state, Exception? exception) => state.ToString();

    private static bool Append(Span<byte> destination, ref int written, ReadOnlySpan<byte> utf8)
    {
        if (!utf8.TryCopyTo(destination[written..]))
        {
            return false;
        }

        written += utf8.Length;
        return true;
    }

    private static bool Append(Span<byte> destination, ref int written, string text)
    {
        var rest = destination[written..];
        if (Ascii.FromUtf16(text, rest, out var narrowed) == OperationStatus.Done)
        {
            written += narrowed;
            return true;
        }

        // Not ASCII from the first character that is not (or no room): the UTF-8 encoder, replacing a lone surrogate as Utf8.TryWrite does.
        if (!Encoding.UTF8.TryGetBytes(text.AsSpan(narrowed), rest[narrowed..], out var encoded))
        {
            return false;
        }

        written += narrowed + encoded;
        return true;
    }
}
