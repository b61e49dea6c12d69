using System.Globalization;
using System.Security.Claims;
using JWT.Algorithms;
using JWT.Builder;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Sessions.Jwt.Tests.Differential;

/// <summary>
/// Valid tokens for the differential test, written by five libraries with the same secret, issuer and audience and a
/// lifetime that contains the test's fixed clock. Everything but our issuer's jti comes from the seeded random source.
/// </summary>
internal sealed class BaseTokenFactory(byte[] secret, DateTimeOffset now, string issuer, string audience)
{
    public const string Ours = "JwtSessionIssuer";
    public const string IdentityModel = "JsonWebTokenHandler";
    public const string SystemIdentityModel = "JwtSecurityTokenHandler";
    public const string JoseJwt = "jose-jwt";
    public const string JwtNet = "JWT.Net";

    public static readonly string[] Libraries = [Ours, IdentityModel, SystemIdentityModel, JoseJwt, JwtNet];

    private static readonly string[] Subjects = ["3f2504e0-4f89-11d3-9a0c-0305e82c3301", "user-42", "alice@example.com", "ü日本", "a \"quoted\" id", "x"];

    public BaseToken Create(string library, Random rng)
    {
        // Issued up to a day ago, for an hour to two days, always still valid now (nbf = iat).
        var lifetime = rng.Next(3600, 2 * 86_400);
        var issuedAt = now.ToUnixTimeSeconds() - rng.Next(0, lifetime - 120);
        var subject = Subjects[rng.Next(Subjects.Length)] + (rng.Next(2) == 0 ? string.Empty : rng.Next(100_000).ToString(CultureInfo.InvariantCulture));
        var jti = new Guid(Bytes(rng, 16)).ToString();
        var custom = CustomClaims(rng);

        var token = library switch
        {
            Ours => FromOurs(subject, issuedAt, lifetime, custom),
            IdentityModel => FromIdentityModel(subject, jti, issuedAt, lifetime, custom),
            SystemIdentityModel => FromSystemIdentityModel(subject, jti, issuedAt, lifetime, custom),
            JoseJwt => Jose.JWT.Encode(Payload(subject, jti, issuedAt, lifetime, custom), secret, Jose.JwsAlgorithm.HS256),
            JwtNet => FromJwtNet(subject, jti, issuedAt, lifetime, custom),
            _ => throw new ArgumentOutOfRangeException(nameof(library), library, null),
        };
        return new BaseToken(library, token);
    }

    private static byte[] Bytes(Random rng, int count)
    {
        var bytes = new byte[count];
        rng.NextBytes(bytes);
        return bytes;
    }

    private static Dictionary<string, object> CustomClaims(Random rng)
    {
        var claims = new Dictionary<string, object>();
        var count = rng.Next(0, 4);
        for (var i = 0; i < count; i++)
        {
            var name = "c" + i.ToString(CultureInfo.InvariantCulture);
            claims[name] = rng.Next(4) switch
            {
                0 => "value " + rng.Next(1000).ToString(CultureInfo.InvariantCulture),
                1 => (long)rng.Next(),
                2 => rng.Next(2) == 0,
                _ => (object)new[] { "a", "b" + rng.Next(10).ToString(CultureInfo.InvariantCulture) },
            };
        }

        return claims;
    }

    private string FromOurs(string subject, long issuedAt, int lifetime, Dictionary<string, object> custom)
    {
        var options = new JwtSessionOptions
        {
            Secret = "base64:" + Convert.ToBase64String(secret),
            Issuer = issuer,
            Audience = audience,
            Lifetime = TimeSpan.FromSeconds(lifetime),
        };
        using var ours = new JwtSessionIssuer(options, new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(issuedAt)));
        SessionClaims? claims = null;
        if (custom.Count > 0)
        {
            claims = [];
            foreach (var (name, value) in custom)
            {
                claims.Add(name, value switch
                {
                    string s => s,
                    long l => l,
                    bool b => b,
                    string[] a => a,
                    _ => throw new InvalidOperationException(),
                });
            }
        }

        return ours.Issue(subject, claims).Token;
    }

    private SecurityTokenDescriptor Descriptor(string subject, string jti, long issuedAt, int lifetime, Dictionary<string, object> custom)
    {
        var claims = new Dictionary<string, object>(custom) { ["sub"] = subject, ["jti"] = jti };
        return new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = DateTimeOffset.FromUnixTimeSeconds(issuedAt).UtcDateTime,
            NotBefore = DateTimeOffset.FromUnixTimeSeconds(issuedAt).UtcDateTime,
            Expires = DateTimeOffset.FromUnixTimeSeconds(issuedAt + lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(secret), SecurityAlgorithms.HmacSha256),
        };
    }

    private string FromIdentityModel(string subject, string jti, long issuedAt, int lifetime, Dictionary<string, object> custom) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(Descriptor(subject, jti, issuedAt, lifetime, custom));

    private string FromSystemIdentityModel(string subject, string jti, long issuedAt, int lifetime, Dictionary<string, object> custom)
    {
        var descriptor = Descriptor(subject, jti, issuedAt, lifetime, custom);
        descriptor.Claims = null;
        var identity = new ClaimsIdentity([new Claim("sub", subject), new Claim("jti", jti)]);
        foreach (var (name, value) in custom)
        {
            switch (value)
            {
                case string[] items:
                    identity.AddClaims(items.Select(item => new Claim(name, item)));
                    break;
                case long l:
                    identity.AddClaim(new Claim(name, l.ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64));
                    break;
                case bool b:
                    identity.AddClaim(new Claim(name, b ? "true" : "false", ClaimValueTypes.Boolean));
                    break;
                default:
                    identity.AddClaim(new Claim(name, (string)value));
                    break;
            }
        }

        descriptor.Subject = identity;
        var handler = new System.IdentityModel.Tokens.Jwt.JwtSecurityTokenHandler { SetDefaultTimesOnTokenCreation = false };
        handler.OutboundClaimTypeMap.Clear();
        return handler.CreateEncodedJwt(descriptor);
    }

    private Dictionary<string, object> Payload(string subject, string jti, long issuedAt, int lifetime, Dictionary<string, object> custom) =>
        new(custom)
        {
            ["iss"] = issuer,
            ["aud"] = audience,
            ["sub"] = subject,
            ["jti"] = jti,
            ["iat"] = issuedAt,
            ["nbf"] = issuedAt,
            ["exp"] = issuedAt + lifetime,
        };

    private string FromJwtNet(string subject, string jti, long issuedAt, int lifetime, Dictionary<string, object> custom)
    {
#pragma warning disable CS0618 // HMACSHA256Algorithm is the HS256 algorithm of this version.
        var builder = new JwtBuilder().WithAlgorithm(new HMACSHA256Algorithm()).WithSecret(secret);
#pragma warning restore CS0618
        foreach (var (name, value) in Payload(subject, jti, issuedAt, lifetime, custom))
        {
            builder = builder.AddClaim(name, value);
        }

        return builder.Encode();
    }
}
