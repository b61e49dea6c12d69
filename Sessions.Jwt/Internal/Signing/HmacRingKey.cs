using System.Security.Cryptography;

namespace Sessions.Jwt.Internal.Signing;

/// <summary>An HS256 key: its HMAC-SHA256 (<see cref="HmacSha256Key"/>), compared in fixed time.</summary>
internal sealed class HmacRingKey : RingKey
{
    private readonly HmacSha256Key _hmac;

    public HmacRingKey(SessionKey key)
        : base(key, HmacSha256Key.MacSize)
    {
        Span<byte> secret = stackalloc byte[key.SymmetricKeyLength];
        key.CopySymmetricKey(secret);
        _hmac = new HmacSha256Key(secret);
        CryptographicOperations.ZeroMemory(secret);
    }

    public override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) => _hmac.Verify(data, signature);

    public override void Sign(ReadOnlySpan<byte> data, Span<byte> signature) => _hmac.Compute(data, signature);

    public override void Dispose() => _hmac.Dispose();
}
