using System.Text.Json;
using Microsoft.Extensions.Options;
using Sessions.Grpc.Tests.Infrastructure;
using Sessions.SampleServer;

namespace Sessions.Grpc.Tests.SampleServer;

public sealed class SamplePublicUrlTests
{
    private static Uri? PublicBaseUrlOf(params string[] settings)
    {
        using var app = Program.Build(["--PORT=0", .. settings]);
        return app.Services.GetRequiredService<IOptions<SessionsServiceOptions>>().Value.PublicBaseUrl;
    }

    [Fact]
    public async Task SESSIONS_PUBLIC_URL_names_the_keys_in_the_discovery_document_whatever_the_host_header()
    {
        await using var server = await LoopbackServer.StartAsync(Program.Build(
            ["--PORT=0", "--HTTP_PORT=0", "--LISTEN_ADDRESS=127.0.0.1", "--SESSIONS_PUBLIC_URL=https://sessions.example.com"]));
        using var http = new HttpClient { BaseAddress = new Uri(server.Addresses[1]) };
        using var request = new HttpRequestMessage(HttpMethod.Get, SessionsWellKnownPaths.OpenIdConfiguration);
        request.Headers.Host = "evil.example:9999";

        using var response = await http.SendAsync(request);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal("https://sessions.example.com" + SessionsWellKnownPaths.JsonWebKeySet, document.GetProperty("jwks_uri").GetString());
        Assert.True(response.Headers.CacheControl!.Public);
    }

    [Fact]
    public void Without_SESSIONS_PUBLIC_URL_the_public_url_is_the_http_listener_when_it_has_one_usable_address()
    {
        Assert.Equal(new Uri("http://127.0.0.1:3124/"), PublicBaseUrlOf());
        Assert.Equal(new Uri("http://10.0.0.7:4000/"), PublicBaseUrlOf("--LISTEN_ADDRESS=10.0.0.7", "--HTTP_PORT=4000"));
        Assert.Equal(new Uri("http://[::1]:3124/"), PublicBaseUrlOf("--LISTEN_ADDRESS=::1"));
        Assert.Null(PublicBaseUrlOf("--LISTEN_ADDRESS=0.0.0.0"));
        Assert.Null(PublicBaseUrlOf("--HTTP_PORT=0"));
        Assert.Equal(new Uri("https://configured.example/"), PublicBaseUrlOf("--Sessions:PublicBaseUrl=https://configured.example/"));
    }

    [Theory]
    [InlineData("sessions.example.com")]
    [InlineData("ftp://sessions.example.com")]
    [InlineData("https://sessions.example.com/?a=1")]
    public void An_invalid_SESSIONS_PUBLIC_URL_stops_start_up_with_a_message_naming_it(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Program.Build(["--PORT=0", $"--SESSIONS_PUBLIC_URL={value}"]));

        Assert.StartsWith($"SESSIONS_PUBLIC_URL '{value}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("https://sessions.example.com", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_SESSIONS_PUBLIC_URL_with_a_password_stops_start_up_naming_it_without_echoing_the_password()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Program.Build(["--PORT=0", "--SESSIONS_PUBLIC_URL=https://reader:pa55word@sessions.example.com"]));

        Assert.StartsWith("SESSIONS_PUBLIC_URL 'https://sessions.example.com/'", error.Message, StringComparison.Ordinal);
        Assert.Contains("user name or password", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pa55word", error.Message, StringComparison.Ordinal);
    }
}
