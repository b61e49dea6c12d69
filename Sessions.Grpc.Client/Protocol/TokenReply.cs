using Google.Protobuf;
using Sessions.Grpc.Internal;

namespace Sessions.Grpc.Protocol;

// The generated part (Protos/sessions.proto) documents the type; this one hides its tokens from ToString().
public sealed partial class TokenReply : ICustomDiagnosticMessage
{
    /// <summary>
    /// The reply as JSON, as <see cref="object.ToString"/> gives it, with <see cref="Token"/> and
    /// <see cref="RefreshToken"/> hidden (<c>"(hidden: 320 characters)"</c>), so that a log line or a debugger never
    /// shows them. The reply itself keeps both; <see cref="JsonFormatter"/> formats them as they are.
    /// </summary>
    /// <returns>The reply as JSON without its tokens.</returns>
    public string ToDiagnosticString()
    {
        var shown = Clone();
        shown.Token = HiddenText.Hide(Token);
        shown.RefreshToken = HiddenText.Hide(RefreshToken);
        return HiddenText.Format(shown);
    }
}
