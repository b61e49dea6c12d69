using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using StackExchange.Redis;

namespace Sessions.Redis.Tests.Infrastructure;

/// <summary>
/// A real redis-server that speaks TLS only, with a certificate from a certificate authority of the test's own (which
/// no machine trusts) and, when asked, client certificates required: what a configuration string alone cannot reach.
/// </summary>
public sealed class TlsRedis : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sessions-redis-tls-").FullName;
    private readonly X509Certificate2 _authority;
    private readonly X509Certificate2 _client;
    private Process? _process;

    private TlsRedis(int port)
    {
        Port = port;
        using var authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var authorityRequest = new CertificateRequest("CN=Sessions test authority", authorityKey, HashAlgorithmName.SHA256);
        authorityRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        authorityRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        _authority = authorityRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));

        var serverNames = new SubjectAlternativeNameBuilder();
        serverNames.AddIpAddress(IPAddress.Loopback);
        serverNames.AddDnsName("localhost");
        var (server, serverKey) = Issue("CN=localhost", serverNames.Build(), "1.3.6.1.5.5.7.3.1");
        using (serverKey)
        using (server)
        {
            File.WriteAllText(Path.Combine(_directory, "server.crt"), server.ExportCertificatePem());
            File.WriteAllText(Path.Combine(_directory, "server.key"), serverKey.ExportPkcs8PrivateKeyPem());
        }

        File.WriteAllText(Path.Combine(_directory, "ca.crt"), _authority.ExportCertificatePem());
        var (client, clientKey) = Issue("CN=sessions-test-client", null, "1.3.6.1.5.5.7.3.2");
        using (clientKey)
        using (client)
        {
            // Exported and read back: an ephemeral key cannot be presented by SslStream on every platform.
            _client = X509CertificateLoader.LoadPkcs12(client.CopyWithPrivateKey(clientKey).Export(X509ContentType.Pkcs12), null);
        }
    }

    /// <summary>The TLS port, on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The configuration string: the endpoint and <c>ssl=true</c>, nothing a string cannot say.</summary>
    public string Configuration => $"127.0.0.1:{Port},ssl=true";

    /// <summary>What <c>ConfigureConnection</c> sets: trust in the test's authority, and the client certificate.</summary>
    public void Configure(ConfigurationOptions options)
    {
        options.TrustIssuer(_authority);
        options.CertificateSelection += (_, _, _, _, _) => _client;
    }

    /// <summary>Starts redis-server with TLS on a free port; client certificates required when <paramref name="requireClientCertificates"/>.</summary>
    public static async Task<TlsRedis> StartAsync(bool requireClientCertificates)
    {
        for (var attempt = 1; ; attempt++)
        {
            var redis = new TlsRedis(RedisProcess.FreePort());
            if (await redis.TryStartAsync(requireClientCertificates))
            {
                return redis;
            }

            await redis.DisposeAsync();
            Assert.True(attempt < 5, "redis-server with TLS exited at start five times (ports taken, or built without TLS?).");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _authority.Dispose();
        _client.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private (X509Certificate2 Certificate, ECDsa Key) Issue(string subject, X509Extension? names, string usage)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        if (names is not null)
        {
            request.CertificateExtensions.Add(names);
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        var certificate = request.Create(_authority, _authority.NotBefore, _authority.NotAfter, serial);
        return (certificate, key);
    }

    private async Task<bool> TryStartAsync(bool requireClientCertificates)
    {
        var start = new ProcessStartInfo(RedisProcess.FindExecutable())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--port", "0", "--tls-port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--dir", _directory, "--save", "", "--appendonly", "no", "--daemonize", "no",
            "--tls-cert-file", Path.Combine(_directory, "server.crt"), "--tls-key-file", Path.Combine(_directory, "server.key"),
            "--tls-ca-cert-file", Path.Combine(_directory, "ca.crt"), "--tls-auth-clients", requireClientCertificates ? "yes" : "no",
        })
        {
            start.ArgumentList.Add(argument);
        }

        _process = await RedisProcess.LaunchAsync(start, PingAsync, $"127.0.0.1:{Port} over TLS");
        return !_process.HasExited;
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
            await using var tls = new SslStream(client.GetStream(), false, (_, certificate, _, _) =>
                certificate is not null && X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()).Issuer == _authority.Subject);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ClientCertificates = [_client],
            }, timeout.Token);
            await tls.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[16];
            var read = await tls.ReadAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or AuthenticationException)
        {
            return false;
        }
    }
}
