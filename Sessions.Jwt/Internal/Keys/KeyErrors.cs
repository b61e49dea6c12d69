using System.Security.Cryptography;
using System.Text.Json;

namespace Sessions.Jwt.Internal.Keys;

/// <summary>
/// Turns what reading key material throws into the words of a settings error, in one place. Reading a key (PEM, a JSON
/// Web Key and its base64url members, the checks of <see cref="SessionKey"/>) fails with several exception types: an
/// error of the settings must be reported for each of them, naming the setting, while a fault of the code that reads
/// the key (a <see cref="NullReferenceException"/>, an <see cref="ObjectDisposedException"/>) must still surface as one.
/// </summary>
internal static class KeyErrors
{
    /// <summary>
    /// Whether <paramref name="exception"/> is one that malformed or unsuitable key material causes: the checks'
    /// <see cref="ArgumentException"/>s (weak or wrong keys, PEM without a key), the crypto library's
    /// <see cref="CryptographicException"/>, <see cref="FormatException"/> of base64url that does not decode,
    /// <see cref="JsonException"/> of JSON that does not parse, and <see cref="NotSupportedException"/> of a key form
    /// the platform cannot load.
    /// </summary>
    public static bool IsKeyMaterialError(Exception exception) =>
        exception is ArgumentException or CryptographicException or FormatException or JsonException or NotSupportedException;

    /// <summary>
    /// Why the key was refused, for a message that already names the key and its setting. Never the words of a decoder
    /// (they may repeat the input, which is key material), and never .NET's <c>(Parameter 'key')</c>, which names a
    /// parameter of the code rather than anything the user wrote.
    /// </summary>
    /// <param name="exception">An exception for which <see cref="IsKeyMaterialError"/> holds.</param>
    /// <param name="algorithm">The algorithm the key is configured for.</param>
    public static string Describe(Exception exception, string algorithm) => exception switch
    {
        ArgumentException argument => WithoutParameterName(argument),
        FormatException => "a value of the key is not valid base64url: a JSON Web Key writes 'k', 'x', 'y', 'n', 'e', 'd' and the other numbers " +
            "with A-Z, a-z, 0-9, '-' and '_' only, without '=' padding.",
        JsonException => "it is not a valid JSON Web Key (a JSON object such as {\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"...\",\"y\":\"...\"}).",
        NotSupportedException => $"it cannot be loaded as a {algorithm} key on this platform ({exception.GetType().Name}).",
        _ => $"it could not be read as a key for {algorithm}. Check that it is the right kind of key, unencrypted, and complete.",
    };

    /// <summary>The message of <paramref name="exception"/> without the <c> (Parameter 'name')</c> .NET appends to it.</summary>
    public static string WithoutParameterName(ArgumentException exception) =>
        exception.ParamName is { } name
            ? exception.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal)
            : exception.Message;
}
