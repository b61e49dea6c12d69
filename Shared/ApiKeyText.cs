namespace Sessions.Internal;

/// <summary>
/// Whether an API key can be sent as it is as the value of the <c>x-api-key</c> header: one rule for the packages' key
/// settings and the sample's <c>SESSIONS_API_KEY</c>, linked into each (Shared/ at the repository root). A header value
/// cannot hold a line break or another control character (HTTP/2 refuses the request: the caller's call fails with
/// <c>PROTOCOL_ERROR</c>, which names neither the header nor the key) nor start or end with whitespace (HTTP/1.1 drops
/// it, HTTP/2 forbids it), so that a key configured with one, as a key read from a file with its line break is, can
/// never be matched and every privileged call would be refused.
/// </summary>
internal static class ApiKeyText
{
    /// <summary>What the message of a key <see cref="Unsendable"/> describes goes on with: why it matters and what to do.</summary>
    public const string Fix = "which an x-api-key header cannot carry as it is, so that no caller could send the key: " +
        "remove it (a key read from a file often ends with a line break).";

    /// <summary>
    /// What in <paramref name="key"/> no header can carry, as its position and code (<c>a line break (U+000A) at index 44
    /// of its 45 characters</c>), never the key; <see langword="null"/> when the key can be sent as it is.
    /// </summary>
    /// <param name="key">The configured key.</param>
    public static string? Unsendable(string key)
    {
        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            var found = c switch
            {
                '\r' or '\n' => "a line break",
                '\t' when i == 0 => "whitespace at its start",
                '\t' when i == key.Length - 1 => "whitespace at its end",
                '\t' => null,
                < ' ' or '\u007f' => "a control character",
                ' ' when i == 0 => "whitespace at its start",
                ' ' when i == key.Length - 1 => "whitespace at its end",
                _ => null,
            };
            if (found is not null)
            {
                return $"{found} (U+{(int)c:X4}) at index {i} of its {key.Length} characters";
            }
        }

        return null;
    }
}
