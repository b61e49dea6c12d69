using System.Security.Cryptography;
using Sessions.Jwt.Internal;
using Sessions.Jwt.Internal.Signing;
using Xunit;

namespace Sessions.Jwt.Tests;

public class HmacSha256KeyTests
{
    private static readonly byte[] s_key = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] s_data = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0"u8.ToArray();

    [Fact]
    public void Verify_accepts_the_mac_of_the_data_as_HMACSHA256_computes_it()
    {
        using var key = new HmacSha256Key(s_key);
        Assert.True(key.Verify(s_data, HMACSHA256.HashData(s_key, s_data)));
    }

    [Fact]
    public void Verify_refuses_a_mac_that_differs_in_any_one_bit_of_any_byte()
    {
        using var key = new HmacSha256Key(s_key);
        var mac = HMACSHA256.HashData(s_key, s_data);
        for (var i = 0; i < mac.Length; i++)
        {
            for (var bit = 0; bit < 8; bit++)
            {
                var changed = (byte[])mac.Clone();
                changed[i] ^= (byte)(1 << bit);
                Assert.False(key.Verify(s_data, changed), $"byte {i}, bit {bit}");
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)]
    public void Verify_refuses_a_mac_of_another_length(int length)
    {
        using var key = new HmacSha256Key(s_key);
        var mac = HMACSHA256.HashData(s_key, s_data);
        var other = new byte[length];
        mac.AsSpan(0, Math.Min(length, mac.Length)).CopyTo(other);
        Assert.False(key.Verify(s_data, other));
    }

    [Fact]
    public void MacEquals_compares_all_32_bytes_and_nothing_else()
    {
        var a = RandomNumberGenerator.GetBytes(32);
        Assert.True(HmacSha256Key.MacEquals(a, (byte[])a.Clone()));
        Assert.False(HmacSha256Key.MacEquals(a, a.AsSpan(0, 31)));
        Assert.False(HmacSha256Key.MacEquals(a.AsSpan(0, 16), a.AsSpan(0, 16)));
        var b = (byte[])a.Clone();
        b[31] ^= 0x80;
        Assert.False(HmacSha256Key.MacEquals(a, b));
    }
}
