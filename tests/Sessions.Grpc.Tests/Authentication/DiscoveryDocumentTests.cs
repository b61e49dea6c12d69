using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests.Authentication;

/// <summary>
/// The discovery document names where the keys are. A caller picks its own <c>Host</c> header, so a reply built from
/// it must never reach a shared cache, and a configured public address must win over it.
/// </summary>
public sealed class DiscoveryDocumentTests
{
    private const string HostileHost = "evil.example:9999";

    private static async Task<(HttpResponseMessage Response, string JwksUri)> GetWithHostAsync(IssuerServer issuer, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, SessionsWellKnownPaths.OpenIdConfiguration);
        request.Headers.Host = host;
        var response = await issuer.Http.SendAsync(request);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (response, document.GetProperty("jwks_uri").GetString()!);
    }

    [Fact]
    public async Task Without_a_public_base_url_a_reply_built_from_a_hostile_host_is_not_publicly_cacheable()
    {
        await using var issuer = await IssuerServer.StartAsync(("Secret", SessionsHost.Secret));

        var (response, jwksUri) = await GetWithHostAsync(issuer, HostileHost);
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("http://" + HostileHost + SessionsWellKnownPaths.JsonWebKeySet, jwksUri);
            Assert.False(response.Headers.CacheControl!.Public);
            Assert.True(response.Headers.CacheControl.Private);
        }
    }

    [Theory]
    [InlineData("https://sessions.example.com", "https://sessions.example.com/.well-known/jwks.json")]
    [InlineData("https://example.com/auth/", "https://example.com/auth/.well-known/jwks.json")]
    public async Task With_a_public_base_url_the_jwks_uri_ignores_the_host_header_and_is_publicly_cacheable(string baseUrl, string expected)
    {
        await using var issuer = await IssuerServer.StartAsync(("Secret", SessionsHost.Secret), ("PublicBaseUrl", baseUrl));

        var (hostile, hostileUri) = await GetWithHostAsync(issuer, HostileHost);
        var (honest, honestUri) = await GetWithHostAsync(issuer, new Uri(issuer.HttpAddress).Authority);
        using (hostile)
        using (honest)
        {
            Assert.Equal(expected, hostileUri);
            Assert.Equal(expected, honestUri);
            Assert.Equal(honest.Headers.ETag, hostile.Headers.ETag);
            Assert.True(hostile.Headers.CacheControl!.Public);
            Assert.Equal(TimeSpan.FromSeconds(SessionsWellKnownPaths.MaxAgeSeconds), hostile.Headers.CacheControl.MaxAge);
        }
    }

    [Theory]
    [InlineData("sessions.example.com")]
    [InlineData("ftp://sessions.example.com")]
    [InlineData("https://sessions.example.com/?tenant=1")]
    public async Task A_public_base_url_that_is_not_an_absolute_http_url_stops_start_up_naming_the_setting(string baseUrl)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(
            () => IssuerServer.StartAsync(("Secret", SessionsHost.Secret), ("PublicBaseUrl", baseUrl)));

        Assert.Contains("Sessions:PublicBaseUrl '" + baseUrl + "'", error.Message, StringComparison.Ordinal);
        Assert.Contains("https://sessions.example.com", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://reader:pa55word@sessions.example.com/keys")]
    [InlineData("ftp://reader:pa55word@sessions.example.com/keys")]
    public async Task A_public_base_url_with_a_password_stops_start_up_saying_so_without_echoing_it(string baseUrl)
    {
        // Before: "Sessions:PublicBaseUrl 'https://reader:pa55word@...' is not an absolute http or https URL without query
        // or fragment": the password in the log, and a reason that was not the one.
        var error = await Assert.ThrowsAsync<OptionsValidationException>(
            () => IssuerServer.StartAsync(("Secret", SessionsHost.Secret), ("PublicBaseUrl", baseUrl)));

        Assert.StartsWith("Sessions:PublicBaseUrl '", error.Message, StringComparison.Ordinal);
        Assert.Contains("sessions.example.com/keys'", error.Message, StringComparison.Ordinal);
        Assert.Contains("user name or password", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pa55word", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("reader", error.Message, StringComparison.Ordinal);
    }
}
