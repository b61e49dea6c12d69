using System.Collections;
using System.Globalization;
using System.Text.Unicode;

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
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        Utf8.TryWrite(utf8Destination, CultureInfo.InvariantCulture,
            $"Sessions.{Operation} {Outcome} session={PrintableSessionId} in {new Milliseconds(ElapsedMilliseconds)} ms", out bytesWritten);

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <summary>The formatter handed to <see cref="Microsoft.Extensions.Logging.ILogger.Log{TState}"/>.</summary>
    public static string Formatter(CallCompletedLogState state, Exception? exception) => state.ToString();
}
