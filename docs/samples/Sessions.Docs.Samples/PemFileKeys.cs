using System.Security.Cryptography;
using Sessions;

namespace DocsSamples;

/// <summary>docs/key-rotation.md: a key source of the host's own.</summary>
// <own-key-source-class>
public sealed class PemFileKeys(string path, string keyId) : ISessionKeySource, IDisposable
{
    private readonly SessionKeySet _keys = Load(path, keyId);

    public event EventHandler? KeysChanged { add { } remove { } }   // these keys never change

    public SessionKeySet GetKeys() => _keys;

    public ValueTask<bool> RefreshAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(false);

    public void Dispose() => _keys.SigningKey?.AsymmetricKey?.Dispose();

    private static SessionKeySet Load(string path, string keyId)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(path));   // a private key: this one signs, and validates
        return new SessionKeySet([SessionKey.Asymmetric(keyId, "ES256", key)], signingKeyId: keyId);
    }
}
// </own-key-source-class>
