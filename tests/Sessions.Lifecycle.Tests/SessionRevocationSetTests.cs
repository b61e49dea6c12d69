using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Sessions.Lifecycle.Tests;

/// <summary>
/// A subject's revocation against sessions issued in its own second: to the millisecond when the session id is a
/// version 7 UUID whose time falls in the <c>iat</c> second, to the whole second otherwise.
/// </summary>
public sealed class SessionRevocationSetTests
{
    private const string Subject = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

    // The second of iat, and the revocation 500 ms into it.
    private static readonly DateTimeOffset Second = DateTimeOffset.FromUnixTimeSeconds(1_796_587_200);
    private static readonly DateTimeOffset RevokedAt = Second.AddMilliseconds(500);

    [Theory]
    [InlineData(499, true)]
    [InlineData(500, true)]
    [InlineData(501, false)]
    [InlineData(999, false)]
    public void A_version_7_id_in_the_iat_second_is_compared_to_the_millisecond(int millisecond, bool revoked) =>
        Assert.Equal(revoked, Revocations().Contains(Session(Version7(Second.AddMilliseconds(millisecond)))));

    [Fact]
    public void A_version_7_id_whose_time_is_not_in_the_iat_second_counts_as_issued_at_the_start_of_that_second() =>
        Assert.True(Revocations().Contains(Session(Version7(Second.AddSeconds(1).AddMilliseconds(900)))));

    [Theory]
    [InlineData("0b4e7b62-5c39-4a3e-9f2d-8c1e4a7d6b35")]   // version 4
    [InlineData("session-of-another-issuer")]
    public void Any_other_id_counts_as_issued_at_the_start_of_its_iat_second(string id) =>
        Assert.True(Revocations().Contains(Session(id)));

    private static SessionRevocationSet Revocations()
    {
        var set = new SessionRevocationSet();
        set.AddSubject(Subject, RevokedAt, Second.AddDays(1));
        return set;
    }

    private static Session Session(string id) => new(Subject, id, Second, Second, Second.AddHours(1));

    private static string Version7(DateTimeOffset issuedAt)
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        Span<byte> time = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(time, issuedAt.ToUnixTimeMilliseconds());
        time[2..].CopyTo(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x70);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString("D");
    }
}
