using Google.Protobuf;
using Sessions.Grpc.Internal;

namespace Sessions.Grpc.Protocol;

// The generated part (Protos/sessions.proto) documents the type; this one hides its tokens from ToString().
public sealed partial class ValidateTokenRequest : ICustomDiagnosticMessage
{
    /// <summary>
    /// The request as JSON, as <see cref="object.ToString"/> gives it, with <see cref="Token"/> hidden
    /// (<c>"(hidden: 320 characters)"</c>), so that a log line or a debugger never shows it.
    /// </summary>
    /// <returns>The request as JSON without its token.</returns>
    public string ToDiagnosticString()
    {
        var shown = Clone();
        shown.Token = HiddenText.Hide(Token);
        return HiddenText.Format(shown);
    }
}
