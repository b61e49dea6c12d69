using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Sessions.Jwt;

namespace Sessions.SampleServer;

/// <summary>
/// The sample's start-up settings, read from configuration (which includes environment variables and command-line
/// arguments): the variables of the original Go service mapped onto standard configuration.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>PORT</c>: the TCP port; defaults to 3123.</item>
/// <item><c>LISTEN_ADDRESS</c>: the IP address to listen on; defaults to 127.0.0.1 (use 0.0.0.0 in a container).</item>
/// <item><c>JWT_SECRET</c>: the signing secret; becomes <c>Sessions:Secret</c> and wins over it.</item>
/// <item><c>JWT_EXPIRATION</c>: the session lifetime in Go duration syntax (<c>24h</c>, <c>1h30m</c>); becomes
/// <c>Sessions:Lifetime</c> and wins over it.</item>
/// </list>
/// Without <c>JWT_SECRET</c> and <c>Sessions:Secret</c>, a random 256-bit secret is made for this process.
/// </remarks>
public sealed class SampleSettings
{
    /// <summary>The port used when <c>PORT</c> is not set: 3123, as the original service.</summary>
    public const int DefaultPort = 3123;

    private SampleSettings(IPAddress address, int port, bool secretGenerated)
    {
        Address = address;
        Port = port;
        SecretGenerated = secretGenerated;
    }

    /// <summary>The address Kestrel listens on.</summary>
    public IPAddress Address { get; }

    /// <summary>The port Kestrel listens on; 0 picks a free one.</summary>
    public int Port { get; }

    /// <summary>Whether no secret was configured and a random one was made for this process.</summary>
    public bool SecretGenerated { get; }

    /// <summary>
    /// Reads the settings from <paramref name="configuration"/> and writes the mapped <c>Sessions</c> values back into
    /// it, as a source that wins over the others.
    /// </summary>
    /// <param name="configuration">The host's configuration.</param>
    /// <returns>The settings for Kestrel and the start-up log.</returns>
    /// <exception cref="InvalidOperationException">A variable has a value that cannot be used; the message names it.</exception>
    public static SampleSettings Apply(IConfigurationManager configuration)
    {
        var overrides = new Dictionary<string, string?>();
        var port = ReadPort(configuration["PORT"]);
        var address = ReadAddress(configuration["LISTEN_ADDRESS"]);

        var expiration = configuration["JWT_EXPIRATION"];
        if (!string.IsNullOrEmpty(expiration))
        {
            if (!GoDuration.TryParse(expiration, out var lifetime) || lifetime <= TimeSpan.Zero)
            {
                throw new InvalidOperationException(
                    $"JWT_EXPIRATION '{expiration}' is not a valid session lifetime: use a positive Go duration such as 24h, 1h30m or 90s.");
            }

            overrides[$"{JwtSessionOptions.SectionName}:{nameof(JwtSessionOptions.Lifetime)}"] = lifetime.ToString("c", CultureInfo.InvariantCulture);
        }

        var secretKey = $"{JwtSessionOptions.SectionName}:{nameof(JwtSessionOptions.Secret)}";
        var secret = configuration["JWT_SECRET"];
        var secretGenerated = false;
        if (!string.IsNullOrEmpty(secret))
        {
            overrides[secretKey] = secret;
        }
        else if (string.IsNullOrEmpty(configuration[secretKey]))
        {
            overrides[secretKey] = JwtSessionOptions.Base64SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            secretGenerated = true;
        }

        configuration.AddInMemoryCollection(overrides);
        return new SampleSettings(address, port, secretGenerated);
    }

    private static int ReadPort(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return DefaultPort;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > IPEndPoint.MaxPort)
        {
            throw new InvalidOperationException($"PORT '{text}' is not a valid TCP port: use a number from 0 to 65535, such as 3123.");
        }

        return port;
    }

    private static IPAddress ReadAddress(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return IPAddress.Loopback;
        }

        return IPAddress.TryParse(text, out var address)
            ? address
            : throw new InvalidOperationException($"LISTEN_ADDRESS '{text}' is not an IP address: use one such as 127.0.0.1 or 0.0.0.0.");
    }
}
