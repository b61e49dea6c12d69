using System.Buffers.Text;
using System.Security.Cryptography;
using Sessions.Jwt;

namespace Sessions.Grpc.Internal.WellKnown;

/// <summary>
/// The published form of one key set: the JWKS bytes (public keys only), their entity tag and the algorithms they
/// sign with. Made once per key set and shared by <c>/.well-known/jwks.json</c>, the discovery document and
/// <c>GetKeys</c>.
/// </summary>
internal sealed class JwksDocument
{
    private JwksDocument(SessionKeySet keySet, byte[] utf8Json, string version, string[] algorithms)
    {
        KeySet = keySet;
        Utf8Json = utf8Json;
        Version = version;
        ETag = "\"" + version + "\"";
        Algorithms = algorithms;
    }

    /// <summary>The key set this document was made from; a new set means a new document.</summary>
    public SessionKeySet KeySet { get; }

    /// <summary>The JWKS as UTF-8 JSON, written by <see cref="JsonWebKeySetSerializer"/>.</summary>
    public byte[] Utf8Json { get; }

    /// <summary>A short hash of <see cref="Utf8Json"/>: equal for equal documents, across instances and restarts.</summary>
    public string Version { get; }

    /// <summary><see cref="Version"/> as a strong HTTP entity tag (quoted).</summary>
    public string ETag { get; }

    /// <summary>The distinct algorithms of the published (asymmetric) keys, in key order.</summary>
    public IReadOnlyList<string> Algorithms { get; }

    /// <summary>A stable short hash of <paramref name="content"/> (128 bits of SHA-256, base64url), for entity tags.</summary>
    public static string ComputeVersion(ReadOnlySpan<byte> content) => Base64Url.EncodeToString(SHA256.HashData(content).AsSpan(0, 16));

    public static JwksDocument Create(SessionKeySet keySet)
    {
        var json = JsonWebKeySetSerializer.SerializeToUtf8Bytes(keySet);
        var version = ComputeVersion(json);
        var algorithms = keySet.Keys.Where(k => !k.IsSymmetric).Select(k => k.Algorithm).Distinct(StringComparer.Ordinal).ToArray();
        return new JwksDocument(keySet, json, version, algorithms);
    }
}
