using Google.Protobuf;
using Sessions.Grpc.Internal;

namespace Sessions.Grpc.Protocol;

// The generated part (Protos/sessions.proto) documents the type; this one hides its tokens from ToString().
public sealed partial class RefreshSessionRequest : ICustomDiagnosticMessage
{
    /// <summary>
    /// The request as JSON, as <see cref="object.ToString"/> gives it, with <see cref="RefreshToken"/> hidden
    /// (<c>"(hidden: 43 characters)"</c>), so that a log line or a debugger never shows it.
    /// </summary>
    /// <returns>The request as JSON without its refresh token.</returns>
    public string ToDiagnosticString()
    {
        var shown = Clone();
        shown.RefreshToken = HiddenText.Hide(RefreshToken);
        return HiddenText.Format(shown);
    }
}
