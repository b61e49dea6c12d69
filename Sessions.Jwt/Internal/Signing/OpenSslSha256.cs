using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Sessions.Jwt.Internal.Signing;

/// <summary>
/// SHA-256 straight from the OpenSSL library .NET itself uses on Linux: <c>SHA256_Init</c>, <c>SHA256_Update</c> and
/// <c>SHA256_Final</c> over a caller-owned context, which take OpenSSL's fastest block code (the CPU's SHA
/// instructions where it has them) without the per-call costs of the keyed HMAC object .NET wraps.
/// </summary>
/// <remarks>
/// Each MAC through <see cref="IncrementalHash"/> is three calls into OpenSSL, each clearing OpenSSL's thread error
/// queue, with an allocation and a free of a digest context for the copy of the keyed one: measured with perf on the
/// sample server, that machinery cost more than the SHA-256 blocks themselves. <see cref="HmacSha256Key"/> keeps the
/// two keyed midstates (RFC 2104) and finishes each MAC with four calls that neither allocate nor touch the error queue.
/// <para>
/// Used only when it is provably the same primitive .NET would use: on Linux, from the OpenSSL 3 library .NET loaded
/// (its version number must equal <see cref="SafeEvpPKeyHandle.OpenSslVersion"/>), and never when OpenSSL's default
/// properties ask for FIPS providers, since these functions do not go through the providers. Everywhere else,
/// <see cref="IsAvailable"/> is <see langword="false"/> and <see cref="HmacSha256Key"/> uses <see cref="IncrementalHash"/>.
/// </para>
/// </remarks>
internal static unsafe class OpenSslSha256
{
    /// <summary>The size of OpenSSL's <c>SHA256_CTX</c> (<c>openssl/sha.h</c>: eight words of state, two of length, 64 bytes of block, two counters).</summary>
    public const int ContextSize = 112;

    /// <summary>The SHA-256 block size, in bytes.</summary>
    public const int BlockSize = 64;

    /// <summary>The SHA-256 digest size, in bytes.</summary>
    public const int DigestSize = 32;

    /// <summary>What the environment variable set to <c>1</c> turns off, for comparing the two paths in a benchmark or a test.</summary>
    public const string DisableVariable = "SESSIONS_HMAC_OPENSSL_DISABLED";

    private static readonly delegate* unmanaged[SuppressGCTransition]<byte*, int> s_init;
    private static readonly delegate* unmanaged[SuppressGCTransition]<byte*, byte*, nuint, int> s_update;
    private static readonly delegate* unmanaged[SuppressGCTransition]<byte*, byte*, int> s_final;

    static OpenSslSha256()
    {
        if (TryBind(out var init, out var update, out var final))
        {
            s_init = init;
            s_update = update;
            s_final = final;
            IsAvailable = true;
        }
    }

    /// <summary>Whether this path is used; see the remarks of the class for when it is.</summary>
    public static bool IsAvailable { get; }

    /// <summary>Starts a SHA-256 context in <paramref name="context"/> (<see cref="ContextSize"/> bytes).</summary>
    public static void Init(byte* context) => Check(s_init(context));

    /// <summary>Hashes <paramref name="length"/> more bytes into <paramref name="context"/>.</summary>
    public static void Update(byte* context, byte* data, int length) => Check(s_update(context, data, (nuint)length));

    /// <summary>Writes the digest of <paramref name="context"/> to <paramref name="digest"/> (<see cref="DigestSize"/> bytes) and cleanses the context's block.</summary>
    public static void Final(byte* context, byte* digest) => Check(s_final(digest, context));

    // These functions return 0 only for a null argument; a 0 here would be a bug of ours, not a condition to handle.
    private static void Check(int result)
    {
        if (result != 1)
        {
            throw new CryptographicException("OpenSSL's SHA-256 refused its arguments.");
        }
    }

    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "Any failure to bind means the portable path is used.")]
    private static bool TryBind(
        out delegate* unmanaged[SuppressGCTransition]<byte*, int> init,
        out delegate* unmanaged[SuppressGCTransition]<byte*, byte*, nuint, int> update,
        out delegate* unmanaged[SuppressGCTransition]<byte*, byte*, int> final)
    {
        init = null;
        update = null;
        final = null;
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(DisableVariable) == "1")
        {
            return false;
        }

        try
        {
            // Loads .NET's own OpenSSL (and its configuration) first, so the library found below is the one it uses.
            var dotnetVersion = SafeEvpPKeyHandle.OpenSslVersion;
            if (dotnetVersion >> 28 != 3 || !NativeLibrary.TryLoad("libcrypto.so.3", out var library))
            {
                return false;
            }

            if (!NativeLibrary.TryGetExport(library, "OpenSSL_version_num", out var versionNum)
                || ((delegate* unmanaged<nuint>)versionNum)() != (nuint)dotnetVersion
                || !NativeLibrary.TryGetExport(library, "EVP_default_properties_is_fips_enabled", out var fipsEnabled)
                || ((delegate* unmanaged<nint, int>)fipsEnabled)(0) != 0
                || !NativeLibrary.TryGetExport(library, "SHA256_Init", out var initExport)
                || !NativeLibrary.TryGetExport(library, "SHA256_Update", out var updateExport)
                || !NativeLibrary.TryGetExport(library, "SHA256_Final", out var finalExport))
            {
                return false;
            }

            init = (delegate* unmanaged[SuppressGCTransition]<byte*, int>)initExport;
            update = (delegate* unmanaged[SuppressGCTransition]<byte*, byte*, nuint, int>)updateExport;
            final = (delegate* unmanaged[SuppressGCTransition]<byte*, byte*, int>)finalExport;
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }
}
