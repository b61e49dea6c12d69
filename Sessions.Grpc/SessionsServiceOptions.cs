namespace Sessions.Grpc;

/// <summary>
/// Options of the sessions service as a host publishes it: the address it is reached at and who may make its
/// privileged calls. Set with
/// <c>services.Configure&lt;SessionsServiceOptions&gt;(...)</c> or from configuration: <c>AddSessions()</c> binds them
/// from the same section as <c>JwtSessionOptions</c> (<c>Sessions</c>, or the one given to <c>AddSessions(section)</c>) (<c>Sessions:PublicBaseUrl</c>,
/// <c>Sessions:PrivilegedPolicy</c>, <c>Sessions:ApiKey</c>). Validated when the host starts.
/// </summary>
public sealed class SessionsServiceOptions
{
    /// <summary>
    /// The name of the policy <c>AddSessions().RequirePrivilegedPolicy(policy =&gt; ...)</c> registers:
    /// <c>SessionsPrivileged</c>.
    /// </summary>
    public const string DefaultPrivilegedPolicy = "SessionsPrivileged";

    /// <summary>
    /// The address validators reach this server's HTTP endpoints at, for example <c>https://sessions.example.com</c>
    /// or <c>https://example.com/sessions</c> behind a path prefix: the <c>jwks_uri</c> of the discovery document
    /// (<see cref="SessionsWellKnownPaths.OpenIdConfiguration"/>) is this address followed by
    /// <see cref="SessionsWellKnownPaths.JsonWebKeySet"/>. An absolute <c>http</c> or <c>https</c> URL without query or
    /// fragment.
    /// </summary>
    /// <value>
    /// The default is <see langword="null"/>: the document names the scheme and <c>Host</c> the request was made with,
    /// and since a caller chooses its <c>Host</c> header, that reply is marked <c>Cache-Control: private</c> so that no
    /// shared cache hands one caller's address to others. Set it in production so that caches and CDNs may keep the
    /// document.
    /// </value>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>
    /// The ASP.NET Core authorization policy a caller must satisfy to make a privileged call: <c>Create</c> (it issues
    /// a session for any user it names), <c>Revoke</c> by <c>session_id</c> and <c>RevokeAll</c> (they end other
    /// people's sessions), <c>ListSessions</c> (it shows anyone's sign-ins), and every administrative call added later. <c>Validate</c>, <c>GetKeys</c>,
    /// <c>Refresh</c> (the holder of the refresh token) and <c>Revoke</c> by <c>token</c> (a holder ending their own
    /// session) stay open. The policy authenticates with its own schemes (client certificates, JwtBearer, the API key
    /// of <c>AddAuthentication().AddSessionsApiKey(...)</c>) or, without any, with the request's user.
    /// </summary>
    /// <value>
    /// The default is <see langword="null"/>: without <see cref="ApiKey"/> either, the privileged calls are open to
    /// anyone who can reach the service, as the original service's <c>Create</c> was, and a warning says so at start. Set with
    /// <c>AddSessions().RequirePrivilegedPolicy(...)</c> or <c>Sessions:PrivilegedPolicy</c>; the policy must exist
    /// when the host starts.
    /// </value>
    /// <remarks>
    /// A caller without credentials the policy's schemes accept is refused with <c>Unauthenticated</c>; one whose
    /// credentials are refused, who does not satisfy the policy, or whom a requirement refuses outright
    /// (<c>context.Fail(reason)</c>) with <c>PermissionDenied</c>. The message names the call and what is missing:
    /// the schemes (by display name), the policy, and the messages of the failure reasons a requirement gives, which
    /// are therefore sent to the caller.
    /// </remarks>
    public string? PrivilegedPolicy { get; set; }

    /// <summary>
    /// A key that lets a caller make the privileged calls (<c>Create</c>, <c>Revoke</c> by <c>session_id</c>,
    /// <c>RevokeAll</c>, <c>ListSessions</c>) by sending it as the <c>x-api-key</c> metadata
    /// (<see cref="SessionsApiKeyDefaults.MetadataKey"/>): checked by the service edge itself before the call, in a time
    /// that depends only on the length of the value sent, without ASP.NET Core's authentication and authorization, which
    /// make a handler, an authorization service and their dependencies for every call. At least
    /// <see cref="SessionsApiKeyOptions.MinimumKeyBytes"/> (32) UTF-8 bytes: <c>openssl rand -base64 32</c>; without a line
    /// break, another control character or whitespace at either end, which no header can carry (start-up stops on one,
    /// as a key read from a file with its line break has). Never logged,
    /// never in a message; keep it in a secret store or the environment (<c>Sessions__ApiKey</c>), not in appsettings.json.
    /// Set with <c>AddSessions().RequireApiKey(key)</c> or <c>Sessions:ApiKey</c>.
    /// </summary>
    /// <value>
    /// The default is <see langword="null"/>: no key; the privileged calls follow <see cref="PrivilegedPolicy"/> alone.
    /// </value>
    /// <remarks>
    /// A caller that sends the key makes the call, authenticated as <see cref="SessionsApiKeyDefaults.AuthenticationScheme"/>
    /// (<c>HttpContext.User</c>, which hooks see). One that sends another value is refused with
    /// <c>PermissionDenied</c>, and one that sends the metadata more than once (even with the key each time) with
    /// <c>Unauthenticated</c> and a message saying to send it once, even when a policy would let it in otherwise. One that sends none (or
    /// sends it empty) is judged by <see cref="PrivilegedPolicy"/> when there is one (the key is an alternative to it: operators with
    /// tokens, services with the key), and refused with <c>Unauthenticated</c> when there is not.
    /// </remarks>
    public string? ApiKey { get; set; }

    /// <summary>
    /// A second key that is accepted as <see cref="ApiKey"/> is, while callers move to a new key: to rotate without a
    /// refused call, make the new key <see cref="ApiKey"/> and the old one <see cref="PreviousApiKey"/>, move the callers
    /// to the new key, then remove this one (with the <c>Sessions</c> section reloaded, no restart is needed). A call
    /// that used it is logged at <c>Debug</c> (<c>PrivilegedCallWithPreviousApiKey</c>), so that the callers still on
    /// it can be found. A sent value is compared with both keys every time, so the time taken does not say which one
    /// matched. Needs <see cref="ApiKey"/>; at least <see cref="SessionsApiKeyOptions.MinimumKeyBytes"/> (32) UTF-8
    /// bytes, and what a header can carry, as <see cref="ApiKey"/>. Bound from <c>Sessions:PreviousApiKey</c>.
    /// </summary>
    /// <value>The default is <see langword="null"/>: only <see cref="ApiKey"/> is accepted.</value>
    public string? PreviousApiKey { get; set; }

    /// <summary>
    /// Whether start-up stops without <see cref="ApiKey"/>: set by <c>AddSessions().RequireApiKey(...)</c>.
    /// </summary>
    internal bool ApiKeyRequired { get; set; }

    /// <summary>
    /// Whether <c>Create</c> is open to anyone who can reach the service while the other privileged calls still need
    /// <see cref="PrivilegedPolicy"/> or <see cref="ApiKey"/>: what a drop-in for the original service needs, whose clients call
    /// <c>Create</c> without credentials. An open <c>Create</c> skips authorization altogether, so it costs nothing
    /// per call. Bound from <c>Sessions:AnonymousCreate</c>.
    /// </summary>
    /// <value>
    /// The default is <see langword="false"/>: <c>Create</c> is privileged. Set it only where the network decides who
    /// may issue sessions (a private port behind the login service), and keep <see cref="PrivilegedPolicy"/> or <see cref="ApiKey"/> for
    /// <c>Revoke</c> by <c>session_id</c>, <c>RevokeAll</c> and <c>ListSessions</c>.
    /// </value>
    public bool AnonymousCreate { get; set; }
}
