using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests.Authentication;

/// <summary>
/// The proof of "validate anywhere": a stock ASP.NET Core app with JwtBearer pointed at the session server — none of
/// our code in it — accepts sessions, refuses tampered ones, and follows a key rotation.
/// </summary>
public sealed class JwtBearerInteropTests
{
    [Fact]
    public async Task Stock_JwtBearer_with_the_session_server_as_Authority_accepts_sessions_refuses_tampered_ones_and_follows_rotation()
    {
        await using var issuer = await IssuerServer.StartAsync(("Keys:0:Id", "ec-1"), ("Keys:0:Algorithm", "ES256"), ("Keys:0:Generate", "true"));
        await using var api = await StartStockApiAsync(issuer.HttpAddress);

        var token = await issuer.CreateTokenAsync();
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(api, token)).StatusCode);
        Assert.Equal(TestTokens.UserId, await (await GetAsync(api, token)).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(api, Tamper(token))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(api, null)).StatusCode);

        // Rotation at run time, as a reloaded appsettings.json does: a new key signs, the old one keeps validating.
        issuer.Configuration
            .Set("Sessions:Keys:1:Id", "ec-2").Set("Sessions:Keys:1:Algorithm", "ES256").Set("Sessions:Keys:1:Generate", "true")
            .Set("Sessions:SigningKeyId", "ec-2");
        issuer.Configuration.Reload();

        var rotated = await issuer.CreateTokenAsync();
        Assert.Equal("ec-2", TestTokens.ReadHeader(rotated).GetProperty("kid").GetString());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(api, token)).StatusCode);

        // JwtBearer refreshes its metadata when a token names an unknown kid (RefreshOnIssuerKeyNotFound, on by
        // default), but at most once per RefreshInterval (default 5 minutes) since the last fetch, and in the
        // background: the requests until then are refused. See StartStockApiAsync for the one setting this needs.
        Assert.Equal(HttpStatusCode.OK, await EventuallyAsync(api, rotated));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(api, token)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(api, Tamper(rotated))).StatusCode);
    }

    [Fact]
    public async Task The_README_JwtBearer_settings_deliver_sub_as_the_name_and_role_as_roles()
    {
        await using var issuer = await IssuerServer.StartAsync(("Keys:0:Id", "ec-1"), ("Keys:0:Algorithm", "ES256"), ("Keys:0:Generate", "true"));
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        // The lines of README.md's JwtBearer block (region readme-jwtbearer-authority), with the test's address.
        builder.Services.AddAuthentication().AddJwtBearer(o =>
        {
            o.Authority = issuer.HttpAddress;
            o.RequireHttpsMetadata = false;
            o.Audience = "user";
            o.MapInboundClaims = false;
            o.TokenValidationParameters.NameClaimType = "sub";
            o.TokenValidationParameters.RoleClaimType = "role";
        });
        builder.Services.AddAuthorization();
        await using var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/me", (HttpContext context) =>
            $"name={context.User.Identity?.Name} sub={context.User.FindFirst("sub")?.Value} admin={context.User.IsInRole("admin")}").RequireAuthorization();
        await app.StartAsync();
        var issued = await issuer.Server.App.Services.GetRequiredService<ISessionIssuer>()
            .IssueAsync(TestTokens.UserId, new SessionClaims { ["role"] = new[] { "reader", "admin" } });

        var reply = await (await GetAsync(app, issued.Token)).Content.ReadAsStringAsync();

        Assert.Equal($"name={TestTokens.UserId} sub={TestTokens.UserId} admin=True", reply);
    }

    [Fact]
    public async Task Stock_JwtBearer_finds_the_keys_of_a_session_server_mapped_under_a_route_group()
    {
        // MapGroup("/auth").MapSessions() serves /auth/.well-known/openid-configuration; its jwks_uri named
        // /.well-known/jwks.json, outside the group, where the host answers 404, and JwtBearer refused every session.
        await using var issuer = await StartGroupedIssuerAsync(publicBaseUrl: null);
        var authority = issuer.Addresses[1] + "/auth";
        using var http = new HttpClient();
        using var discovery = JsonDocument.Parse(await http.GetStringAsync(authority + SessionsWellKnownPaths.OpenIdConfiguration));
        var jwksUri = discovery.RootElement.GetProperty("jwks_uri").GetString();
        Assert.Equal(authority + SessionsWellKnownPaths.JsonWebKeySet, jwksUri);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(jwksUri)).StatusCode);

        await using var api = await StartStockApiAsync(authority);
        var token = (await issuer.App.Services.GetRequiredService<ISessionIssuer>().IssueAsync(TestTokens.UserId)).Token;

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(api, token)).StatusCode);
    }

    [Fact]
    public async Task Under_a_route_group_with_a_public_base_url_the_jwks_uri_is_that_url_as_given()
    {
        // As embedding.md says: the configured address is used as it is, so the group's prefix belongs in it.
        await using var issuer = await StartGroupedIssuerAsync(publicBaseUrl: "https://sessions.example.com/auth");
        using var http = new HttpClient();

        using var discovery = JsonDocument.Parse(await http.GetStringAsync(issuer.Addresses[1] + "/auth" + SessionsWellKnownPaths.OpenIdConfiguration));

        Assert.Equal("https://sessions.example.com/auth" + SessionsWellKnownPaths.JsonWebKeySet, discovery.RootElement.GetProperty("jwks_uri").GetString());
    }

    // A session server with a generated ES256 key, mapped as app.MapGroup("/auth").MapSessions(), gRPC on its first
    // address and HTTP/1.1 (JwtBearer's) on its second.
    private static async Task<LoopbackServer> StartGroupedIssuerAsync(string? publicBaseUrl)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sessions:Keys:0:Id"] = "ec-1",
            ["Sessions:Keys:0:Algorithm"] = "ES256",
            ["Sessions:Keys:0:Generate"] = "true",
            ["Sessions:PublicBaseUrl"] = publicBaseUrl,
        });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSessions();
        var app = builder.Build();
        app.MapGroup("/auth").MapSessions();
        return await LoopbackServer.StartAsync(app);
    }

    private static async Task<WebApplication> StartStockApiAsync(string authority)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.Authority = authority;
            o.RequireHttpsMetadata = false; // loopback test server without TLS
            o.Audience = "user";
            o.MapInboundClaims = false; // keep "sub" as "sub" for the endpoint below

            // The only setting beyond Authority/Audience: JwtBearer fetches metadata again for an unknown kid only
            // once RefreshInterval (default 5 min) has passed since the last fetch. 1 s is its minimum and keeps this
            // test fast. In production keep the default and publish a new key before it signs (add it, wait for the
            // validators' refresh, then make it SigningKeyId), or accept refusals of new tokens for up to 5 minutes.
            o.RefreshInterval = TimeSpan.FromSeconds(1);
        });
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/me", (HttpContext context) => context.User.FindFirst("sub")?.Value).RequireAuthorization();
        await app.StartAsync();
        return app;
    }

    private static async Task<HttpResponseMessage> GetAsync(WebApplication api, string? token)
    {
        using var http = new HttpClient { BaseAddress = new Uri(api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await http.SendAsync(request);
    }

    /// <summary>Repeats the request while it is refused, up to 5 s, for JwtBearer's background metadata refresh.</summary>
    private static async Task<HttpStatusCode> EventuallyAsync(WebApplication api, string token)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var status = (await GetAsync(api, token)).StatusCode;
            if (status == HttpStatusCode.OK || DateTime.UtcNow > deadline)
            {
                return status;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Changes one character of the payload (the subject), keeping the signature.</summary>
    public static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = TestTokens.Payload(token).GetRawText().Replace(TestTokens.UserId, "00000000-0000-0000-0000-000000000001", StringComparison.Ordinal);
        parts[1] = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(payload));
        return string.Join('.', parts);
    }
}
