namespace Sessions.Grpc;

/// <summary>Default values of the session authentication scheme.</summary>
public static class SessionAuthenticationDefaults
{
    /// <summary>The scheme name <c>AddAuthentication().AddSessionBearer()</c> registers: <c>Sessions</c>.</summary>
    public const string AuthenticationScheme = "Sessions";

    /// <summary>The claim type of the user: <c>sub</c>, as in the token (not renamed to a WS-* URI).</summary>
    public const string NameClaimType = SessionClaimNames.Subject;

    /// <summary>
    /// The custom claim that carries roles: <c>role</c>. Issue sessions with <c>{ ["role"] = new[] { "admin" } }</c>
    /// (a string or an array of strings) and <c>[Authorize(Roles = "admin")]</c> works.
    /// </summary>
    public const string RoleClaimType = "role";
}
