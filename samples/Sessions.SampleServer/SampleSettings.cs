using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Sessions.Grpc;
using Sessions.Internal;
using Sessions.Jwt;
using Sessions.Redis;
using StackExchange.Redis;

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
/// <item><c>HTTP_PORT</c>: the HTTP/1.1 port of the well-known key documents; defaults to 3124.</item>
/// <item><c>SESSIONS_PUBLIC_URL</c>: the address validators reach <c>HTTP_PORT</c> at (<c>https://sessions.example.com</c>),
/// named by the discovery document; becomes <c>Sessions:PublicBaseUrl</c> and wins over it. Unset, it is
/// <c>http://LISTEN_ADDRESS:HTTP_PORT</c> (<c>http://127.0.0.1:3124</c> by default), except on an address of every
/// interface (<c>0.0.0.0</c>, <c>::</c>) or a picked port, where the document names the address it was asked at and
/// is not publicly cacheable.</item>
/// <item><c>JWT_ALGORITHM</c>: <c>HS256</c> (the default), <c>ES256</c>, <c>RS256</c> or <c>PS256</c>. An asymmetric
/// algorithm signs with <c>JWT_PRIVATE_KEY_FILE</c>, or with a key generated for this process.</item>
/// <item><c>SESSIONS_API_KEY</c>: the key privileged calls (<c>Create</c>, <c>Revoke</c> by <c>session_id</c>,
/// <c>RevokeAll</c>) must send as the <c>x-api-key</c> metadata; at least 32 bytes, and nothing a header cannot carry
/// (a line break, whitespace at either end). Unset, <c>Create</c> stays open (with
/// a warning at start) and the other privileged calls are refused.</item>
/// <item><c>SESSIONS_PREVIOUS_API_KEY</c>: a second key accepted beside <c>SESSIONS_API_KEY</c> while callers move to a
/// new one (<c>Sessions:PreviousApiKey</c>); needs <c>SESSIONS_API_KEY</c>.</item>
/// <item><c>JWT_PRIVATE_KEY_FILE</c>: a PEM private key for <c>JWT_ALGORITHM</c>; its <c>kid</c> is derived from the
/// public key, so it stays the same across restarts and instances.</item>
/// <item><c>SESSIONS_REDIS</c>: a StackExchange.Redis configuration string (one primary, <c>redis:6379,password=...</c>,
/// or the seed nodes of a Redis Cluster) that selects the Redis store, shared by every instance given the same one;
/// becomes <c>Sessions:Redis:Configuration</c> and wins over it. Unset (and no <c>Sessions:Redis:Configuration</c>),
/// refresh tokens and revocations stay in this process's memory.</item>
/// <item><c>SESSIONS_EVENTS</c>: <c>off</c> (the default) or <c>redis</c>, which publishes the lifecycle's events
/// (created, refreshed, revoked, revoked_all, reuse_detected) to a Redis Stream for other services: on the Redis of
/// <c>SESSIONS_REDIS</c>, or <c>Sessions:Events:Configuration</c>; stream and retention from <c>Sessions:Events</c>.</item>
/// </list>
/// Without any key (<c>JWT_SECRET</c>, <c>Sessions:Secret</c>, <c>Sessions:Keys</c> or an asymmetric
/// <c>JWT_ALGORITHM</c>), a random 256-bit secret is made for this process.
/// </remarks>
public sealed class SampleSettings
{
    /// <summary>The port used when <c>PORT</c> is not set: 3123, as the original service.</summary>
    public const int DefaultPort = 3123;

    /// <summary>
    /// The port used when <c>HTTP_PORT</c> is not set: 3124. It serves HTTP/1.1, because Kestrel speaks HTTP/2
    /// without TLS only on an HTTP/2-only endpoint, while
    /// JWKS and discovery clients (JwtBearer, <c>JwksSessionKeySource</c>, other languages' libraries) use HTTP/1.1.
    /// </summary>
    public const int DefaultHttpPort = 3124;

    private const int EnvironmentKeyIndex = 1000;

    /// <summary>The setting that selects the Redis store: <c>Sessions:Redis:Configuration</c>, which <c>SESSIONS_REDIS</c> becomes.</summary>
    public const string RedisSetting = RedisSessionStoreOptions.SectionName + ":" + nameof(RedisSessionStoreOptions.Configuration);

    private SampleSettings(IPAddress address, int port, int httpPort, bool secretGenerated, string? generatedKeyId, IReadOnlyDictionary<string, string> mappedVariables, string? apiKey, string? previousApiKey, string? redisEndpoints, bool publishesEvents)
    {
        RedisEndpoints = redisEndpoints;
        PublishesEvents = publishesEvents;
        ApiKey = apiKey;
        PreviousApiKey = previousApiKey;
        MappedVariables = mappedVariables;
        Address = address;
        Port = port;
        HttpPort = httpPort;
        SecretGenerated = secretGenerated;
        GeneratedKeyId = generatedKeyId;
    }

    /// <summary>The address Kestrel listens on.</summary>
    public IPAddress Address { get; }

    /// <summary>The port Kestrel listens on; 0 picks a free one.</summary>
    public int Port { get; }

    /// <summary>The port of the HTTP/1.1 listener; 0 picks a free one.</summary>
    public int HttpPort { get; }

    /// <summary>Whether no secret was configured and a random one was made for this process.</summary>
    public bool SecretGenerated { get; }

    /// <summary>
    /// The variable each mapped <c>Sessions</c> key came from (<c>Sessions:Secret</c> from <c>JWT_SECRET</c>, ...), so
    /// that an error about the key names the variable the user set.
    /// </summary>
    public IReadOnlyDictionary<string, string> MappedVariables { get; }

    /// <summary>
    /// <c>SESSIONS_API_KEY</c>, which privileged calls must send; <see langword="null"/> when it is not set. Never
    /// logged.
    /// </summary>
    public string? ApiKey { get; }

    /// <summary>
    /// <c>SESSIONS_PREVIOUS_API_KEY</c>, accepted beside <see cref="ApiKey"/> during a rotation; <see langword="null"/>
    /// when it is not set. Never logged.
    /// </summary>
    public string? PreviousApiKey { get; }

    /// <summary>
    /// The Redis endpoints (host and port, never a password) of <c>SESSIONS_REDIS</c> or <c>Sessions:Redis:Configuration</c>
    /// when the Redis store is selected; <see langword="null"/> for the in-memory store.
    /// </summary>
    public string? RedisEndpoints { get; }

    /// <summary>Whether <c>SESSIONS_EVENTS=redis</c> asked for the lifecycle's events to be published to a Redis Stream.</summary>
    public bool PublishesEvents { get; }

    /// <summary>The id of the asymmetric key generated for this process, when <c>JWT_ALGORITHM</c> asked for one without a file.</summary>
    public string? GeneratedKeyId { get; }

    /// <summary>
    /// The secret's setting as written (<c>JWT_SECRET</c>, <c>Sessions:Secret</c>) when one is set beside an asymmetric
    /// <c>JWT_ALGORITHM</c>: tokens it signed (without <c>kid</c>) are still accepted, which a switch away from a shared
    /// secret usually means to end. <see langword="null"/> otherwise.
    /// </summary>
    public string? SecretBesideAsymmetricKey { get; private init; }

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
        var port = ReadPort("PORT", configuration["PORT"], DefaultPort);
        var httpPort = ReadPort("HTTP_PORT", configuration["HTTP_PORT"], DefaultHttpPort);
        if (port == httpPort && port != 0)
        {
            // Kestrel would report the second listener's port as in use, by this very server.
            throw new InvalidOperationException(
                $"PORT and HTTP_PORT are both {port}: gRPC (h2c) and HTTP/1.1 listen on one port each, so give them different ports, such as {DefaultPort} and {DefaultHttpPort}.");
        }

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

        var apiKey = ReadApiKey("SESSIONS_API_KEY", configuration["SESSIONS_API_KEY"]);
        var previousApiKey = ReadApiKey("SESSIONS_PREVIOUS_API_KEY", configuration["SESSIONS_PREVIOUS_API_KEY"]);
        if (previousApiKey is not null && apiKey is null)
        {
            throw new InvalidOperationException(
                "SESSIONS_PREVIOUS_API_KEY is set but SESSIONS_API_KEY is not: the previous key is accepted beside the current one while callers move to it; set SESSIONS_API_KEY to the new key.");
        }
        var redisEndpoints = ApplyRedis(configuration, overrides);
        var publishesEvents = ReadEvents(configuration, redisEndpoints is not null);
        ApplyPublicUrl(configuration, overrides, address, httpPort);
        var generatedKeyId = ApplyAlgorithm(configuration, overrides);
        var secretKey = $"{JwtSessionOptions.SectionName}:{nameof(JwtSessionOptions.Secret)}";
        var secret = configuration["JWT_SECRET"];
        var secretGenerated = false;
        // JWT_ALGORITHM asked for an asymmetric key, which then signs.
        var signsWithAlgorithmKey = overrides.ContainsKey(KeySetting(EnvironmentKeyIndex, nameof(JwtSessionKeyOptions.Id)));
        var hasKeys = signsWithAlgorithmKey
            || configuration.GetSection($"{JwtSessionOptions.SectionName}:{nameof(JwtSessionOptions.Keys)}").GetChildren().Any();
        if (!string.IsNullOrEmpty(secret))
        {
            overrides[secretKey] = secret;
        }
        else if (string.IsNullOrEmpty(configuration[secretKey]) && !hasKeys)
        {
            overrides[secretKey] = JwtSessionOptions.Base64SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            secretGenerated = true;
        }

        configuration.AddInMemoryCollection(overrides);
        var mapped = overrides.Keys.ToDictionary(key => key, key => key switch
        {
            _ when key == secretKey => "JWT_SECRET",
            _ when key.EndsWith(":" + nameof(JwtSessionOptions.Lifetime), StringComparison.Ordinal) => "JWT_EXPIRATION",
            _ when key.EndsWith(":" + nameof(JwtSessionKeyOptions.PemFile), StringComparison.Ordinal) => "JWT_PRIVATE_KEY_FILE",
            // The signing key id is the file's (derived from its public key): what is wrong with it is the file.
            _ when key.EndsWith(":" + nameof(JwtSessionOptions.SigningKeyId), StringComparison.Ordinal) && !string.IsNullOrEmpty(configuration["JWT_PRIVATE_KEY_FILE"]) => "JWT_PRIVATE_KEY_FILE",
            _ when key.EndsWith(":" + nameof(SessionsServiceOptions.PublicBaseUrl), StringComparison.Ordinal) => "SESSIONS_PUBLIC_URL",
            _ when key == RedisSetting => "SESSIONS_REDIS",
            _ => "JWT_ALGORITHM",
        }, StringComparer.OrdinalIgnoreCase);
        return new SampleSettings(address, port, httpPort, secretGenerated, generatedKeyId, mapped, apiKey, previousApiKey, redisEndpoints, publishesEvents)
        {
            SecretBesideAsymmetricKey = signsWithAlgorithmKey && !secretGenerated && !string.IsNullOrEmpty(configuration[secretKey])
                ? (string.IsNullOrEmpty(secret) ? secretKey : "JWT_SECRET")
                : null,
        };
    }

    /// <summary>
    /// Maps <c>SESSIONS_REDIS</c> onto <c>Sessions:Redis:Configuration</c>, and checks whichever of them is set, so that
    /// a malformed value stops start-up here with a line that never repeats it (it may hold a password).
    /// </summary>
    /// <returns>The endpoints it names, host and port only; <see langword="null"/> when neither is set.</returns>
    private static string? ApplyRedis(IConfiguration configuration, Dictionary<string, string?> overrides)
    {
        var redis = configuration["SESSIONS_REDIS"];
        var name = "SESSIONS_REDIS";
        if (!string.IsNullOrEmpty(redis))
        {
            overrides[RedisSetting] = redis;
        }
        else
        {
            // StartupFailure names it as written: Sessions__Redis__Configuration, Sessions:Redis:Configuration in appsettings.json, ...
            redis = configuration[RedisSetting];
            name = RedisSetting;
            if (string.IsNullOrEmpty(redis))
            {
                return null;
            }
        }

        ConfigurationOptions parsed;
        try
        {
            parsed = ConfigurationOptions.Parse(redis);
        }
        catch (ArgumentException)
        {
            // The parser's message repeats the option it could not read, which may be the password.
            throw new InvalidOperationException(
                $"{name} is not a StackExchange.Redis configuration string: write host:port of the primary, or the seed nodes of a cluster, then options, such as redis:6379,password=...,ssl=true.");
        }

        return parsed.EndPoints.Count > 0
            ? string.Join(", ", parsed.EndPoints.Select(DescribeEndPoint))
            : throw new InvalidOperationException(
                $"{name} names no Redis endpoint: start it with host:port of the primary, or the seed nodes of a cluster, such as redis:6379 or redis-0:6379,redis-1:6379.");
    }

    private static bool ReadEvents(IConfiguration configuration, bool redis)
    {
        var events = configuration["SESSIONS_EVENTS"];
        if (string.IsNullOrEmpty(events) || string.Equals(events, "off", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (!string.Equals(events, "redis", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"SESSIONS_EVENTS '{events}' is not one of off, redis.");
        }

        return redis || !string.IsNullOrEmpty(configuration[$"{RedisSessionEventsOptions.SectionName}:{nameof(RedisSessionEventsOptions.Configuration)}"])
            ? true
            : throw new InvalidOperationException("SESSIONS_EVENTS is redis but no Redis is named: set SESSIONS_REDIS (the events then go to the store's Redis), or Sessions__Events__Configuration.");
    }

    private static string DescribeEndPoint(EndPoint endPoint) => endPoint switch
    {
        DnsEndPoint dns => dns.Host + ":" + dns.Port.ToString(CultureInfo.InvariantCulture),
        _ => endPoint.ToString() ?? "",
    };

    /// <summary>
    /// Maps <c>SESSIONS_PUBLIC_URL</c> onto <c>Sessions:PublicBaseUrl</c>, or derives it from the HTTP listener when
    /// that has one address validators can use.
    /// </summary>
    private static void ApplyPublicUrl(IConfiguration configuration, Dictionary<string, string?> overrides, IPAddress address, int httpPort)
    {
        var setting = $"{JwtSessionOptions.SectionName}:{nameof(SessionsServiceOptions.PublicBaseUrl)}";
        var publicUrl = configuration["SESSIONS_PUBLIC_URL"];
        if (!string.IsNullOrEmpty(publicUrl))
        {
            if (Uri.TryCreate(publicUrl, UriKind.Absolute, out var withUser) && withUser.UserInfo.Length > 0)
            {
                // Never the user name and password in the line.
                throw new InvalidOperationException(
                    $"SESSIONS_PUBLIC_URL '{withUser.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.UserInfo, UriFormat.UriEscaped)}' has a user name or password (before '@'), " +
                    "which the discovery document would publish: remove it, and give the address validators reach HTTP_PORT at, such as https://sessions.example.com.");
            }

            if (!Uri.TryCreate(publicUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
                || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment))
            {
                throw new InvalidOperationException(
                    $"SESSIONS_PUBLIC_URL '{publicUrl}' is not an absolute http or https URL without query: use the address validators reach HTTP_PORT at, such as https://sessions.example.com.");
            }

            overrides[setting] = publicUrl;
        }
        else if (string.IsNullOrEmpty(configuration[setting])
            && httpPort != 0 && !address.Equals(IPAddress.Any) && !address.Equals(IPAddress.IPv6Any))
        {
            overrides[setting] = new UriBuilder(Uri.UriSchemeHttp, address.ToString(), httpPort).Uri.AbsoluteUri;
        }
    }

    /// <summary>
    /// Maps <c>JWT_ALGORITHM</c> and <c>JWT_PRIVATE_KEY_FILE</c> onto a key of <c>Sessions:Keys</c> that signs. It is
    /// added at a high index so that keys configured in appsettings.json keep theirs (and keep validating).
    /// </summary>
    /// <returns>The id of a key generated for this process, if one was.</returns>
    private static string? ApplyAlgorithm(IConfiguration configuration, Dictionary<string, string?> overrides)
    {
        var algorithm = configuration["JWT_ALGORITHM"];
        var keyFile = configuration["JWT_PRIVATE_KEY_FILE"];
        if (string.IsNullOrEmpty(algorithm) || algorithm == "HS256")
        {
            return string.IsNullOrEmpty(keyFile)
                ? null
                : throw new InvalidOperationException("JWT_PRIVATE_KEY_FILE is set but JWT_ALGORITHM is HS256 (the default): set JWT_ALGORITHM to ES256, RS256 or PS256, or use JWT_SECRET.");
        }

        if (algorithm is not ("ES256" or "RS256" or "PS256"))
        {
            throw new InvalidOperationException($"JWT_ALGORITHM '{algorithm}' is not supported: use HS256, ES256, RS256 or PS256.");
        }

        string id;
        string? generatedKeyId = null;
        if (string.IsNullOrEmpty(keyFile))
        {
            id = $"dev-{algorithm.ToLowerInvariant()}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
            overrides[KeySetting(EnvironmentKeyIndex, nameof(JwtSessionKeyOptions.Generate))] = "true";
            generatedKeyId = id;
        }
        else
        {
            id = KeyIdOf(keyFile, algorithm);
            overrides[KeySetting(EnvironmentKeyIndex, nameof(JwtSessionKeyOptions.PemFile))] = keyFile;
        }

        overrides[KeySetting(EnvironmentKeyIndex, nameof(JwtSessionKeyOptions.Id))] = id;
        overrides[KeySetting(EnvironmentKeyIndex, nameof(JwtSessionKeyOptions.Algorithm))] = algorithm;
        overrides[$"{JwtSessionOptions.SectionName}:{nameof(JwtSessionOptions.SigningKeyId)}"] = id;
        return generatedKeyId;
    }

    /// <summary>
    /// A key id made from the public key (16 hex digits of the SHA-256 of its SubjectPublicKeyInfo): stable across
    /// restarts and instances that share the file, and revealing nothing of the private key.
    /// </summary>
    private static string KeyIdOf(string path, string algorithm)
    {
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"JWT_PRIVATE_KEY_FILE '{path}' cannot be read: {exception.Message}", exception);
        }

        try
        {
            using AsymmetricAlgorithm key = algorithm == "ES256" ? ECDsa.Create() : RSA.Create();
            key.ImportFromPem(pem);
            var thumbprint = SHA256.HashData(key.ExportSubjectPublicKeyInfo());
            return $"{algorithm.ToLowerInvariant()}-{Convert.ToHexStringLower(thumbprint.AsSpan(0, 8))}";
        }
        catch (Exception exception) when (exception is ArgumentException or CryptographicException)
        {
            throw new InvalidOperationException($"JWT_PRIVATE_KEY_FILE '{path}' does not hold a PEM {(algorithm == "ES256" ? "EC P-256" : "RSA")} key for {algorithm}.", exception);
        }
    }

    private static string? ReadApiKey(string variable, string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return null;
        }

        var bytes = Encoding.UTF8.GetByteCount(key);
        if (bytes < SessionsApiKeyOptions.MinimumKeyBytes)
        {
            throw new InvalidOperationException(
                $"{variable} is {bytes} bytes; privileged calls need a key of at least {SessionsApiKeyOptions.MinimumKeyBytes}: make one with 'openssl rand -base64 32'.");
        }

        return ApiKeyText.Unsendable(key) is { } problem
            ? throw new InvalidOperationException($"{variable} has {problem}, {ApiKeyText.Fix}")
            : key;
    }

    private static string KeySetting(int index, string name) =>
        $"{JwtSessionOptions.SectionName}:{nameof(JwtSessionOptions.Keys)}:{index.ToString(CultureInfo.InvariantCulture)}:{name}";

    private static int ReadPort(string variable, string? text, int defaultPort)
    {
        if (string.IsNullOrEmpty(text))
        {
            return defaultPort;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > IPEndPoint.MaxPort)
        {
            throw new InvalidOperationException($"{variable} '{text}' is not a valid TCP port: use a number from 0 to 65535, such as {defaultPort}.");
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
