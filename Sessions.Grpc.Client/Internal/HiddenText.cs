using Google.Protobuf;

namespace Sessions.Grpc.Internal;

/// <summary>
/// What <c>ToString()</c> of a message that carries a session token or a refresh token shows: the message as JSON, as
/// protobuf's own <c>ToString()</c> gives it, with each token replaced by its length, so that a log line, an
/// interpolated string or a debugger never holds one.
/// </summary>
internal static class HiddenText
{
    /// <summary>What stands for <paramref name="secret"/>: its length, or the empty string (left out of the JSON) for none.</summary>
    public static string Hide(string secret) => secret.Length == 0 ? "" : $"(hidden: {secret.Length} characters)";

    /// <summary>
    /// <paramref name="shown"/>, a copy with its tokens hidden, as JSON. <see cref="JsonFormatter.Format(IMessage)"/>
    /// does not ask the message for its diagnostic text, which would come back here.
    /// </summary>
    public static string Format(IMessage shown) => JsonFormatter.Default.Format(shown);
}
