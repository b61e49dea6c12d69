using System.Net;
using System.Text;
using System.Text.Json;
using Grpc.Net.Client;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests.Authentication;

public sealed class KeyPublishingTests
{
    private const string HsSecret = "hs256-secret-that-must-never-be-published-0123456789";

    private static Task<IssuerServer> StartWithEveryKindOfKeyAsync() => IssuerServer.StartAsync(
        ("Secret", HsSecret),
        ("Keys:0:Id", "hs-1"), ("Keys:0:Algorithm", "HS256"), ("Keys:0:Secret", HsSecret + "-ring"),
        ("Keys:1:Id", "ec-1"), ("Keys:1:Algorithm", "ES256"), ("Keys:1:Generate", "true"),
        ("Keys:2:Id", "rsa-1"), ("Keys:2:Algorithm", "RS256"), ("Keys:2:Generate", "true"),
        ("SigningKeyId", "ec-1"));

    [Fact]
    public async Task Jwks_endpoint_publishes_public_asymmetric_keys_and_never_private_or_symmetric_material()
    {
        await using var issuer = await StartWithEveryKindOfKeyAsync();

        using var response = await issuer.Http.GetAsync(SessionsWellKnownPaths.JsonWebKeySet);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var keys = JsonDocument.Parse(text).RootElement.GetProperty("keys").EnumerateArray().ToList();
        Assert.Equal(["ec-1", "rsa-1"], keys.Select(k => k.GetProperty("kid").GetString()));
        Assert.Equal(["ES256", "RS256"], keys.Select(k => k.GetProperty("alg").GetString()));
        foreach (var key in keys)
        {
            foreach (var member in new[] { "d", "p", "q", "dp", "dq", "qi", "k" })
            {
                Assert.False(key.TryGetProperty(member, out _), $"JWKS key {key.GetProperty("kid")} has private member '{member}'.");
            }
        }

        foreach (var secret in new[] { HsSecret, HsSecret + "-ring" })
        {
            var bytes = Encoding.UTF8.GetBytes(secret);
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(System.Buffers.Text.Base64Url.EncodeToString(bytes), text, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToBase64String(bytes), text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("hs-1", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jwks_endpoint_is_cacheable_and_answers_if_none_match_with_304_until_the_keys_change()
    {
        await using var issuer = await StartWithEveryKindOfKeyAsync();

        using var first = await issuer.Http.GetAsync(SessionsWellKnownPaths.JsonWebKeySet);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);
        Assert.True(first.Headers.CacheControl?.Public);
        Assert.Equal(TimeSpan.FromSeconds(SessionsWellKnownPaths.MaxAgeSeconds), first.Headers.CacheControl?.MaxAge);

        using var revalidation = new HttpRequestMessage(HttpMethod.Get, SessionsWellKnownPaths.JsonWebKeySet);
        revalidation.Headers.IfNoneMatch.Add(etag);
        using var notModified = await issuer.Http.SendAsync(revalidation);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, notModified.Headers.ETag);

        issuer.Configuration.Set("Sessions:Keys:3:Id", "ec-2").Set("Sessions:Keys:3:Algorithm", "ES256").Set("Sessions:Keys:3:Generate", "true");
        issuer.Configuration.Reload();

        using var afterRotation = new HttpRequestMessage(HttpMethod.Get, SessionsWellKnownPaths.JsonWebKeySet);
        afterRotation.Headers.IfNoneMatch.Add(etag);
        using var changed = await issuer.Http.SendAsync(afterRotation);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
        Assert.Contains("\"ec-2\"", await changed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SessionsWellKnownPaths.JsonWebKeySet)]
    [InlineData(SessionsWellKnownPaths.OpenIdConfiguration)]
    public async Task A_HEAD_request_gets_the_headers_of_the_GET_without_its_body(string path)
    {
        // RFC 9110, section 9.3.2: HEAD is GET without the content; probes and caches use it.
        await using var issuer = await StartWithEveryKindOfKeyAsync();
        using var get = await issuer.Http.GetAsync(path);
        var body = await get.Content.ReadAsByteArrayAsync();

        using var head = await issuer.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(body.Length, head.Content.Headers.ContentLength);
        Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
        Assert.Equal(get.Headers.ETag, head.Headers.ETag);
        Assert.Equal(get.Headers.CacheControl, head.Headers.CacheControl);
    }

    [Fact]
    public async Task Openid_configuration_names_the_issuer_the_absolute_jwks_uri_and_the_published_algorithms()
    {
        await using var issuer = await StartWithEveryKindOfKeyAsync();

        using var response = await issuer.Http.GetAsync(SessionsWellKnownPaths.OpenIdConfiguration);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.ETag);
        Assert.Equal("session-server", document.GetProperty("issuer").GetString());
        Assert.Equal(issuer.JwksUri.ToString(), document.GetProperty("jwks_uri").GetString());
        Assert.Equal(["ES256", "RS256"], document.GetProperty("id_token_signing_alg_values_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["public"], document.GetProperty("subject_types_supported").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task GetKeys_returns_the_document_of_the_jwks_endpoint_and_its_version()
    {
        await using var issuer = await StartWithEveryKindOfKeyAsync();

        var reply = await issuer.Client.GetKeysAsync(new GetKeysRequest());
        using var response = await issuer.Http.GetAsync(SessionsWellKnownPaths.JsonWebKeySet);

        Assert.Equal(await response.Content.ReadAsStringAsync(), reply.JwksJson);
        Assert.Equal(response.Headers.ETag!.Tag, "\"" + reply.Version + "\"");
    }

    [Fact]
    public async Task Server_with_a_secret_only_publishes_an_empty_key_set()
    {
        await using var issuer = await IssuerServer.StartAsync(("Secret", HsSecret));

        var reply = await issuer.Client.GetKeysAsync(new GetKeysRequest());

        Assert.Equal("{\"keys\":[]}", reply.JwksJson);
    }

    [Fact]
    public async Task Cleartext_Http1AndHttp2_endpoint_speaks_HTTP_1_1_only_so_the_key_documents_need_their_own_listener()
    {
        await using var issuer = await StartWithEveryKindOfKeyAsync();

        // HTTP/1.1 on the Http1AndHttp2 listener works ...
        using var http1 = await issuer.Http.GetAsync(SessionsWellKnownPaths.JsonWebKeySet);
        Assert.Equal(new Version(1, 1), http1.Version);

        // ... but h2c with prior knowledge (what gRPC clients do without TLS) does not: Kestrel needs TLS/ALPN to
        // offer HTTP/2 next to HTTP/1.1.
        using var channel = GrpcChannel.ForAddress(issuer.HttpAddress);
        var client = new Protocol.Sessions.SessionsClient(channel);
        await Assert.ThrowsAsync<RpcException>(async () => await client.GetKeysAsync(new GetKeysRequest(), deadline: DateTime.UtcNow.AddSeconds(10)));

        // The gRPC listener (HTTP/2 only) serves the documents to HTTP/2 clients too.
        using var h2 = new HttpClient { BaseAddress = new Uri(issuer.Server.Addresses[0]), DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var http2 = await h2.GetAsync(SessionsWellKnownPaths.JsonWebKeySet);
        Assert.Equal(HttpStatusCode.OK, http2.StatusCode);
        Assert.Equal(new Version(2, 0), http2.Version);
    }

    [Fact]
    public async Task A_validator_pointed_at_the_gRPC_port_is_told_what_the_server_said_and_which_address_to_use()
    {
        // Before, the warning said only "Response status code does not indicate success: 400 (Bad Request).": the
        // reason, in the body of Kestrel's reply to HTTP/1.1 on an HTTP/2-only port, was in no line.
        await using var issuer = await StartWithEveryKindOfKeyAsync();
        using var logs = new LogCollector();
        var grpcPortJwks = new Uri(issuer.Server.Addresses[0] + SessionsWellKnownPaths.JsonWebKeySet);
        using var source = new Sessions.Jwt.JwksSessionKeySource(
            new HttpClient(),
            new Sessions.Jwt.JwksSessionKeySourceOptions { JwksUri = grpcPortJwks, RefreshInterval = TimeSpan.FromHours(1), MinimumRefreshInterval = TimeSpan.Zero },
            logger: new LoggerFactory([logs]).CreateLogger<Sessions.Jwt.JwksSessionKeySource>());

        Assert.False(await source.RefreshAsync());

        // One warning per fetch: the one the source starts with and the one asked for here.
        var warnings = logs.Lines.Where(line => line.Level == LogLevel.Warning && line.EventId.Id == 105).ToList();
        Assert.NotEmpty(warnings);
        Assert.All(warnings, warning =>
        {
            Assert.Contains("the server answered 400 (Bad Request): \"An HTTP/1.x request was sent to an HTTP/2 only endpoint.\"", warning.Message, StringComparison.Ordinal);
            Assert.Contains("give its HTTP/1.1 address instead", warning.Message, StringComparison.Ordinal);
        });

        // The right address fetches.
        using var right = new Sessions.Jwt.JwksSessionKeySource(
            new HttpClient(),
            new Sessions.Jwt.JwksSessionKeySourceOptions { JwksUri = issuer.JwksUri, RefreshInterval = TimeSpan.FromHours(1), MinimumRefreshInterval = TimeSpan.Zero });
        Assert.True(await right.RefreshAsync() || right.LastRefreshed is not null);
        Assert.False(right.LastFetchFailed);
    }
}
