using Microsoft.Extensions.Options;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests.Authentication;

/// <summary>The options of <c>AddSessionBearer()</c> are checked when the host starts, one line naming the setting.</summary>
public sealed class SessionBearerOptionsTests
{
    [Theory]
    [InlineData("NameClaimType")]
    [InlineData("RoleClaimType")]
    public async Task An_empty_claim_type_stops_the_host_at_start_naming_it(string setting)
    {
        // Before, the host started and ClaimsIdentity fell back to its own long claim type: User.Identity.Name was null
        // (or no role matched) for every session, without a word.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseSetting("urls", "http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddJwtSessions(o => o.Secret = SessionsHost.Secret);
        builder.Services.AddAuthentication().AddSessionBearer(o =>
        {
            if (setting == "NameClaimType")
            {
                o.NameClaimType = "";
            }
            else
            {
                o.RoleClaimType = " ";
            }
        });
        await using var app = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains($"SessionAuthenticationOptions.{setting} of the scheme 'Sessions' is empty", ex.Message, StringComparison.Ordinal);
    }
}
