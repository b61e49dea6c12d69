using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sessions.Grpc.Internal.Requests;

namespace Sessions.Grpc.Internal.Hosting;

/// <summary>
/// Once the server listens, asks each cleartext address whether it speaks HTTP/2 (the connection preface, as a gRPC
/// client sends it) and warns when none does and there is no TLS endpoint either: a stock web app listens on
/// <c>http://</c> with HTTP/1.1 and HTTP/2 enabled, which without TLS means HTTP/1.1 only, and its gRPC clients
/// fail with "Protocol error" while the server's log says nothing. The probe is one loopback connection per address,
/// bounded by <see cref="ProbeTimeout"/>; an address it cannot reach counts as fine (nothing is known). With gRPC-Web
/// on (<c>AddGrpcWeb()</c>) such a host is what its owner chose, and it is told so at <c>Information</c> instead.
/// </summary>
internal sealed class Http2EndpointCheck(IServer server, IEnumerable<IStartupFilter> startupFilters, ILogger<Http2EndpointCheck> logger) : IHostedLifecycleService
{
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    // The client connection preface (RFC 9113 §3.4) followed by an empty SETTINGS frame.
    private static readonly byte[] s_preface =
    [
        .. "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8,
        0, 0, 0, 0x04, 0, 0, 0, 0, 0,
    ];

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        if (addresses.Count == 0 || addresses.Any(a => a.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
        {
            return;
        }

        var http1Only = new List<string>();
        foreach (var address in addresses)
        {
            if (await SpeaksHttp2Async(address, cancellationToken).ConfigureAwait(false) != false)
            {
                return;
            }

            http1Only.Add(address);
        }

        var answered = string.Join(", ", http1Only);
        if (startupFilters.Any(filter => filter is SessionsGrpcWebStartupFilter))
        {
            HostingLog.GrpcWebOnlyEndpoints(logger, answered);
        }
        else
        {
            HostingLog.NoHttp2Endpoint(logger, answered);
        }
    }

    /// <returns>Whether <paramref name="address"/> answers the HTTP/2 preface; <see langword="null"/> when unknown.</returns>
    private static async Task<bool?> SpeaksHttp2Async(string address, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || uri.Port <= 0)
        {
            return null;
        }

        IPAddress target = uri.HostNameType switch
        {
            UriHostNameType.IPv4 or UriHostNameType.IPv6 when IPAddress.Parse(uri.Host.Trim('[', ']')) is var ip =>
                ip.Equals(IPAddress.Any) ? IPAddress.Loopback : ip.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : ip,
            _ => IPAddress.Loopback,   // localhost, +, *
        };

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            using var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(target, uri.Port, timeout.Token).ConfigureAwait(false);
            await socket.SendAsync(s_preface, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            var reply = new byte[9];
            var read = 0;
            while (read < reply.Length)
            {
                var n = await socket.ReceiveAsync(reply.AsMemory(read), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            // An HTTP/2 server answers with its SETTINGS frame (type 4 in the fourth byte); HTTP/1.1 with "HTTP/1.1 400".
            return read == reply.Length && reply[3] == 0x04;
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
            return null;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
