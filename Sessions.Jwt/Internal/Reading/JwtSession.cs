using System.Buffers;
using System.Buffers.Text;

namespace Sessions.Jwt.Internal.Reading;

/// <summary>
/// A session read from a valid token. Its custom claims stay in the token until someone asks for them, so
/// validation pays nothing for claims the caller never reads.
/// </summary>
internal sealed class JwtSession : Session
{
    /// <summary>The length of a UUID's canonical text (<c>8-4-4-4-12</c>): what the canonical reader expects as <c>jti</c>.</summary>
    public const int UuidTextLength = 36;

    private readonly string _token;
    private readonly int _payloadStart;
    private readonly int _payloadEnd;
    private readonly int _customClaims;

    public JwtSession(string subject, Guid id, DateTimeOffset issuedAt, DateTimeOffset? notBefore, DateTimeOffset expiresAt, string token, int payloadStart, int payloadEnd, int customClaims)
        : base(subject, id, issuedAt, notBefore, expiresAt)
    {
        _token = token;
        _payloadStart = payloadStart;
        _payloadEnd = payloadEnd;
        _customClaims = customClaims;
    }

    public JwtSession(string subject, string id, DateTimeOffset issuedAt, DateTimeOffset? notBefore, DateTimeOffset expiresAt, string token, int payloadStart, int payloadEnd, int customClaims)
        : base(subject, id, issuedAt, notBefore, expiresAt, customClaims == 0 ? SessionClaims.Empty : null)
    {
        _token = token;
        _payloadStart = payloadStart;
        _payloadEnd = payloadEnd;
        _customClaims = customClaims;
    }

    protected override SessionClaims LoadClaims()
    {
        if (_customClaims == 0)
        {
            return SessionClaims.Empty;
        }

        var buffer = DecodePayload(out var length);
        try
        {
            return CustomClaimsReader.Read(buffer.AsSpan(0, length), _customClaims);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override bool TryReadClaim(string name, out SessionClaimValue value)
    {
        if (_customClaims == 0 || SessionClaimNames.IsRegistered(name))
        {
            value = default;
            return false;
        }

        var buffer = DecodePayload(out var length);
        try
        {
            return CustomClaimsReader.TryReadOne(buffer.AsSpan(0, length), name, out value);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // The token was validated, so decoding and parsing cannot fail here.
    private byte[] DecodePayload(out int length)
    {
        var encoded = _token.AsSpan(_payloadStart, _payloadEnd - _payloadStart);
        var buffer = ArrayPool<byte>.Shared.Rent(Base64Url.GetMaxDecodedLength(encoded.Length));
        SessionTokenReader.TryDecode(encoded, buffer, out length);
        return buffer;
    }
}
