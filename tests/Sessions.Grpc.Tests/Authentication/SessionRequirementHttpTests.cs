using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests.Authentication;

/// <summary>
/// A session policy refused on an HTTP endpoint: 403 that says which requirement, as RFC 6750 section 3.1 has it
/// (<c>error="insufficient_scope"</c>), the way gRPC callers get it in the status message.
/// </summary>
public sealed class SessionRequirementHttpTests
{
    [Fact]
    public async Task An_HTTP_request_whose_session_fails_a_requirement_gets_403_with_insufficient_scope_naming_it()
    {
        // Before, the 403 had no body and no WWW-Authenticate: an HTTP caller could not tell which requirement failed.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddJwtSessions(o => o.Secret = SessionsHost.Secret);
        builder.Services.AddAuthentication(SessionAuthenticationDefaults.AuthenticationScheme).AddSessionBearer();
        builder.Services.AddAuthorization(o =>
        {
            o.AddPolicy("admins", p => p.RequireSession(SessionRequirement.ClaimContains("role", "admin")));
            o.AddPolicy("quoted", p => p.RequireSession(SessionRequirement.ClaimEquals("tenant", "a\"b\\c\u00e9")));
        });
        await using var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/admin", (HttpContext http) => http.GetSession()!.Subject).RequireAuthorization("admins");
        app.MapGet("/quoted", (HttpContext http) => http.GetSession()!.Subject).RequireAuthorization("quoted");
        app.MapGet("/role", (HttpContext http) => http.GetSession()!.Subject).RequireAuthorization(p => p.RequireRole("admin"));
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        var token = (await app.Services.GetRequiredService<ISessionIssuer>().IssueAsync(TestTokens.UserId, new SessionClaims { ["role"] = "reader" })).Token;

        async Task<HttpResponseMessage> GetAsync(string path)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = new("Bearer", token);
            return await http.SendAsync(request);
        }

        using var admin = await GetAsync("/admin");
        using var quoted = await GetAsync("/quoted");
        using var role = await GetAsync("/role");

        Assert.Equal(HttpStatusCode.Forbidden, admin.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_scope\", error_description=\"the session does not meet the requirement: claim 'role' contains 'admin'\"", admin.Headers.WwwAuthenticate.ToString());
        // RFC 6750's error_description holds printable ASCII without '"' and '\'.
        Assert.Equal(HttpStatusCode.Forbidden, quoted.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_scope\", error_description=\"the session does not meet the requirement: claim 'tenant' equals 'a?b?c?'\"", quoted.Headers.WwwAuthenticate.ToString());
        // A refusal by another requirement of the policy has no description to give, but is still insufficient_scope.
        Assert.Equal(HttpStatusCode.Forbidden, role.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_scope\"", role.Headers.WwwAuthenticate.ToString());
        await app.StopAsync();
    }
}
