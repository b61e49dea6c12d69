using Microsoft.AspNetCore.Authentication;

namespace Sessions.Grpc;

/// <summary>
/// Options of <see cref="SessionAuthenticationHandler"/>. The token itself is checked by the registered
/// <see cref="ISessionValidator"/> (<c>AddSessions()</c> on the session server, <c>AddJwtSessionValidation()</c>
/// elsewhere), whose options hold the issuer, audience and keys.
/// </summary>
public sealed class SessionAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>
    /// The claim type <see cref="System.Security.Claims.ClaimsIdentity.Name"/> reads. Defaults to
    /// <see cref="SessionAuthenticationDefaults.NameClaimType"/> (<c>sub</c>); an empty one stops the host at start.
    /// </summary>
    public string NameClaimType { get; set; } = SessionAuthenticationDefaults.NameClaimType;

    /// <summary>
    /// The claim type whose values are the user's roles, for <c>IsInRole</c> and <c>[Authorize(Roles = ...)]</c>.
    /// Defaults to <see cref="SessionAuthenticationDefaults.RoleClaimType"/> (<c>role</c>); a string-array claim
    /// gives one role per element; an empty one stops the host at start.
    /// </summary>
    public string RoleClaimType { get; set; } = SessionAuthenticationDefaults.RoleClaimType;

    /// <summary>The events that hook into authentication. Defaults to events that do nothing.</summary>
    public new SessionAuthenticationEvents Events
    {
        get => (SessionAuthenticationEvents)base.Events!;
        set => base.Events = value;
    }

    /// <summary>Creates the options with events that do nothing.</summary>
    public SessionAuthenticationOptions()
    {
        base.Events = new SessionAuthenticationEvents();
    }
}
