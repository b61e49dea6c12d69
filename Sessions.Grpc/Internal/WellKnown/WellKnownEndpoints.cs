using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Sessions.Grpc.Internal.Hosting;
using Sessions.Jwt;

namespace Sessions.Grpc.Internal.WellKnown;

/// <summary>
/// <c>GET /.well-known/jwks.json</c> and <c>GET /.well-known/openid-configuration</c> (and <c>HEAD</c>): the public keys, and the
/// minimal discovery document that lets JwtBearer's <c>Authority</c> find them. Both are cacheable for
/// <see cref="SessionsWellKnownPaths.MaxAgeSeconds"/> and answer <c>If-None-Match</c> with 304; the discovery document
/// only by the caller itself when its <c>jwks_uri</c> comes from the request (no
/// <see cref="SessionsServiceOptions.PublicBaseUrl"/>).
/// </summary>
internal static class WellKnownEndpoints
{
    private const string JsonContentType = "application/json";

    private static readonly string s_publicCacheControl =
        "public, max-age=" + SessionsWellKnownPaths.MaxAgeSeconds.ToString(CultureInfo.InvariantCulture);

    // A reply built from the Host header must not reach a shared cache: whoever sends `Host: evil.example` would
    // otherwise hand every later caller a jwks_uri of their choosing.
    private static readonly string s_privateCacheControl =
        "private, max-age=" + SessionsWellKnownPaths.MaxAgeSeconds.ToString(CultureInfo.InvariantCulture);

    private static readonly string[] s_getAndHead = [HttpMethods.Get, HttpMethods.Head];

    // The route builders (the app, a route group) the documents were mapped on: once each.
    private static readonly ConditionalWeakTable<IEndpointRouteBuilder, object> s_mapped = [];

    /// <summary>Maps the documents on <paramref name="endpoints"/>; <see langword="false"/> when they were already mapped there.</summary>
    public static bool TryMap(IEndpointRouteBuilder endpoints)
    {
        if (!s_mapped.TryAdd(endpoints, s_mapped))
        {
            return false;
        }

        // HEAD as GET without the content (RFC 9110, section 9.3.2), which Kestrel leaves out of a HEAD's answer by itself.
        endpoints.MapMethods(SessionsWellKnownPaths.JsonWebKeySet, s_getAndHead, WriteKeySetAsync).AllowAnonymous().ExcludeFromDescription();
        endpoints.MapMethods(SessionsWellKnownPaths.OpenIdConfiguration, s_getAndHead, WriteConfigurationAsync).AllowAnonymous().ExcludeFromDescription();
        return true;
    }

    private static Task WriteKeySetAsync(HttpContext context)
    {
        var document = context.RequestServices.GetRequiredService<JwksDocumentProvider>().GetDocument();
        return WriteAsync(context, s_publicCacheControl, document.ETag, document.Utf8Json);
    }

    private static Task WriteConfigurationAsync(HttpContext context)
    {
        var document = context.RequestServices.GetRequiredService<JwksDocumentProvider>().GetDocument();
        var settings = context.RequestServices.GetRequiredService<SessionsServiceSettings>();
        var issuer = settings.TokenIssuer;
        var publicBaseUrl = settings.Current.PublicBaseUrl;
        string jwksUri;
        string cacheControl;
        if (publicBaseUrl is not null)
        {
            jwksUri = publicBaseUrl.AbsoluteUri.TrimEnd('/') + SessionsWellKnownPaths.JsonWebKeySet;
            cacheControl = s_publicCacheControl;
        }
        else
        {
            var request = context.Request;
            jwksUri = $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}{RoutePrefix(request.Path)}{SessionsWellKnownPaths.JsonWebKeySet}";
            cacheControl = s_privateCacheControl;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("issuer", issuer);
            writer.WriteString("jwks_uri", jwksUri);
            writer.WriteStartArray("id_token_signing_alg_values_supported");
            foreach (var algorithm in document.Algorithms)
            {
                writer.WriteStringValue(algorithm);
            }

            writer.WriteEndArray();

            // Required members of OpenID Connect Discovery 1.0; sessions are bearer tokens, not ID tokens, but
            // strict discovery clients refuse a document without them.
            writer.WriteStartArray("response_types_supported");
            writer.WriteStringValue("id_token");
            writer.WriteEndArray();
            writer.WriteStartArray("subject_types_supported");
            writer.WriteStringValue("public");
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        var body = buffer.ToArray();

        // The document depends on the keys, the issuer and the address it names: its tag hashes all of it.
        return WriteAsync(context, cacheControl, "\"" + JwksDocument.ComputeVersion(body) + "\"", body);
    }

    /// <summary>
    /// The part of the discovery document's path before <see cref="SessionsWellKnownPaths.OpenIdConfiguration"/>: the
    /// route group the endpoints were mapped in (<c>app.MapGroup("/auth").MapSessions()</c>), where the key set is too.
    /// </summary>
    private static string RoutePrefix(PathString path)
    {
        var value = (path.Value ?? string.Empty).TrimEnd('/');
        return value.EndsWith(SessionsWellKnownPaths.OpenIdConfiguration, StringComparison.OrdinalIgnoreCase)
            ? new PathString(value[..^SessionsWellKnownPaths.OpenIdConfiguration.Length]).ToUriComponent()
            : string.Empty;
    }

    private static Task WriteAsync(HttpContext context, string cacheControl, string etag, byte[] body)
    {
        var response = context.Response;
        response.Headers.CacheControl = cacheControl;
        response.Headers.ETag = etag;
        if (IsNotModified(context.Request, etag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.ContentType = JsonContentType;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private static bool IsNotModified(HttpRequest request, string etag)
    {
        var ifNoneMatch = request.GetTypedHeaders().IfNoneMatch;
        if (ifNoneMatch is null || ifNoneMatch.Count == 0)
        {
            return false;
        }

        var current = new EntityTagHeaderValue(etag);
        foreach (var candidate in ifNoneMatch)
        {
            // If-None-Match uses the weak comparison (RFC 9110, 13.1.2).
            if (candidate.Equals(EntityTagHeaderValue.Any) || candidate.Compare(current, useStrongComparison: false))
            {
                return true;
            }
        }

        return false;
    }
}
