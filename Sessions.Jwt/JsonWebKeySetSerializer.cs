using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace Sessions.Jwt;

/// <summary>
/// Writes the public half of a key ring as a JSON Web Key Set (RFC 7517), for <c>/.well-known/jwks.json</c>.
/// </summary>
/// <remarks>
/// Only asymmetric keys appear, and only their public parameters are ever exported: symmetric secrets and private
/// key parts cannot reach the output, whatever the key set holds.
/// </remarks>
public static class JsonWebKeySetSerializer
{
    /// <summary>Serializes the public keys of <paramref name="keys"/>.</summary>
    /// <param name="keys">The key set.</param>
    /// <returns>The JWKS as UTF-8 JSON: <c>{"keys":[...]}</c>.</returns>
    public static byte[] SerializeToUtf8Bytes(SessionKeySet keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("keys");
            foreach (var key in keys.Keys)
            {
                WriteKey(writer, key);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>Serializes the public keys of <paramref name="keys"/> as a string.</summary>
    /// <param name="keys">The key set.</param>
    /// <returns>The JWKS JSON.</returns>
    public static string Serialize(SessionKeySet keys) => System.Text.Encoding.UTF8.GetString(SerializeToUtf8Bytes(keys));

    private static void WriteKey(Utf8JsonWriter writer, SessionKey key)
    {
        switch (key.AsymmetricKey)
        {
            case ECDsa ec:
                var ecParameters = ec.ExportParameters(includePrivateParameters: false);
                writer.WriteStartObject();
                writer.WriteString("kty", "EC");
                writer.WriteString("use", "sig");
                writer.WriteString("alg", key.Algorithm);
                writer.WriteString("kid", key.Id);
                writer.WriteString("crv", "P-256");
                writer.WriteString("x", Base64Url.EncodeToString(ecParameters.Q.X));
                writer.WriteString("y", Base64Url.EncodeToString(ecParameters.Q.Y));
                writer.WriteEndObject();
                break;
            case RSA rsa:
                var rsaParameters = rsa.ExportParameters(includePrivateParameters: false);
                writer.WriteStartObject();
                writer.WriteString("kty", "RSA");
                writer.WriteString("use", "sig");
                writer.WriteString("alg", key.Algorithm);
                writer.WriteString("kid", key.Id);
                writer.WriteString("n", Base64Url.EncodeToString(rsaParameters.Modulus));
                writer.WriteString("e", Base64Url.EncodeToString(rsaParameters.Exponent));
                writer.WriteEndObject();
                break;
            default:
                // Symmetric keys are shared secrets: publishing one would let anyone sign sessions.
                break;
        }
    }
}
