using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Sessions.Jwt.Internal.Writing;

namespace Sessions.Jwt.Internal.Signing;

/// <summary>
/// A key of the compiled key ring: what the hot path needs to sign with it or check a signature by it, with its
/// header precomputed and its algorithm pinned.
/// </summary>
internal abstract class RingKey : IDisposable
{
    protected RingKey(SessionKey key, int signatureSize)
    {
        Key = key;
        AlgorithmId = JwsAlgorithms.IdOf(key.Algorithm);
        KidUtf8 = key.Id is null ? null : Encoding.UTF8.GetBytes(key.Id);
        SignatureSize = signatureSize;
        SignatureChars = Base64Url.GetEncodedLength(signatureSize);
        EncodedHeader = Encoding.ASCII.GetBytes(Base64Url.EncodeToString(HeaderJson(key)));
    }

    public SessionKey Key { get; }

    public int AlgorithmId { get; }

    /// <summary>The <c>kid</c> as UTF-8; <see langword="null"/> for the key tokens name by omitting <c>kid</c>.</summary>
    public byte[]? KidUtf8 { get; }

    public int SignatureSize { get; }

    public int SignatureChars { get; }

    /// <summary>The base64url header this key signs with, as ASCII bytes.</summary>
    public byte[] EncodedHeader { get; }

    public static RingKey Create(SessionKey key) => key.Algorithm switch
    {
        "HS256" => new HmacRingKey(key),
        "ES256" => new EcdsaRingKey(key),
        _ => new RsaRingKey(key),
    };

    public abstract bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature);

    /// <summary>Signs <paramref name="data"/> into <paramref name="signature"/> (exactly <see cref="SignatureSize"/> bytes).</summary>
    public abstract void Sign(ReadOnlySpan<byte> data, Span<byte> signature);

    public abstract void Dispose();

    private static byte[] HeaderJson(SessionKey key)
    {
        // The header of a key without id is the original service's, byte for byte: {"alg":"HS256","typ":"JWT"}.
        var kid = key.Id is null ? string.Empty : ",\"kid\":\"" + Encoding.UTF8.GetString(JsonText.Escape(key.Id)) + "\"";
        return Encoding.UTF8.GetBytes("{\"alg\":\"" + key.Algorithm + "\"" + kid + ",\"typ\":\"JWT\"}");
    }
}
