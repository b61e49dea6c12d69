using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.Tokens;
using Sessions.Jwt.Internal;
using Sessions.Jwt.Internal.Health;
using Sessions.Jwt.Internal.Keys;
using Sessions.Jwt.Internal.Settings;
using Sessions.Jwt.Internal.Signing;

namespace Sessions.Jwt;

/// <summary>
/// Keys fetched from a session server's JWKS, for services that only validate sessions: fetched on first need,
/// cached, refreshed on schedule and — throttled — as soon as a token names a key not seen yet, so a new key works on
/// the very first request that uses it. When the session server cannot be reached, the last good keys stay in use.
/// </summary>
/// <remarks>
/// <para>
/// Each published key is pinned to the algorithm its JWK names (<c>alg</c> is required; keys without it, with
/// <c>use</c> other than <c>sig</c>, with <c>key_ops</c> that do not include <c>verify</c> or that name an operation
/// twice or one that disagrees with <c>use</c> (RFC 7517 section 4.3), or of a type that does not fit are skipped).
/// Symmetric keys are never taken from a JWKS, nor keys published with their private parameters (<c>d</c>, ...):
/// those are compromised, and logged as an error.
/// A <c>kid</c> must name one key (RFC 7517 section 4.5): a skipped key does not take the <c>kid</c> of a usable key
/// published with it, copies of one key under one <c>kid</c> count once, and a <c>kid</c> published for two different
/// keys, or also for a key with its private part, is refused for each of them.
/// </para>
/// <para>
/// A fetch succeeds only with a JWK Set (a JSON object with a <c>keys</c> array, RFC 7517 section 5) that holds at
/// least one usable key. Anything else answered with HTTP 200 (a gateway's error as JSON, <c>{"keys":[]}</c>, a set
/// whose every key is skipped) is a failed fetch: the keys held stay in use, so a key set never drops to no key at all.
/// A key is withdrawn by publishing a set without it that still holds another usable key.
/// </para>
/// </remarks>
public sealed class JwksSessionKeySource : ISessionKeySource, IDisposable
{
    private static readonly SessionKeySet s_empty = new([], null);

    // The error type logged for a document that is not a key set, or holds no usable key.
    private const string UnusableKeySet = "unusable key set";

    // How much of an error reply's text a failed fetch's warning quotes: a line, not a page.
    private const int MaxReasonBytes = 1024;
    private const int MaxReasonChars = 200;

    /// <summary>
    /// The name of the <see cref="HttpClient"/> that <c>AddJwtSessionValidation</c> fetches the keys with, from
    /// <see cref="IHttpClientFactory"/>: <c>Sessions.Jwks</c>. Configure it to give the fetch a proxy or a client
    /// certificate: <c>services.AddHttpClient(JwksSessionKeySource.HttpClientName).ConfigurePrimaryHttpMessageHandler(...)</c>
    /// after <c>AddJwtSessionValidation</c> (set <see cref="SocketsHttpHandler.PooledConnectionLifetime"/> on a handler of
    /// your own, as the default one does, so that the session server's address changes are seen).
    /// </summary>
    public const string HttpClientName = "Sessions.Jwks";

    private readonly HttpClient _http;
    private readonly JwksSessionKeySourceOptions _options;

    /// <summary>The JWKS address as the log names it: without its user information and query, which may hold credentials.</summary>
    private readonly string _address;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private readonly Lock _lock = new();

    // Canceled by Dispose, never disposed itself: a fetch that starts after Dispose still links to its token.
    private readonly CancellationTokenSource _stopping = new();
    private SessionKeySet _current = s_empty;
    private string? _lastDocument;
    private Task<bool>? _inFlight;
    private Task<bool>? _followUp;

    // When the last fetch asked for by a token (RefreshAsync) was asked for, then started; the schedule's fetches do
    // not count, so a key published just after one is still fetched on its first use.
    private long _lastAsked = long.MinValue;

    /// <summary>Creates the key source and starts the first fetch at once; later fetches follow the schedule.</summary>
    /// <param name="httpClient">The client that fetches the JWKS.</param>
    /// <param name="options">Where and how often.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">Receives fetch failures; never key material.</param>
    public JwksSessionKeySource(HttpClient httpClient, JwksSessionKeySourceOptions options, TimeProvider? timeProvider = null, ILogger<JwksSessionKeySource>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        if (JwksSessionKeySourceOptionsCheck.Problems(options) is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        _http = httpClient;
        _options = options;
        _address = KeyDescription.Address(options.JwksUri!);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _timer = _timeProvider.CreateTimer(static state => ((JwksSessionKeySource)state!).OnSchedule(), this, options.RefreshInterval, options.RefreshInterval);
        _ = RefreshCoreAsync(force: true);
    }

    /// <inheritdoc/>
    public event EventHandler? KeysChanged;

    /// <summary>When the keys were last fetched successfully; <see langword="null"/> before the first success.</summary>
    public DateTimeOffset? LastRefreshed { get; private set; }

    /// <summary>
    /// Whether the most recent fetch failed (the address could not be reached, answered with an error or sent an
    /// unusable document: not a JWK Set, or one without a usable key); the last good keys, if any, stay in use
    /// meanwhile. <see langword="false"/> until a fetch has been tried. A validator refuses a token naming a <c>kid</c> it
    /// does not know with <see cref="SessionFailureReason.Unavailable"/> rather than <see cref="SessionFailureReason.UnknownKey"/> while
    /// this is <see langword="true"/>: the key may well exist, and the client should retry rather than log out.
    /// </summary>
    public bool LastFetchFailed { get; private set; }

    /// <inheritdoc/>
    public SessionKeySet GetKeys() => Volatile.Read(ref _current);

    /// <summary>What ended the most recent fetch (<c>HTTP 503</c>, <c>HttpRequestException</c>, ...), while <see cref="LastFetchFailed"/>; for the health check.</summary>
    internal string? LastFailure { get; private set; }

    /// <summary>Where and how often the keys are fetched.</summary>
    internal JwksSessionKeySourceOptions Options => _options;

    /// <summary>The clock <see cref="LastRefreshed"/> is read from.</summary>
    internal TimeProvider TimeProvider => _timeProvider;

    /// <summary>
    /// Fetches the keys now unless a fetch asked for this way started less than
    /// <see cref="JwksSessionKeySourceOptions.MinimumRefreshInterval"/> ago. Callers arriving during a fetch share it;
    /// when the interval allows, one fetch more follows it (the one under way may have started before the key a caller
    /// needs was published), shared by every caller that arrives until it starts.
    /// </summary>
    /// <param name="cancellationToken">Cancels this caller's wait, not the shared fetch.</param>
    /// <returns>Whether the keys changed.</returns>
    public ValueTask<bool> RefreshAsync(CancellationToken cancellationToken = default) => new(RefreshCoreAsync(force: false).WaitAsync(cancellationToken));

    /// <summary>Stops the scheduled refresh and ends a fetch under way.</summary>
    public void Dispose()
    {
        _timer.Dispose();
        _stopping.Cancel();
    }

    private void OnSchedule() => _ = RefreshCoreAsync(force: true);

    private Task<bool> RefreshCoreAsync(bool force)
    {
        lock (_lock)
        {
            var running = _inFlight is { IsCompleted: false } inFlight ? inFlight : null;
            if (force)
            {
                return running ?? (_inFlight = FetchAsync(revalidate: false));
            }

            if (_followUp is not null)
            {
                return _followUp;
            }

            // Throttled even while a fetch runs: a flood of forged kids arriving during every fetch must not queue the
            // next one each time, which would keep the session server fetched back to back.
            var now = _timeProvider.GetTimestamp();
            if (_lastAsked != long.MinValue && _timeProvider.GetElapsedTime(_lastAsked, now) < _options.MinimumRefreshInterval)
            {
                return running ?? Task.FromResult(false);
            }

            _lastAsked = now;
            return running is null ? _inFlight = FetchAsync(revalidate: true) : _followUp = FollowUpAsync(running);
        }
    }

    private async Task<bool> FollowUpAsync(Task<bool> running)
    {
        // Always after RefreshCoreAsync has stored this task as _followUp and left the lock: a fetch that ended since it
        // was seen running would otherwise run this on inline, clear _followUp before it is set, and leave the finished
        // follow-up stored for good, so that no token could ask for a fetch again.
        var changed = await running.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        Task<bool> next;
        lock (_lock)
        {
            _followUp = null;
            _lastAsked = _timeProvider.GetTimestamp();
            next = _inFlight = FetchAsync(revalidate: true);
        }

        return await next.ConfigureAwait(false) | changed;
    }

    // revalidate: asked for by a token whose kid the keys held do not have, so a copy of the key set that a shared HTTP
    // cache in front of the server stored (it is served with max-age=300) is known to be out of date: the request says
    // Cache-Control: no-cache, and such a cache asks the server (RFC 9111, 5.2.1.4). The schedule's fetches, every
    // RefreshInterval from every validator, are what such a cache is there to absorb: they leave it free to answer.
    private async Task<bool> FetchAsync(bool revalidate)
    {
        using var timeout = new CancellationTokenSource(_options.FetchTimeout, _timeProvider);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _stopping.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, _options.JwksUri);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (revalidate)
            {
                request.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
            }
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException(await StatusFailureAsync(response, cancellation.Token).ConfigureAwait(false), null, response.StatusCode);
            }

            if (response.Content.Headers.ContentLength > _options.MaxDocumentBytes)
            {
                throw new InvalidDataException($"The JWKS is {response.Content.Headers.ContentLength} bytes, more than the {_options.MaxDocumentBytes} accepted.");
            }

            var document = await ReadLimitedAsync(response.Content, cancellation.Token).ConfigureAwait(false);
            if (string.Equals(document, _lastDocument, StringComparison.Ordinal))
            {
                LastRefreshed = _timeProvider.GetUtcNow();
                LastFetchFailed = false;
                LastFailure = null;
                return false;
            }

            var (keys, problem) = Parse(document);
            if (keys is null)
            {
                // Not a key set, or one this validator can use no key of: as a fetch that failed, since replacing the
                // keys held with none would refuse every session, for a reply that is far more often a gateway's or
                // a misconfigured server's than a deliberate withdrawal of every key.
                return Failed(UnusableKeySet, problem!, $"{UnusableKeySet}: {problem}");
            }

            Volatile.Write(ref _current, keys);
            _lastDocument = document;
            LastRefreshed = _timeProvider.GetUtcNow();
            LastFetchFailed = false;
            LastFailure = null;
            JwtLog.KeysFetched(_logger, _address, keys.Keys.Count);
            KeysChanged?.Invoke(this, EventArgs.Empty);
            return true;
        }
        catch (Exception exception) when (_stopping.IsCancellationRequested && exception is OperationCanceledException or ObjectDisposedException)
        {
            // Disposed (the host is stopping): the session server did not fail, and nothing waits for the keys any more.
            return false;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            // Named, with the setting to raise: "The operation was canceled." told the operator neither.
            var limit = _options.FetchTimeout.ToString("c", CultureInfo.InvariantCulture);
            return Failed("timeout", $"it did not answer within JwksSessionKeySourceOptions.FetchTimeout ({limit}); raise that if the session server is this slow", $"timeout: no answer within FetchTimeout ({limit})");
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or InvalidDataException or ArgumentException or JsonException
            or NotSupportedException or InvalidOperationException or IOException)
        {
            // IOException: a reply cut short while its body is read (HttpIOException), which SendAsync, done with the
            // headers, does not wrap in an HttpRequestException.
            return Failed(exception.GetType().Name, WithCauses(exception), exception is HttpRequestException { StatusCode: { } status } ? $"HTTP {(int)status}" : exception.GetType().Name);
        }
    }

    // The status, with what the server said when it said it in a short line of text: a JwksUri at the session server's
    // gRPC port gets Kestrel's "400 (Bad Request)", whose body says why ("An HTTP/1.x request was sent to an HTTP/2
    // only endpoint."), and the address to use instead. At most MaxReasonChars of it, without control characters.
    private static async Task<string> StatusFailureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var text = $"the server answered {status} ({response.ReasonPhrase})";
        if (response.Content.Headers.ContentType?.MediaType != "text/plain" || response.Content.Headers.ContentLength is not (> 0 and <= MaxReasonBytes))
        {
            return text + ".";
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var said = new string(System.Text.Encoding.UTF8.GetString(body).Select(static c => char.IsControl(c) ? ' ' : c).ToArray()).Trim();
        if (said.Length > MaxReasonChars)
        {
            said = said[..MaxReasonChars] + "…";
        }

        text += said.Length > 0 ? $": \"{said}\"" : string.Empty;
        return said.Contains("HTTP/2 only", StringComparison.Ordinal)
            ? text + " JwksUri is the session server's gRPC (HTTP/2) port: give its HTTP/1.1 address instead (the sample's HTTP_PORT, 3124 by default)."
            : text + ".";
    }

    // The message with the causes the HTTP client gives as inner exceptions: its own message is often only "An error
    // occurred while sending the request." or "The SSL connection could not be established, see inner exception.", and
    // the cause (a TLS handshake with a plain HTTP port, a certificate not trusted, a connection reset) is inside. A
    // cause its outer message already quotes ("Connection refused (host:port)") is not repeated.
    private static string WithCauses(Exception exception)
    {
        var text = new System.Text.StringBuilder(exception.Message.TrimEnd());
        for (var cause = exception.InnerException; cause is not null; cause = cause.InnerException)
        {
            var message = cause.Message.TrimEnd();
            if (message.Length > 0 && !text.ToString().Contains(message, StringComparison.Ordinal))
            {
                text.Append(" <- ").Append(cause.GetType().Name).Append(": ").Append(message);
            }
        }

        return text.ToString();
    }

    // The last good keys stay in force: a session server that is down, or answers with something else than its keys,
    // must not take its validators down too.
    private bool Failed(string errorType, string error, string failure)
    {
        LastFailure = failure;
        LastFetchFailed = true;
        if (LastRefreshed is null)
        {
            JwtLog.KeysNeverFetched(_logger, _address, errorType, error);
        }
        else
        {
            JwtLog.KeysFetchFailed(_logger, _address, errorType, error, Volatile.Read(ref _current).Keys.Count);
        }

        return false;
    }

    private async Task<string> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > _options.MaxDocumentBytes)
            {
                throw new InvalidDataException($"The JWKS is larger than the {_options.MaxDocumentBytes} bytes accepted.");
            }

            buffer.Write(chunk, 0, read);
        }

        // A UTF-8 byte order mark before the JSON (a file saved with one and served as it is) is skipped, as RFC 8259
        // (section 8.1) allows and HttpClient's ReadAsStringAsync does: Encoding.GetString keeps it as U+FEFF, which
        // the JSON parser refuses.
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        if (bytes.StartsWith(System.Text.Encoding.UTF8.Preamble))
        {
            bytes = bytes[System.Text.Encoding.UTF8.Preamble.Length..];
        }

        return System.Text.Encoding.UTF8.GetString(bytes);
    }

    // The usable keys of the document, or what makes it unusable: not a JWK Set (RFC 7517, section 5, requires a
    // 'keys' array), or a set without a single usable key. The problem names what was wrong, never the document's
    // content, which is not known to be free of secrets.
    private (SessionKeySet? Keys, string? Problem) Parse(string document)
    {
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(document);
        }
        catch (JsonException exception)
        {
            // Its message quotes the document where it stops reading: only the position is named.
            return (null, $"it is not valid JSON (line {exception.LineNumber + 1}, byte {exception.BytePositionInLine + 1})");
        }

        using var parsed = json;
        var root = json.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, $"it is a JSON {KindOf(root)}, not an object with the 'keys' array that RFC 7517 (section 5) requires");
        }

        if (!root.TryGetProperty("keys", out var members))
        {
            return (null, "it has no 'keys' member, which RFC 7517 (section 5) requires of a key set; a gateway's or proxy's error answered with HTTP 200 looks like this");
        }

        if (members.ValueKind != JsonValueKind.Array)
        {
            return (null, $"its 'keys' is a JSON {KindOf(members)}, not an array as RFC 7517 (section 5) requires");
        }

        // The usable keys by kid, in the order their kids first appear, and the kids published with a private part.
        var usable = new List<(SessionKey Key, string PublicPart)>();
        var leaked = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in members.EnumerateArray())
        {
            if (member.ValueKind != JsonValueKind.Object)
            {
                JwtLog.KeySkipped(_logger, "(none)", "(none)", $"it is a JSON {KindOf(member)}, not a JWK object");
                continue;
            }

            JsonWebKey jwk;
            try
            {
                jwk = new JsonWebKey(member.GetRawText());
            }
            catch (ArgumentException)
            {
                // The library's message quotes the JWK, which may carry a private part: only its kid and alg are named.
                JwtLog.KeySkipped(_logger, StringMember(member, "kid"), StringMember(member, "alg"), "a member does not have the JSON type RFC 7517 gives it");
                continue;
            }

            if ((SkipReason(jwk) ?? KeyOperationsSkipReason(member, jwk.Use)) is { } reason)
            {
                JwtLog.KeySkipped(_logger, jwk.Kid ?? "(none)", jwk.Alg ?? "(none)", reason);
                continue;
            }

            // SkipReason found both.
            string kid = jwk.Kid!, alg = jwk.Alg!;
            if (HasPrivateParameters(jwk))
            {
                // A private key published is compromised, as a published HS256 secret is: whoever reads the JWKS could
                // sign sessions with it, so it is refused rather than trusted for its public part.
                JwtLog.PrivateKeyPublished(_logger, kid, _address);
                leaked.Add(kid);
                continue;
            }

            try
            {
                // Only public parameters are read, so the key this source holds can never sign.
                var publicOnly = new JsonWebKey { Kty = jwk.Kty, Crv = jwk.Crv, X = jwk.X, Y = jwk.Y, N = jwk.N, E = jwk.E };
                var key = SessionKeyLoader.FromJsonWebKey(kid, alg, publicOnly);
                if (key is null)
                {
                    JwtLog.KeySkipped(_logger, kid, alg, JwsAlgorithms.IdOf(alg) == JwsAlgorithms.ES256
                        ? $"ES256 takes an EC key on P-256 (kty 'EC', crv 'P-256'); this one has kty '{jwk.Kty}', crv '{jwk.Crv}'"
                        : $"{alg} takes an RSA key (kty 'RSA'); this one has kty '{jwk.Kty}'");
                    continue;
                }

                usable.Add((key, string.Join('\n', alg, jwk.Kty, jwk.Crv, jwk.X, jwk.Y, jwk.N, jwk.E)));
            }
            catch (ArgumentException exception)
            {
                // SessionKey's own checks (an RSA key under 2048 bits); their messages name the key, never its material.
                JwtLog.KeySkipped(_logger, kid, alg, KeyErrors.WithoutParameterName(exception).TrimEnd('.'));
            }
            catch (Exception exception) when (exception is System.Security.Cryptography.CryptographicException or FormatException)
            {
                JwtLog.KeySkipped(_logger, kid, alg, $"its parameters are not a valid {alg} public key ({exception.GetType().Name})");
            }
        }

        var keys = OnePerKid(usable, leaked);
        if (keys.Count == 0)
        {
            var published = members.GetArrayLength();
            return (null, (published == 0 ? "it holds no usable key (none published)" : $"it holds no usable key ({published} published, skipped as logged)") +
                ". A session server publishes only asymmetric keys: sign with ES256, RS256 or PS256 (JWT_ALGORITHM=ES256 on the sample server, or an asymmetric key in Sessions:Keys); an HS256 secret is never published, so with HS256 validate by calling Validate or share the secret");
        }

        return (new SessionKeySet(keys, signingKeyId: null), null);
    }

    // Only a usable key claims its kid, so a broken key cannot push a good one out by being published first. A token
    // names its key by kid alone, so a kid must name one key: copies of the same key count once, but a kid published
    // for different keys (RFC 7517, section 4.5, has kids distinct within a set), or also with a private part, names
    // none, since a token under it may be meant for the other key, or be signed with the leaked one.
    private List<SessionKey> OnePerKid(List<(SessionKey Key, string PublicPart)> usable, HashSet<string> leaked)
    {
        var keys = new List<SessionKey>(usable.Count);
        foreach (var group in usable.GroupBy(u => u.Key.Id!, StringComparer.Ordinal))
        {
            var (first, publicPart) = group.First();
            var reason = leaked.Contains(group.Key)
                ? "its kid is also published with a private part, so a token under it may be signed with that leaked key"
                : group.Any(u => !string.Equals(u.PublicPart, publicPart, StringComparison.Ordinal))
                    ? "its kid is published for another key too, so a token naming it could be meant for either; a kid must name one key (RFC 7517, section 4.5)"
                    : null;
            if (reason is null)
            {
                keys.Add(first);
            }

            foreach (var (key, _) in reason is null ? group.Skip(1) : group)
            {
                JwtLog.KeySkipped(_logger, key.Id!, key.Algorithm, reason ?? "its kid is published more than once, each time for this key; it is used once");
                key.AsymmetricKey?.Dispose();
            }
        }

        return keys;
    }

    private static string KindOf(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    private static string StringMember(JsonElement jwk, string name) =>
        jwk.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : "(none)";

    // Why a published key cannot be used at all, before its parameters are read; null when nothing stops it. Its kid
    // is not claimed here: only a key that turns out usable claims it (OnePerKid).
    private static string? SkipReason(JsonWebKey jwk)
    {
        if (string.IsNullOrEmpty(jwk.Kid))
        {
            return "it has no 'kid', which tokens name their key by";
        }

        if (string.IsNullOrEmpty(jwk.Alg))
        {
            return "it has no 'alg', which pins the algorithm its tokens must use";
        }

        if (JwsAlgorithms.IdOf(jwk.Alg) == JwsAlgorithms.HS256)
        {
            return "a symmetric key is a secret, never taken from a key set";
        }

        if (!JwsAlgorithms.IsSupported(jwk.Alg))
        {
            return "the algorithm is not one of ES256, RS256, PS256";
        }

        if (!string.IsNullOrEmpty(jwk.Use) && jwk.Use != "sig")
        {
            return $"'use' is '{jwk.Use}', not 'sig'";
        }

        return null;
    }

    // RFC 7517, section 4.3: a key with 'key_ops' is for the operations it names alone, each named once, and they must
    // agree with its 'use' ("sig": sign and verify). Read from the JSON, since JsonWebKey shows an absent 'key_ops'
    // (any operation) and an empty one (none) alike.
    private static string? KeyOperationsSkipReason(JsonElement member, string? use)
    {
        if (!member.TryGetProperty("key_ops", out var operations))
        {
            return null;
        }

        if (operations.ValueKind != JsonValueKind.Array)
        {
            return $"'key_ops' is a JSON {KindOf(operations)}, not an array";
        }

        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var operation in operations.EnumerateArray())
        {
            if (operation.ValueKind != JsonValueKind.String)
            {
                return $"'key_ops' holds a JSON {KindOf(operation)}, not only strings";
            }

            var name = operation.GetString()!;
            if (!named.Add(name))
            {
                return $"'key_ops' names '{name}' more than once, which RFC 7517 (section 4.3) forbids";
            }

            if (use == "sig" && name is not ("sign" or "verify"))
            {
                return $"'use' is 'sig' but 'key_ops' also names '{name}', which RFC 7517 (section 4.3) requires to agree";
            }
        }

        return named.Contains("verify") ? null : "'key_ops' does not include 'verify', so it is not for verifying signatures";
    }

    private static bool HasPrivateParameters(JsonWebKey jwk) =>
        !string.IsNullOrEmpty(jwk.D) || !string.IsNullOrEmpty(jwk.P) || !string.IsNullOrEmpty(jwk.Q) || !string.IsNullOrEmpty(jwk.DP) ||
        !string.IsNullOrEmpty(jwk.DQ) || !string.IsNullOrEmpty(jwk.QI) || !string.IsNullOrEmpty(jwk.K);
}
