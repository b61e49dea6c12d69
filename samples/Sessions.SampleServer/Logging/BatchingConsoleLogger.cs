using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sessions.SampleServer.Logging;

/// <summary>
/// Formats an entry into UTF-8 on the logging thread, into a buffer of that thread, and hands the line to the
/// <see cref="BatchingLogWriter"/>. A state that can write itself as UTF-8 (<see cref="IUtf8SpanFormattable"/>, as the
/// sessions service's per-call line does) is written without a string; any other through its formatter.
/// </summary>
internal sealed class BatchingConsoleLogger : ILogger
{
    private const int MaxMessageBytes = 1024 * 1024;

    private static readonly JsonWriterOptions s_jsonOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_line;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_message;

    [ThreadStatic]
    private static Utf8JsonWriter? t_json;

    private readonly string _category;
    private readonly byte[] _categoryUtf8;
    private readonly BatchingLogWriter _writer;
    private readonly LogFormat _format;

    public BatchingConsoleLogger(string category, BatchingLogWriter writer, LogFormat format)
    {
        _category = category;
        _categoryUtf8 = Encoding.UTF8.GetBytes(category);
        _writer = writer;
        _format = format;
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var line = t_line ??= new ArrayBufferWriter<byte>(1024);
        line.ResetWrittenCount();
        if (_format == LogFormat.Json)
        {
            WriteJson(line, logLevel, eventId, state, exception, formatter);
        }
        else
        {
            WriteText(line, logLevel, eventId, state, exception, formatter);
        }

        line.GetSpan(1)[0] = (byte)'\n';
        line.Advance(1);
        _writer.Append(line.WrittenSpan, urgent: logLevel >= LogLevel.Warning);
        if (line.Capacity > 64 * 1024)
        {
            t_line = null; // one huge entry (a long exception) should not keep its buffer for the thread's life
        }
    }

    private void WriteText<TState>(ArrayBufferWriter<byte> line, LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        Format(line, DateTime.UtcNow, "O");
        Write(line, ShortLevelName(logLevel));
        Write(line, _categoryUtf8);
        Write(line, "["u8);
        Format(line, eventId.Id, default);
        Write(line, "] "u8);
        var message = t_message ??= new ArrayBufferWriter<byte>(256);
        message.ResetWrittenCount();
        WriteMessage(message, state, exception, formatter);
        WritePrintable(line, message.WrittenSpan);
        if (message.Capacity > 64 * 1024)
        {
            t_message = null;
        }

        if (exception is not null)
        {
            Write(line, "\n"u8);
            WriteUtf8(line, exception.ToString());
        }
    }

    private void WriteJson<TState>(ArrayBufferWriter<byte> line, LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var message = t_message ??= new ArrayBufferWriter<byte>(256);
        message.ResetWrittenCount();
        WriteMessage(message, state, exception, formatter);

        var json = t_json;
        if (json is null)
        {
            t_json = json = new Utf8JsonWriter(line, s_jsonOptions);
        }
        else
        {
            json.Reset(line);
        }

        json.WriteStartObject();
        json.WriteString("Timestamp"u8, DateTime.UtcNow);
        json.WriteNumber("EventId"u8, eventId.Id);
        json.WriteString("LogLevel"u8, LevelName(logLevel));
        json.WriteString("Category"u8, _category);
        json.WriteString("Message"u8, message.WrittenSpan);
        if (exception is not null)
        {
            json.WriteString("Exception"u8, exception.ToString());
        }

        if (state is IReadOnlyList<KeyValuePair<string, object?>>)
        {
            json.WriteStartObject("State"u8);
            json.WriteString("Message"u8, message.WrittenSpan);
            // A cast at each use rather than a local, so that a struct state is not boxed (see WriteMessage).
            for (var i = 0; i < ((IReadOnlyList<KeyValuePair<string, object?>>)state).Count; i++)
            {
                var (key, value) = ((IReadOnlyList<KeyValuePair<string, object?>>)state)[i];
                json.WritePropertyName(key);
                WriteJsonValue(json, value);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.Flush();
        if (message.Capacity > 64 * 1024)
        {
            t_message = null;
        }
    }

    private static void WriteJsonValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string text:
                json.WriteStringValue(text);
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case int number:
                json.WriteNumberValue(number);
                break;
            case long number:
                json.WriteNumberValue(number);
                break;
            case double number when double.IsFinite(number):
                json.WriteNumberValue(number);
                break;
            case IFormattable formattable:
                json.WriteStringValue(formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                json.WriteStringValue(value.ToString());
                break;
        }
    }

    private static void WriteMessage<TState>(ArrayBufferWriter<byte> buffer, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        // "is" then a cast, not "is X x": for a struct state the JIT then calls TryFormat without boxing it.
        if (state is IUtf8SpanFormattable)
        {
            for (var size = 256; size <= MaxMessageBytes; size *= 4)
            {
                if (((IUtf8SpanFormattable)state).TryFormat(buffer.GetSpan(size), out var written, default, CultureInfo.InvariantCulture))
                {
                    buffer.Advance(written);
                    return;
                }
            }
        }

        WriteUtf8(buffer, formatter(state, exception));
    }

    /// <summary>
    /// Writes a message into a text line with its control characters (line breaks, terminal escapes, C1 controls, the
    /// line and paragraph separators) as <c>\uXXXX</c>, so that what a client sends and a line quotes (a method path
    /// of a call to an unknown service, decoded from its percent-encoding) cannot start a line of its own that reads
    /// as the server's, nor drive the terminal. The exception after a line keeps its line breaks (a stack trace).
    /// </summary>
    private static void WritePrintable(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> message)
    {
        var next = message.IndexOfAny(s_unprintableStarts);
        while (next >= 0)
        {
            Write(buffer, message[..next]);
            message = message[next..];
            var b = message[0];
            if (b < 0x20 || b == 0x7F)
            {
                WriteEscaped(buffer, b);
                message = message[1..];
            }
            else if (b == 0xC2 && message.Length > 1 && message[1] is >= 0x80 and <= 0x9F)
            {
                WriteEscaped(buffer, message[1]);
                message = message[2..];
            }
            else if (b == 0xE2 && message.Length > 2 && message[1] == 0x80 && message[2] is 0xA8 or 0xA9)
            {
                Write(buffer, message[2] == 0xA8 ? "\\u2028"u8 : "\\u2029"u8);
                message = message[3..];
            }
            else
            {
                Write(buffer, message[..1]);
                message = message[1..];
            }

            next = message.IndexOfAny(s_unprintableStarts);
        }

        Write(buffer, message);
    }

    private static void WriteEscaped(ArrayBufferWriter<byte> buffer, byte codePoint)
    {
        var escaped = buffer.GetSpan(6);
        "\\u00"u8.CopyTo(escaped);
        escaped[4] = (byte)"0123456789abcdef"[codePoint >> 4];
        escaped[5] = (byte)"0123456789abcdef"[codePoint & 0xF];
        buffer.Advance(6);
    }

    // The first byte of every character WritePrintable escapes: C0 controls, DEL, C1 controls (0xC2 0x80-0x9F in UTF-8),
    // U+2028 and U+2029 (0xE2 0x80 0xA8/0xA9).
    private static readonly SearchValues<byte> s_unprintableStarts = SearchValues.Create(
        [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F,
         0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F, 0x7F, 0xC2, 0xE2]);

    private static void Format<T>(ArrayBufferWriter<byte> buffer, T value, ReadOnlySpan<char> format)
        where T : IUtf8SpanFormattable
    {
        if (!value.TryFormat(buffer.GetSpan(64), out var written, format, CultureInfo.InvariantCulture))
        {
            WriteUtf8(buffer, value.ToString() ?? "");
            return;
        }

        buffer.Advance(written);
    }

    private static void Write(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(buffer.GetSpan(bytes.Length));
        buffer.Advance(bytes.Length);
    }

    private static void WriteUtf8(ArrayBufferWriter<byte> buffer, string text)
    {
        var written = Encoding.UTF8.GetBytes(text, buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length)));
        buffer.Advance(written);
    }

    // The level names of Microsoft's console formatter, so that people and tools reading today's lines still match.
    private static ReadOnlySpan<byte> ShortLevelName(LogLevel logLevel) => logLevel switch
    {
        LogLevel.Trace => " trce: "u8,
        LogLevel.Debug => " dbug: "u8,
        LogLevel.Information => " info: "u8,
        LogLevel.Warning => " warn: "u8,
        LogLevel.Error => " fail: "u8,
        _ => " crit: "u8,
    };

    private static string LevelName(LogLevel logLevel) => logLevel switch
    {
        LogLevel.Trace => "Trace",
        LogLevel.Debug => "Debug",
        LogLevel.Information => "Information",
        LogLevel.Warning => "Warning",
        LogLevel.Error => "Error",
        _ => "Critical",
    };
}
