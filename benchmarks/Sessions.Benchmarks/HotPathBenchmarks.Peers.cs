using System.IdentityModel.Tokens.Jwt;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Jose;
using JWT;
using JWT.Algorithms;
using JWT.Exceptions;
using JWT.Serializers;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Sessions.Benchmarks;

// Peers: each library configured once, the way a careful user would (keys, credentials and validation parameters
// built in set-up and reused), signing and verifying tokens of the same shape as ours.
public partial class HotPathBenchmarks
{
    private JsonWebTokenHandler _jsonWebTokenHandler = null!;
    private JwtSecurityTokenHandler _jwtSecurityTokenHandler = null!;
    private SigningCredentials _signingCredentials = null!;
    private TokenValidationParameters _validationParameters = null!;
    private Dictionary<string, object> _joseHeaders = null!;
    private JwtEncoder _jwtNetEncoder = null!;
    private JwtDecoder _jwtNetDecoder = null!;

    private void SetupPeers()
    {
        var key = new SymmetricSecurityKey(ReferenceTokens.Key);
        _signingCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256);
        _validationParameters = new TokenValidationParameters
        {
            ValidIssuer = ReferenceTokens.Issuer,
            ValidAudience = ReferenceTokens.Audience,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            IssuerSigningKey = key,
            ClockSkew = ClockSkew,
        };
        _jsonWebTokenHandler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        _jwtSecurityTokenHandler = new JwtSecurityTokenHandler { SetDefaultTimesOnTokenCreation = false, MapInboundClaims = false };

        _joseHeaders = new Dictionary<string, object> { ["typ"] = "JWT" };

        var serializer = new JsonNetSerializer();
        var urlEncoder = new JwtBase64UrlEncoder();
        _jwtNetEncoder = new JwtEncoder(new HMACSHA256Algorithm(), serializer, urlEncoder);
        _jwtNetDecoder = new JwtDecoder(
            serializer,
            new JwtValidator(serializer, new UtcDateTimeProvider(), (int)ClockSkew.TotalSeconds),
            urlEncoder,
            new HMACSHAAlgorithmFactory());

        // Every peer accepts the good token and refuses the bad one...
        RequirePeer("JsonWebTokenHandler", Verify_JsonWebTokenHandler, VerifyBadSignature_JsonWebTokenHandler);
        RequirePeer("JwtSecurityTokenHandler", Verify_JwtSecurityTokenHandler, VerifyBadSignature_JwtSecurityTokenHandler);
        RequirePeer("jose-jwt", Verify_JoseJwt, VerifyBadSignature_JoseJwt);
        RequirePeer("JWT.Net", Verify_JwtNet, VerifyBadSignature_JwtNet);
        ReferenceTokens.Require(VerifyClaims_JsonWebTokenHandler() == 5, "JsonWebTokenHandler reads the five custom claims");

        // ...and signs a token of our shape that every peer accepts.
        RequireShape("JsonWebTokenHandler", Sign_JsonWebTokenHandler());
        RequireShape("JwtSecurityTokenHandler", Sign_JwtSecurityTokenHandler());
        RequireShape("jose-jwt", Sign_JoseJwt());
        RequireShape("JWT.Net", Sign_JwtNet());
        RequireShape("JsonWebTokenHandler with claims", SignClaims_JsonWebTokenHandler(), "tenant", "roles", "level", "mfa", "device");
    }

    private void RequirePeer(string name, Func<string?> verifyGood, Func<string?> verifyBad)
    {
        ReferenceTokens.Require(verifyGood() == Subject, name + " accepts the good token and reads its subject");
        ReferenceTokens.Require(verifyBad() is null, name + " refuses the token with a bad signature");
    }

    private void RequireShape(string name, string token, params string[] customClaims)
    {
        var parts = token.Split('.');
        ReferenceTokens.Require(parts.Length == 3, name + " signs a three-segment token");
        using var header = JsonDocument.Parse(Base64Url.Decode(parts[0]));
        ReferenceTokens.Require(
            header.RootElement.GetProperty("alg").GetString() == "HS256" && header.RootElement.GetProperty("typ").GetString() == "JWT" &&
            header.RootElement.EnumerateObject().Count() == 2,
            name + " writes the header {\"alg\":\"HS256\",\"typ\":\"JWT\"}");
        using var payload = JsonDocument.Parse(Base64Url.Decode(parts[1]));
        var names = payload.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
        var expected = new[] { "iss", "aud", "sub", "jti", "iat", "nbf", "exp" }.Concat(customClaims).Order(StringComparer.Ordinal).ToArray();
        ReferenceTokens.Require(names.SequenceEqual(expected), $"{name} signs exactly the claims of a session ({string.Join(",", names)})");
        var saved = _token;
        try
        {
            _token = token;
            ReferenceTokens.Require(Verify_JsonWebTokenHandler() == Subject, name + "'s token verifies with JsonWebTokenHandler");
            ReferenceTokens.Require(Verify_JoseJwt() == Subject, name + "'s token verifies with jose-jwt");
            ReferenceTokens.Require(Verify_JwtNet() == Subject, name + "'s token verifies with JWT.Net");
        }
        finally
        {
            _token = saved;
        }
    }

    private SecurityTokenDescriptor Descriptor(Dictionary<string, object> claims)
    {
        var now = DateTime.UtcNow;
        return new SecurityTokenDescriptor
        {
            Issuer = ReferenceTokens.Issuer,
            Audience = ReferenceTokens.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            Claims = claims,
            SigningCredentials = _signingCredentials,
        };
    }

    private static Dictionary<string, object> SessionClaimsOf(int capacity) => new(capacity)
    {
        ["sub"] = Subject,
        ["jti"] = Guid.NewGuid().ToString(),
    };

    // ---- Microsoft.IdentityModel.JsonWebTokens ----

    [Benchmark(Description = "JsonWebTokenHandler")]
    [BenchmarkCategory(Sign)]
    public string Sign_JsonWebTokenHandler() => _jsonWebTokenHandler.CreateToken(Descriptor(SessionClaimsOf(2)));

    [Benchmark(Description = "JsonWebTokenHandler")]
    [BenchmarkCategory(Verify)]
    public string? Verify_JsonWebTokenHandler() => JsonWebTokenSubject(_token);

    [Benchmark(Description = "JsonWebTokenHandler, bad signature")]
    [BenchmarkCategory(Verify)]
    public string? VerifyBadSignature_JsonWebTokenHandler() => JsonWebTokenSubject(_badSignatureToken);

    [Benchmark(Description = "JsonWebTokenHandler")]
    [BenchmarkCategory(SignClaims)]
    public string SignClaims_JsonWebTokenHandler()
    {
        var claims = SessionClaimsOf(7);
        claims["tenant"] = "acme";
        claims["roles"] = new[] { "admin", "dev" };
        claims["level"] = 2L;
        claims["mfa"] = true;
        claims["device"] = "d-123";
        return _jsonWebTokenHandler.CreateToken(Descriptor(claims));
    }

    /// <summary>Verifies the claims token and reads the subject and the five custom claims; returns how many were read.</summary>
    [Benchmark(Description = "JsonWebTokenHandler")]
    [BenchmarkCategory(VerifyClaims)]
    public int VerifyClaims_JsonWebTokenHandler()
    {
        var result = _jsonWebTokenHandler.ValidateTokenAsync(_claimsToken, _validationParameters).GetAwaiter().GetResult();
        if (!result.IsValid || result.SecurityToken is not JsonWebToken token || token.Subject != Subject)
        {
            return -1;
        }

        var read = 0;
        read += token.TryGetPayloadValue<string>("tenant", out var tenant) && tenant == "acme" ? 1 : 0;
        read += token.TryGetPayloadValue<string[]>("roles", out var roles) && roles.Length == 2 ? 1 : 0;
        read += token.TryGetPayloadValue<long>("level", out var level) && level == 2 ? 1 : 0;
        read += token.TryGetPayloadValue<bool>("mfa", out var mfa) && mfa ? 1 : 0;
        read += token.TryGetPayloadValue<string>("device", out var device) && device == "d-123" ? 1 : 0;
        return read;
    }

    private string? JsonWebTokenSubject(string token)
    {
        var result = _jsonWebTokenHandler.ValidateTokenAsync(token, _validationParameters).GetAwaiter().GetResult();
        return result.IsValid ? ((JsonWebToken)result.SecurityToken).Subject : null;
    }

    // ---- System.IdentityModel.Tokens.Jwt ----

    [Benchmark(Description = "JwtSecurityTokenHandler")]
    [BenchmarkCategory(Sign)]
    public string Sign_JwtSecurityTokenHandler() => _jwtSecurityTokenHandler.CreateEncodedJwt(Descriptor(SessionClaimsOf(2)));

    [Benchmark(Description = "JwtSecurityTokenHandler")]
    [BenchmarkCategory(Verify)]
    public string? Verify_JwtSecurityTokenHandler() => JwtSecurityTokenSubject(_token);

    [Benchmark(Description = "JwtSecurityTokenHandler, bad signature")]
    [BenchmarkCategory(Verify)]
    public string? VerifyBadSignature_JwtSecurityTokenHandler() => JwtSecurityTokenSubject(_badSignatureToken);

    private string? JwtSecurityTokenSubject(string token)
    {
        try
        {
            _jwtSecurityTokenHandler.ValidateToken(token, _validationParameters, out var validated);
            return ((JwtSecurityToken)validated).Subject;
        }
        catch (SecurityTokenException)
        {
            return null;
        }
    }

    // ---- jose-jwt: verifies the signature; the claims are the caller's to check. ----

    [Benchmark(Description = "jose-jwt")]
    [BenchmarkCategory(Sign)]
    public string Sign_JoseJwt() => Jose.JWT.Encode(PayloadDictionary(), ReferenceTokens.Key, JwsAlgorithm.HS256, _joseHeaders);

    [Benchmark(Description = "jose-jwt (+ iss/aud/exp/nbf checks)")]
    [BenchmarkCategory(Verify)]
    public string? Verify_JoseJwt() => JoseSubject(_token);

    [Benchmark(Description = "jose-jwt, bad signature")]
    [BenchmarkCategory(Verify)]
    public string? VerifyBadSignature_JoseJwt() => JoseSubject(_badSignatureToken);

    private static string? JoseSubject(string token)
    {
        try
        {
            var payload = Jose.JWT.Decode<SessionPayload>(token, ReferenceTokens.Key, JwsAlgorithm.HS256);
            return CheckedSubject(payload);
        }
        catch (IntegrityException)
        {
            return null;
        }
    }

    // ---- JWT.Net: verifies the signature, exp and nbf; iss and aud are the caller's to check. ----

    [Benchmark(Description = "JWT.Net")]
    [BenchmarkCategory(Sign)]
    public string Sign_JwtNet() => _jwtNetEncoder.Encode(PayloadDictionary(), ReferenceTokens.Key);

    [Benchmark(Description = "JWT.Net (+ iss/aud checks)")]
    [BenchmarkCategory(Verify)]
    public string? Verify_JwtNet() => JwtNetSubject(_token);

    [Benchmark(Description = "JWT.Net, bad signature")]
    [BenchmarkCategory(Verify)]
    public string? VerifyBadSignature_JwtNet() => JwtNetSubject(_badSignatureToken);

    private string? JwtNetSubject(string token)
    {
        try
        {
            var payload = _jwtNetDecoder.DecodeToObject<SessionPayload>(token, ReferenceTokens.Key, verify: true);
            return CheckedSubject(payload);
        }
        catch (SignatureVerificationException)
        {
            return null;
        }
    }

    /// <summary>The claims of a session as the dictionary-based libraries take them: built per token, as jti changes.</summary>
    private static Dictionary<string, object> PayloadDictionary()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = new Dictionary<string, object>(7)
        {
            ["iss"] = ReferenceTokens.Issuer,
            ["aud"] = ReferenceTokens.Audience,
            ["sub"] = Subject,
            ["jti"] = Guid.NewGuid().ToString(),
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + (long)Lifetime.TotalSeconds,
        };
        return payload;
    }

    /// <summary>What a careful user checks after the signature: issuer, audience and lifetime with the clock skew.</summary>
    private static string? CheckedSubject(SessionPayload payload) =>
        payload.IsCurrentSession(ReferenceTokens.Issuer, ReferenceTokens.Audience, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), (long)ClockSkew.TotalSeconds)
            ? payload.Subject
            : null;
}
