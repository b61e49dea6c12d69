using System.Buffers.Text;

namespace Sessions.Jwt.Internal.Reading;

/// <summary>
/// The <c>jti</c> a validated session keeps as a <see cref="Guid"/>: only a UUID in the canonical lower-case form
/// <c>Guid.ToString()</c> writes, so that <see cref="Session.Id"/>, formatted from the Guid, gives back exactly the jti.
/// </summary>
internal static class LowerCaseUuid
{
    /// <summary>Whether <paramref name="utf8"/> is such a UUID, and which.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out Guid uuid)
    {
        uuid = default;
        return utf8.Length == 36 && utf8.IndexOfAnyInRange((byte)'A', (byte)'Z') < 0
            && Utf8Parser.TryParse(utf8, out uuid, out var consumed, 'D') && consumed == 36;
    }
}
