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

    // RFC 4231, section 4: test cases 1, 2, 4, 6 and 7 (keys of 20, 4, 25 and 131 bytes; 131 is longer than a block,
    // so the key is hashed first). Case 5 truncates the MAC and case 3 repeats case 4's shape.
    public static TheoryData<string, byte[], byte[], string> Rfc4231Cases() => new()
    {
        { "1", Enumerable.Repeat((byte)0x0b, 20).ToArray(), "Hi There"u8.ToArray(), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
        { "2", "Jefe"u8.ToArray(), "what do ya want for nothing?"u8.ToArray(), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
        { "4", Enumerable.Range(1, 25).Select(i => (byte)i).ToArray(), Enumerable.Repeat((byte)0xcd, 50).ToArray(), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
        { "6", Enumerable.Repeat((byte)0xaa, 131).ToArray(), "Test Using Larger Than Block-Size Key - Hash Key First"u8.ToArray(), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
        {
            "7", Enumerable.Repeat((byte)0xaa, 131).ToArray(),
            "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."u8.ToArray(),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
        },
    };

    [Theory]
    [MemberData(nameof(Rfc4231Cases))]
    public void Compute_gives_the_macs_of_RFC_4231(string testCase, byte[] key, byte[] data, string mac)
    {
        using var hmac = new HmacSha256Key(key);
        var computed = new byte[32];
        hmac.Compute(data, computed);
        Assert.True(mac == Convert.ToHexStringLower(computed), $"RFC 4231 test case {testCase}");
    }

    [Fact]
    public void Compute_equals_HMACSHA256_for_keys_and_data_around_the_block_boundaries()
    {
        int[] keyLengths = [1, 32, 63, 64, 65, 100, 128, 200];
        foreach (var keyLength in keyLengths)
        {
            var secret = RandomNumberGenerator.GetBytes(keyLength);
            using var hmac = new HmacSha256Key(secret);
            for (var dataLength = 0; dataLength <= 300; dataLength++)
            {
                var data = RandomNumberGenerator.GetBytes(dataLength);
                var computed = new byte[32];
                hmac.Compute(data, computed);
                Assert.True(HMACSHA256.HashData(secret, data).AsSpan().SequenceEqual(computed), $"key of {keyLength} bytes, data of {dataLength}");
            }
        }
    }

    [Fact]
    public async Task Compute_from_many_threads_at_once_gives_each_its_own_mac()
    {
        using var hmac = new HmacSha256Key(s_key);
        var inputs = Enumerable.Range(0, 64).Select(i => RandomNumberGenerator.GetBytes(200 + i)).ToArray();
        var expected = inputs.Select(data => HMACSHA256.HashData(s_key, data)).ToArray();
        var workers = Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            var computed = new byte[32];
            for (var round = 0; round < 2_000; round++)
            {
                var i = (worker * 7 + round) % inputs.Length;
                hmac.Compute(inputs[i], computed);
                Assert.True(expected[i].AsSpan().SequenceEqual(computed), $"input {i}, round {round}");
            }
        }));
        await Task.WhenAll(workers);
    }

    [Fact]
    public void On_Linux_with_OpenSSL_3_the_key_computes_from_midstates()
    {
        // The fast path is worth having only where it is used: with OpenSSL 3 on Linux (this project's machines), it must be.
        var expected = OperatingSystem.IsLinux() && SafeEvpPKeyHandle.OpenSslVersion >> 28 == 3
            && Environment.GetEnvironmentVariable(OpenSslSha256.DisableVariable) != "1";
        using var hmac = new HmacSha256Key(s_key);
        Assert.Equal(expected, OpenSslSha256.IsAvailable);
        Assert.Equal(expected, hmac.UsesMidstates);
    }

    [Fact]
    public void A_disposed_key_refuses_to_compute()
    {
        var hmac = new HmacSha256Key(s_key);
        hmac.Dispose();
        hmac.Dispose();
        Assert.Throws<ObjectDisposedException>(() => hmac.Compute(s_data, new byte[32]));
    }

    [Fact]
    public async Task A_key_disposed_while_macs_are_computed_gives_each_the_right_mac_or_refuses()
    {
        // Keys are retired while calls may still hold them: a MAC then is either right or refused, never computed from
        // freed or zeroed key material (a MAC from a zeroed state is one anybody can compute).
        var expected = HMACSHA256.HashData(s_key, s_data);
        for (var round = 0; round < 20; round++)
        {
            var hmac = new HmacSha256Key(s_key);
            using var start = new Barrier(5);
            var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            {
                var computed = new byte[32];
                var right = 0;
                start.SignalAndWait();
                for (var i = 0; i < 5_000; i++)
                {
                    try
                    {
                        hmac.Compute(s_data, computed);
                    }
                    catch (ObjectDisposedException)
                    {
                        return right;
                    }

                    Assert.True(expected.AsSpan().SequenceEqual(computed), $"MAC {i} of a key being disposed");
                    right++;
                }

                return right;
            })).ToArray();
            start.SignalAndWait();
            Thread.SpinWait(round * 500);
            hmac.Dispose();
            await Task.WhenAll(workers);
            Assert.Throws<ObjectDisposedException>(() => hmac.Compute(s_data, new byte[32]));
        }
    }

    [Fact]
    public void Compute_refuses_a_mac_buffer_shorter_than_32_bytes()
    {
        using var hmac = new HmacSha256Key(s_key);
        Assert.Throws<ArgumentException>(() => hmac.Compute(s_data, new byte[31]));
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
