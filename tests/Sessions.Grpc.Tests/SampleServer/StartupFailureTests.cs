using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests.SampleServer;

/// <summary>
/// Every reason the sample server cannot start, through the real process: exit code 1 and one line on stderr that
/// names the setting as the operator wrote it and says how to fix it, with no stack trace and no secret.
/// </summary>
public sealed class StartupFailureTests
{
    public static TheoryData<string, string, string, string> BadSettings() => new()
    {
        // variable, value, what the line must name, part of the fix it must give
        { "JWT_SECRET", "short", "JWT_SECRET is 5 bytes", "openssl rand -base64 32" },
        { "Sessions__Secret", "short", "Sessions__Secret is 5 bytes", "openssl rand -base64 32" },
        // A secret whose bytes are not UTF-8 (a Latin-1 "\xE9t\xE9-...", which a Go service used as they were) is read by the
        // runtime with U+FFFD in their place: signing with that would silently be another key, refusing every token
        // signed elsewhere with the real bytes as a bad signature.
        { "JWT_SECRET", "\uFFFDt\uFFFD-a-secret-of-more-than-32-bytes-from-a-go-service", "JWT_SECRET is not valid UTF-8: U+FFFD at index 0", "base64:" },
        { "Sessions__Secret", "a-secret-of-more-than-32-bytes-from-a-go-service-\uFFFD", "Sessions__Secret is not valid UTF-8: U+FFFD at index 49", "base64:" },
        { "Sessions__Lifetime", "1d", "Sessions__Lifetime '1d' is not a valid duration", "1.00:00:00" },
        { "JWT_EXPIRATION", "1d", "JWT_EXPIRATION '1d'", "24h" },
        { "JWT_ALGORITHM", "HS512", "JWT_ALGORITHM 'HS512'", "ES256" },
        { "JWT_PRIVATE_KEY_FILE", "/nonexistent/key.pem", "JWT_PRIVATE_KEY_FILE", "JWT_ALGORITHM" },
        { "PORT", "http", "PORT 'http'", "3123" },
        { "LISTEN_ADDRESS", "localhost:80", "LISTEN_ADDRESS 'localhost:80'", "0.0.0.0" },
        { "SESSIONS_TELEMETRY", "zipkin", "SESSIONS_TELEMETRY 'zipkin'", "otlp" },
        { "Logging__LogLevel__Default", "Loud", "Logging__LogLevel__Default 'Loud' is not a log level", "Warning" },
        { "SESSIONS_API_KEY", "short-api-key", "SESSIONS_API_KEY is 13 bytes", "openssl rand -base64 32" },
        { "SESSIONS_PREVIOUS_API_KEY", "short-api-key", "SESSIONS_PREVIOUS_API_KEY is 13 bytes", "openssl rand -base64 32" },
        { "SESSIONS_PREVIOUS_API_KEY", "a-previous-api-key-that-is-32-bytes-or-more", "SESSIONS_PREVIOUS_API_KEY is set but SESSIONS_API_KEY is not", "set SESSIONS_API_KEY to the new key" },
        { "SESSIONS_API_KEY", "an-api-key-read-from-a-file-with-its-line-break\n", "SESSIONS_API_KEY has a line break (U+000A) at index 47 of its 48 characters", "remove it" },
        { "SESSIONS_PUBLIC_URL", "sessions.example.com", "SESSIONS_PUBLIC_URL 'sessions.example.com'", "https://" },
        { "SESSIONS_REDIS", "redis:6379,passwrd=not-echoed-secret", "SESSIONS_REDIS is not a StackExchange.Redis configuration string", "redis:6379,password=" },
        { "SESSIONS_REDIS", "password=not-echoed-secret", "SESSIONS_REDIS names no Redis endpoint", "redis:6379" },
        { "Sessions__Redis__Configuration", "password=not-echoed-secret", "Sessions__Redis__Configuration names no Redis endpoint", "redis:6379" },
        { "SESSIONS_EVENTS", "kafka", "SESSIONS_EVENTS 'kafka' is not one of off, redis", "redis" },
        { "SESSIONS_EVENTS", "redis", "SESSIONS_EVENTS is redis but no Redis is named", "SESSIONS_REDIS" },
        { "Sessions__Store__RefreshTokenLifetime", "7d", "Sessions__Store__RefreshTokenLifetime '7d' is not a valid duration", "1.00:00:00" },
        { "Sessions__Lifetime", "24", "Sessions__Lifetime '24' is a number without a unit, which would be read as days", "01:00:00" },
        { "Sessions__Store__RefreshTokenLifetime", " 7 ", "Sessions__Store__RefreshTokenLifetime '7' is a number without a unit", "1.00:00:00" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_setting_stops_start_up_with_one_line_naming_it(string variable, string value, string names, string fix)
    {
        var (exitCode, stdout, stderr) = await SampleServerProcess.RunToExitAsync(Free(new() { [variable] = value }));

        AssertOneLineFailure(exitCode, stdout, stderr, names, fix);
        Assert.DoesNotContain("Sessions:", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("not-echoed-secret", stdout + stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RS256", "ec", "does not hold a PEM RSA key for RS256")]
    [InlineData("ES256", "rsa", "does not hold a PEM EC P-256 key for ES256")]
    [InlineData("PS256", "missing", "cannot be read")]
    public async Task A_key_file_that_cannot_serve_JWT_ALGORITHM_is_named_not_described_by_the_crypto_library(string algorithm, string file, string fix)
    {
        // Before, the line gave .NET's own words ("No supported key formats were found. ... (ArgumentException)",
        // "Could not find file ...") without naming the variable.
        var path = Path.Combine(Path.GetTempPath(), $"sessions-key-{Guid.NewGuid():N}.pem");
        if (file != "missing")
        {
            using AsymmetricAlgorithm key = file == "ec" ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : RSA.Create(2048);
            await File.WriteAllTextAsync(path, key.ExportPkcs8PrivateKeyPem());
        }

        try
        {
            var (exitCode, stdout, stderr) = await SampleServerProcess.RunToExitAsync(Free(new() { ["JWT_ALGORITHM"] = algorithm, ["JWT_PRIVATE_KEY_FILE"] = path }));

            AssertOneLineFailure(exitCode, stdout, stderr, $"JWT_PRIVATE_KEY_FILE '{path}'", fix);
            Assert.DoesNotContain("Exception)", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_jwk_that_is_not_base64url_is_named_as_written_with_its_key()
    {
        // Before: "cannot start: IDX10400: Unable to decode: '[PII ... hidden]' as Base64url encoded string. (FormatException)".
        var (exitCode, stdout, stderr) = await SampleServerProcess.RunToExitAsync(Free(new()
        {
            ["Sessions__Keys__0__Id"] = "k1",
            ["Sessions__Keys__0__Algorithm"] = "ES256",
            ["Sessions__Keys__0__Jwk"] = """{"kty":"EC","crv":"P-256","x":"ab+c/d==","y":"ab+c/d=="}""",
        }));

        AssertOneLineFailure(exitCode, stdout, stderr, "Key 'k1' (Sessions__Keys__0__Jwk)", "base64url");
        Assert.DoesNotContain("IDX", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RS256", "rsa-1024", false, "RS256 needs an RSA key of at least 2048 bits")]
    [InlineData("RS256", "rsa-1024", true, "RS256 needs an RSA key of at least 2048 bits")]
    [InlineData("ES256", "p-384", false, "ES256 needs a P-256 key")]
    public async Task A_key_file_the_key_checks_refuse_is_named_as_JWT_PRIVATE_KEY_FILE(string algorithm, string file, bool besideAnEnvironmentKey, string says)
    {
        // Before: "Key 'rs256-...' (Sessions:Keys:0): RS256 needs ...; ... has 1024. (Parameter 'key')", and
        // Sessions:Keys:1 beside a key 0: the variable's key is stored at Sessions:Keys:1000, which the user never wrote.
        var path = Path.Combine(Path.GetTempPath(), $"sessions-key-{Guid.NewGuid():N}.pem");
        using (AsymmetricAlgorithm key = file == "p-384" ? ECDsa.Create(ECCurve.NamedCurves.nistP384) : RSA.Create(1024))
        {
            await File.WriteAllTextAsync(path, key.ExportPkcs8PrivateKeyPem());
        }

        var settings = new Dictionary<string, string> { ["JWT_ALGORITHM"] = algorithm, ["JWT_PRIVATE_KEY_FILE"] = path };
        if (besideAnEnvironmentKey)
        {
            settings["Sessions__Keys__0__Id"] = "env-0";
            settings["Sessions__Keys__0__Secret"] = "a-secret-of-an-hs256-key-of-the-ring-0123456789";
        }

        try
        {
            var (exitCode, stdout, stderr) = await SampleServerProcess.RunToExitAsync(Free(settings));

            AssertOneLineFailure(exitCode, stdout, stderr, "(JWT_PRIVATE_KEY_FILE)", says);
            Assert.DoesNotContain("(Parameter", stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("Sessions", stderr.Replace("Sessions.SampleServer", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_key_ring_without_a_key_that_can_sign_stops_start_up_instead_of_failing_each_Create()
    {
        // Before, the server started, and every Create answered INTERNAL with "The key set has no signing key" in the log.
        var path = Path.Combine(Path.GetTempPath(), $"sessions-key-{Guid.NewGuid():N}.pem");
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            await File.WriteAllTextAsync(path, key.ExportSubjectPublicKeyInfoPem());
        }

        try
        {
            var (exitCode, stdout, stderr) = await SampleServerProcess.RunToExitAsync(Free(new()
            {
                ["Sessions__Keys__0__Id"] = "k1",
                ["Sessions__Keys__0__Algorithm"] = "ES256",
                ["Sessions__Keys__0__PemFile"] = path,
            }));

            AssertOneLineFailure(exitCode, stdout, stderr, "No key of Sessions__Keys can sign", "private");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_bad_setting_on_the_command_line_is_named_as_an_argument()
    {
        var (exitCode, stdout, stderr) = await SampleServerProcess.RunToExitAsync(Free([]), "--Sessions:Secret=short");

        AssertOneLineFailure(exitCode, stdout, stderr, "--Sessions:Secret is 5 bytes", "openssl rand -base64 32");
    }

    [Fact]
    public async Task An_unreachable_Redis_set_on_the_command_line_is_named_once_as_the_argument()
    {
        // Before: "cannot start: ----Sessions:Redis:Configuration names Redis ..." (the name rewritten twice).
        var port = FreePort();

        var (exitCode, stdout, stderr) = await SampleServerProcess.RunToExitAsync(Free([]), $"--Sessions:Redis:Configuration=127.0.0.1:{port},connectTimeout=1000");

        AssertOneLineFailure(exitCode, stdout, stderr, $"cannot start: --Sessions:Redis:Configuration names Redis 127.0.0.1:{port}, which cannot be reached", "start Redis there");
        Assert.DoesNotContain("---", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_Redis_set_in_appsettings_json_is_named_once_with_its_file()
    {
        // Before: "Sessions:Redis:Configuration in appsettings.json in appsettings.json names Redis ...".
        var port = FreePort();
        var root = Directory.CreateTempSubdirectory("sessions-appsettings-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(root.FullName, "appsettings.json"), $$"""
                { "Sessions": { "Redis": { "Configuration": "127.0.0.1:{{port}},connectTimeout=1000" } } }
                """);

            var (exitCode, stdout, stderr) = await SampleServerProcess.RunToExitAsync(Free([]), "--contentRoot=" + root.FullName);

            AssertOneLineFailure(exitCode, stdout, stderr, $"cannot start: Sessions:Redis:Configuration in appsettings.json names Redis 127.0.0.1:{port}, which cannot be reached", "start Redis there");
            Assert.DoesNotContain("in appsettings.json in appsettings.json", stderr, StringComparison.Ordinal);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_short_secret_is_never_echoed()
    {
        const string secret = "not-long-enough-secret";

        var (exitCode, stdout, stderr) = await SampleServerProcess.RunToExitAsync(Free(new() { ["JWT_SECRET"] = secret }));

        AssertOneLineFailure(exitCode, stdout, stderr, "JWT_SECRET", "32 bytes");
        Assert.DoesNotContain(secret, stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_short_api_key_is_never_echoed()
    {
        const string key = "an-api-key-of-30-bytes-0123456";

        var (exitCode, stdout, stderr) = await SampleServerProcess.RunToExitAsync(Free(new() { ["SESSIONS_API_KEY"] = key }));

        AssertOneLineFailure(exitCode, stdout, stderr, "SESSIONS_API_KEY is 30 bytes", "at least 32");
        Assert.DoesNotContain(key, stdout + stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PORT")]
    [InlineData("HTTP_PORT")]
    public async Task A_port_in_use_stops_start_up_with_one_line_naming_its_variable(string variable)
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (exitCode, stdout, stderr) = await SampleServerProcess.RunToExitAsync(Free(new() { [variable] = port }));

        AssertOneLineFailure(exitCode, stdout, stderr, $"{variable} {port} is already in use", $"set {variable} to a free port");
    }

    [Fact]
    public async Task A_LISTEN_ADDRESS_that_is_not_of_this_machine_stops_start_up_naming_it()
    {
        // Before: "Cannot assign requested address (SocketException)", naming no setting. 192.0.2.1 is TEST-NET-1.
        var (exitCode, stdout, stderr) = await SampleServerProcess.RunToExitAsync(Free(new() { ["LISTEN_ADDRESS"] = "192.0.2.1" }));

        AssertOneLineFailure(exitCode, stdout, stderr, "LISTEN_ADDRESS 192.0.2.1 is not an address of this machine", "0.0.0.0");
    }

    [Fact]
    public async Task PORT_and_HTTP_PORT_set_to_one_port_stop_start_up_saying_they_must_differ()
    {
        // Before: "HTTP_PORT n is already in use ...: stop the process that listens there", the server itself.
        var port = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (exitCode, stdout, stderr) = await SampleServerProcess.RunToExitAsync(new Dictionary<string, string> { ["PORT"] = port, ["HTTP_PORT"] = port });

        AssertOneLineFailure(exitCode, stdout, stderr, $"PORT and HTTP_PORT are both {port}", "give them different ports");
    }

    [Fact]
    public async Task A_setting_missing_from_a_key_given_in_the_environment_is_named_as_a_variable()
    {
        // Before: "Sessions:Keys:0:Id is not set", the form of appsettings.json, for a key set only in the environment.
        var (exitCode, stdout, stderr) = await SampleServerProcess.RunToExitAsync(Free(new() { ["Sessions__Keys__0__Secret"] = "a-ring-secret-that-is-long-enough-for-hs256" }));

        AssertOneLineFailure(exitCode, stdout, stderr, "Sessions__Keys__0__Id is not set", "needs an id");
        Assert.DoesNotContain("Sessions:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_public_key_in_JWT_PRIVATE_KEY_FILE_is_named_as_that_variable()
    {
        // Before: "JWT_ALGORITHM names 'es256-...', a public key that cannot sign", blaming the variable that was right.
        var path = Path.Combine(Path.GetTempPath(), $"sessions-key-{Guid.NewGuid():N}.pem");
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            await File.WriteAllTextAsync(path, key.ExportSubjectPublicKeyInfoPem());
        }

        try
        {
            var (exitCode, stdout, stderr) = await SampleServerProcess.RunToExitAsync(Free(new() { ["JWT_ALGORITHM"] = "ES256", ["JWT_PRIVATE_KEY_FILE"] = path }));

            AssertOneLineFailure(exitCode, stdout, stderr, "JWT_PRIVATE_KEY_FILE", "a public key that cannot sign");
            Assert.DoesNotContain("JWT_ALGORITHM", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The settings with both ports free unless given.</summary>
    private static Dictionary<string, string> Free(Dictionary<string, string> settings)
    {
        settings.TryAdd("PORT", "0");
        settings.TryAdd("HTTP_PORT", "0");
        return settings;
    }

    private static void AssertOneLineFailure(int exitCode, string stdout, string stderr, string names, string fix)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(exitCode == 1, $"exit code {exitCode}\nstdout:\n{stdout}\nstderr:\n{stderr}");
        Assert.True(lines.Length == 1, $"{lines.Length} lines on stderr:\n{stderr}");
        Assert.StartsWith("Sessions.SampleServer cannot start: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(names, lines[0], StringComparison.Ordinal);
        Assert.Contains(fix, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stdout + stderr, StringComparison.Ordinal);
    }
}
