using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;

namespace Sessions.Jwt.Internal.Reading;

/// <summary>
/// A session read from a valid token. Its custom claims stay in the token until someone asks for them, so
/// validation pays nothing for claims the caller never reads.
/// </summary>
internal sealed class JwtSession : Session
{
    /// <summary>The length of a deferred id: a UUID's 36 characters.</summary>
    public const int DeferredIdLength = 36;

    private readonly string _token;
    private readonly int _payloadStart;
    private readonly int _payloadEnd;
    private readonly int _customClaims;
    private readonly bool _idDeferred;

    // The id's bytes, copied from the decoded payload while the reader has it: Session.Id then costs the string alone,
    // not a second base64url decode of the token (the sessions service reads the id on every Validate).
    private readonly DeferredId _deferredId;

    public JwtSession(string subject, Guid id, DateTimeOffset issuedAt, DateTimeOffset? notBefore, DateTimeOffset expiresAt, string token, int payloadStart, int payloadEnd, int customClaims)
        : base(subject, id, issuedAt, notBefore, expiresAt)
    {
        _token = token;
        _payloadStart = payloadStart;
        _payloadEnd = payloadEnd;
        _customClaims = customClaims;
    }

    /// <summary>
    /// A session whose id is <paramref name="id"/>'s 36 printable ASCII bytes (a UUID's length), made a string only
    /// when asked for.
    /// </summary>
    public JwtSession(string subject, ReadOnlySpan<byte> id, DateTimeOffset issuedAt, DateTimeOffset? notBefore, DateTimeOffset expiresAt, string token, int payloadStart, int payloadEnd, int customClaims)
        : base(subject, Guid.Empty, issuedAt, notBefore, expiresAt)
    {
        _token = token;
        _payloadStart = payloadStart;
        _payloadEnd = payloadEnd;
        _customClaims = customClaims;
        id.CopyTo(_deferredId);
        _idDeferred = true;
    }


    public JwtSession(string subject, string id, DateTimeOffset issuedAt, DateTimeOffset? notBefore, DateTimeOffset expiresAt, string token, int payloadStart, int payloadEnd, int customClaims)
        : base(subject, id, issuedAt, notBefore, expiresAt, customClaims == 0 ? SessionClaims.Empty : null)
    {
        _token = token;
        _payloadStart = payloadStart;
        _payloadEnd = payloadEnd;
        _customClaims = customClaims;
    }

    protected override string LoadId() =>
        _idDeferred ? Encoding.Latin1.GetString(_deferredId) : base.LoadId();

    [InlineArray(DeferredIdLength)]
    private struct DeferredId
    {
        private byte _first;
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
