using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Sessions.Jwt.Internal.Signing;

/// <summary>
/// An HMAC-SHA256 key: its two keyed SHA-256 midstates over OpenSSL's SHA-256 where <see cref="OpenSslSha256"/> is
/// available, otherwise a pool of keyed <see cref="IncrementalHash"/> instances.
/// </summary>
/// <remarks>
/// Setting the key is a large share of one-shot HMAC cost. RFC 2104's HMAC is
/// <c>H((K ^ opad) || H((K ^ ipad) || data))</c>: the first block of each hash depends on the key only, so the state
/// after it (the midstate) is computed once, and each MAC starts from a copy of it. That needs no lock and no pool.
/// The portable path keeps a few keyed <see cref="IncrementalHash"/> instances instead, lending each to one caller at a
/// time, since a keyed instance is not thread-safe.
/// </remarks>
internal sealed unsafe class HmacSha256Key : IDisposable
{
    public const int MacSize = 32;

    private readonly byte[]? _key;
    private readonly InstancePool<IncrementalHash>? _pool;

    // A set bit in _uses: disposed. The rest counts the MACs being computed.
    private const int DisposedBit = 1 << 30;

    // Two SHA256_CTX midstates, inner then outer, in native memory so that no collection moves or copies them. The key
    // material (these, or the pool and its key) is zeroed and freed by whichever comes last of Dispose and the MACs in
    // progress when it was called: a key retired while a call still uses it must neither be read after it was freed
    // nor be read zeroed, which would make the MAC one anybody can compute (a pooled instance made from a zeroed key).
    private readonly byte* _midstates;
    private int _uses;
    private int _released;

    public HmacSha256Key(ReadOnlySpan<byte> key)
    {
        if (OpenSslSha256.IsAvailable)
        {
            _midstates = Midstates(key);
            return;
        }

        _key = key.ToArray();
        _pool = new InstancePool<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key));
    }

    /// <summary>Whether this key computes its MACs from midstates over OpenSSL's SHA-256 (see <see cref="OpenSslSha256"/>).</summary>
    internal bool UsesMidstates => _midstates is not null;

    /// <summary>Computes the MAC of <paramref name="data"/> into the first 32 bytes of <paramref name="mac"/>.</summary>
    public void Compute(ReadOnlySpan<byte> data, Span<byte> mac)
    {
        if (mac.Length < MacSize)
        {
            throw new ArgumentException($"The MAC needs {MacSize} bytes.", nameof(mac));
        }

        if ((Interlocked.Increment(ref _uses) & DisposedBit) != 0)
        {
            EndUse();
            throw new ObjectDisposedException(nameof(HmacSha256Key));
        }

        try
        {
            var midstates = _midstates;
            if (midstates is null)
            {
                ComputePooled(data, mac);
            }
            else
            {
                ComputeFromMidstates(midstates, data, mac);
            }
        }
        finally
        {
            EndUse();
        }
    }

    private static void ComputeFromMidstates(byte* midstates, ReadOnlySpan<byte> data, Span<byte> mac)
    {
        var context = stackalloc byte[OpenSslSha256.ContextSize];
        var inner = stackalloc byte[OpenSslSha256.DigestSize];
        fixed (byte* input = data)
        fixed (byte* output = mac)
        {
            new ReadOnlySpan<byte>(midstates, OpenSslSha256.ContextSize).CopyTo(new Span<byte>(context, OpenSslSha256.ContextSize));
            OpenSslSha256.Update(context, input, data.Length);
            OpenSslSha256.Final(context, inner);
            new ReadOnlySpan<byte>(midstates + OpenSslSha256.ContextSize, OpenSslSha256.ContextSize).CopyTo(new Span<byte>(context, OpenSslSha256.ContextSize));
            OpenSslSha256.Update(context, inner, OpenSslSha256.DigestSize);
            OpenSslSha256.Final(context, output);
        }

        // The midstates' copy holds key material; SHA256_Final cleanses the block, not the chaining state.
        new Span<byte>(context, OpenSslSha256.ContextSize).Clear();
        new Span<byte>(inner, OpenSslSha256.DigestSize).Clear();
    }

    /// <summary>Whether <paramref name="signature"/> is the MAC of <paramref name="data"/>, compared in fixed time.</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        Span<byte> mac = stackalloc byte[MacSize];
        Compute(data, mac);
        return MacEquals(mac, signature);
    }

    /// <summary>Whether two 32-byte MACs are equal, in a time that does not depend on their contents.</summary>
    /// <remarks>
    /// <see cref="CryptographicOperations.FixedTimeEquals"/> is compiled without optimisation, one indexer call per
    /// byte: about 1,100 instructions for 32 bytes, on every Validate. Four 64-bit words XORed and ORed together with one
    /// test at the end have no branch that depends on the data either, in a few dozen.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static bool MacEquals(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != MacSize || b.Length != MacSize)
        {
            return false;
        }

        var x = MemoryMarshal.Cast<byte, ulong>(a);
        var y = MemoryMarshal.Cast<byte, ulong>(b);
        return ((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2]) | (x[3] ^ y[3])) == 0;
    }

    public void Dispose()
    {
        if (Interlocked.Or(ref _uses, DisposedBit) == 0)
        {
            Release();
        }
    }

    private void EndUse()
    {
        // The last MAC to end after Dispose releases the key material (a MAC refused after Dispose ends here too).
        if (Interlocked.Decrement(ref _uses) == DisposedBit)
        {
            Release();
        }
    }

    private void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }

        if (_midstates is not null)
        {
            CryptographicOperations.ZeroMemory(new Span<byte>(_midstates, 2 * OpenSslSha256.ContextSize));
            NativeMemory.Free(_midstates);
            return;
        }

        _pool!.Dispose();
        CryptographicOperations.ZeroMemory(_key);
    }

    private void ComputePooled(ReadOnlySpan<byte> data, Span<byte> mac)
    {
        var hash = _pool!.Rent();
        hash.AppendData(data);
        hash.TryGetHashAndReset(mac, out _);
        _pool.Return(hash);
    }

    /// <summary>The SHA-256 states after <c>K ^ ipad</c> and after <c>K ^ opad</c> (RFC 2104, section 2).</summary>
    private static byte* Midstates(ReadOnlySpan<byte> key)
    {
        // A key longer than a block is replaced by its hash; a shorter one is padded with zeros to a block.
        var block = stackalloc byte[OpenSslSha256.BlockSize];
        var padded = new Span<byte>(block, OpenSslSha256.BlockSize);
        padded.Clear();
        if (key.Length > OpenSslSha256.BlockSize)
        {
            SHA256.HashData(key, padded);
        }
        else
        {
            key.CopyTo(padded);
        }

        var midstates = (byte*)NativeMemory.AllocZeroed(2 * OpenSslSha256.ContextSize);
        try
        {
            Absorb(midstates, padded, 0x36);
            Absorb(midstates + OpenSslSha256.ContextSize, padded, 0x36 ^ 0x5c);
        }
        catch
        {
            NativeMemory.Free(midstates);
            throw;
        }
        finally
        {
            padded.Clear();
        }

        return midstates;

        // XORs the block with the pad in place (the outer call undoes the inner pad and applies the outer one).
        static void Absorb(byte* context, Span<byte> block, byte pad)
        {
            for (var i = 0; i < block.Length; i++)
            {
                block[i] ^= pad;
            }

            OpenSslSha256.Init(context);
            fixed (byte* data = block)
            {
                OpenSslSha256.Update(context, data, block.Length);
            }
        }
    }
}
