using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit.Abstractions;

namespace Sessions.Jwt.Tests.Differential;

/// <summary>
/// Differential proof of the strict fast path: for 100,000 valid and mutated tokens, <see cref="JwtSessionValidator"/>
/// and <see cref="JsonWebTokenHandler"/> configured with the same rules and the same clock agree on accept or reject,
/// except inside a documented <see cref="KnownDifference"/> class, where ours is the one that refuses.
/// </summary>
public sealed class FastPathDifferentialTests(ITestOutputHelper output)
{
    private const int Seed = 20_261_128;
    private const int TokenCount = 100_000;
    private const int BasesPerLibrary = 200;
    private const int SkewSeconds = 30;
    private const string Issuer = "session-server";
    private const string Audience = "user";

    private static readonly byte[] Secret = Encoding.UTF8.GetBytes(TestTokens.Secret);

    private sealed record Verdicts(MutatedToken Token, SessionFailureReason Ours, bool TheirsValid, string TheirsError);

    [Fact]
    public async Task Our_validator_agrees_with_JsonWebTokenHandler_on_100000_tokens_except_documented_differences()
    {
        var stopwatch = Stopwatch.StartNew();
        var clock = new FakeTimeProvider(TestTokens.Now);
        using var ours = new JwtSessionValidator(
            new JwtSessionOptions { Secret = TestTokens.Secret, Issuer = Issuer, Audience = Audience, ClockSkew = TimeSpan.FromSeconds(SkewSeconds) },
            clock);
        var theirs = new JsonWebTokenHandler();
        var parameters = ReferenceParameters(clock);

        var tokens = Generate();
        var generated = stopwatch.Elapsed;

        var undocumented = new List<Verdicts>();
        var perClass = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var examples = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var perKind = new SortedDictionary<string, (int Tokens, int Accepted, int Differences)>(StringComparer.Ordinal);
        int accepted = 0, rejected = 0, agreements = 0;

        foreach (var token in tokens)
        {
            var ourReason = ours.Validate(token.Token).FailureReason;
            var (theirsValid, theirsError) = await ValidateWithReference(theirs, token.Token, parameters);
            var oursValid = ourReason == SessionFailureReason.None;

            if (oursValid)
            {
                accepted++;
            }
            else
            {
                rejected++;
            }

            var entry = perKind.GetValueOrDefault(token.Kind);
            entry.Tokens++;
            entry.Accepted += oursValid ? 1 : 0;

            if (oursValid == theirsValid)
            {
                agreements++;
            }
            else
            {
                entry.Differences++;
                var documented = token.Difference != KnownDifference.None && (!oursValid || KnownDifferences.OursMayAccept(token.Difference));
                if (documented)
                {
                    var name = token.Difference.ToString();
                    perClass[name] = perClass.GetValueOrDefault(name) + 1;
                    var seen = examples.TryGetValue(name, out var set) ? set : examples[name] = [];
                    if (seen.Count < 4)
                    {
                        seen.Add($"{token.Kind} {token.Detail} (ours {ourReason}, theirs {(theirsValid ? "valid" : theirsError)})");
                    }
                }
                else
                {
                    undocumented.Add(new Verdicts(token, ourReason, theirsValid, theirsError));
                }
            }

            perKind[token.Kind] = entry;
        }

        output.WriteLine($"{tokens.Count} tokens ({BasesPerLibrary} valid bases from each of {string.Join(", ", BaseTokenFactory.Libraries)}), generated in {generated.TotalSeconds:0.0} s, validated by both in {(stopwatch.Elapsed - generated).TotalSeconds:0.0} s");
        output.WriteLine($"ours accepted {accepted}, rejected {rejected}; agreements {agreements}; documented differences {perClass.Values.Sum()}; undocumented {undocumented.Count}");
        foreach (var (name, count) in perClass)
        {
            output.WriteLine($"  difference {name}: {count}, e.g. {string.Join("; ", examples[name])}");
        }

        foreach (var (kind, (count, kindAccepted, differences)) in perKind)
        {
            output.WriteLine($"  mutation {kind}: {count} tokens, {kindAccepted} accepted by us, {differences} disagreements");
        }

        foreach (var group in undocumented.GroupBy(v => v.Token.Kind))
        {
            output.WriteLine($"UNDOCUMENTED {group.Key}: {group.Count()}");
            foreach (var verdict in group.DistinctBy(v => v.Token.Detail).Take(6))
            {
                output.WriteLine($"  [{verdict.Token.Library}] {verdict.Token.Detail}: ours={verdict.Ours} theirs={(verdict.TheirsValid ? "valid" : verdict.TheirsError)} token={verdict.Token.Token}");
            }
        }

        Assert.True(tokens.Count >= TokenCount);
        Assert.True(
            undocumented.Count == 0,
            $"{undocumented.Count} undocumented disagreements, e.g.:\n" + string.Join("\n", undocumented.Take(10).Select(v =>
                $"{v.Token}\n  ours={v.Ours} JsonWebTokenHandler={(v.TheirsValid ? "valid" : v.TheirsError)}")));
    }

    /// <summary>JsonWebTokenHandler with our rules: issuer, audience, HS256 only, one key, the same clock and skew.</summary>
    private static TokenValidationParameters ReferenceParameters(TimeProvider clock) => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        IssuerSigningKey = new SymmetricSecurityKey(Secret),
        RequireSignedTokens = true,
        RequireExpirationTime = true,

        // With false, this version finds no key at all for a token without kid (SecurityTokenSignatureKeyNotFound
        // for every token we issue); there is one key, so "all" is that key.
        TryAllIssuerSigningKeys = true,
        ValidateLifetime = true,
        ClockSkew = TimeSpan.FromSeconds(SkewSeconds),

        // This version reads DateTime.UtcNow itself; the rules of its default lifetime validator
        // (Validators.ValidateLifetime), restated against the fake clock.
        LifetimeValidator = (notBefore, expires, _, p) =>
        {
            var now = clock.GetUtcNow().UtcDateTime;
            if (expires is null)
            {
                return !p.RequireExpirationTime;
            }

            if (notBefore is { } nbf && nbf > expires.Value)
            {
                return false;
            }

            if (notBefore is { } start && start > now.Add(p.ClockSkew))
            {
                return false;
            }

            return expires.Value >= now.Subtract(p.ClockSkew);
        },
    };

    private static async Task<(bool Valid, string Error)> ValidateWithReference(JsonWebTokenHandler handler, string token, TokenValidationParameters parameters)
    {
        try
        {
            var result = await handler.ValidateTokenAsync(token, parameters);
            return (result.IsValid, result.Exception?.GetType().Name ?? "invalid");
        }
#pragma warning disable CA1031 // Any exception the reference throws is its refusal.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return (false, "threw " + exception.GetType().Name);
        }
    }

    private static List<MutatedToken> Generate()
    {
        var rng = new Random(Seed);
        var factory = new BaseTokenFactory(Secret, TestTokens.Now, Issuer, Audience);
        var bases = new List<BaseToken>();
        foreach (var library in BaseTokenFactory.Libraries)
        {
            for (var i = 0; i < BasesPerLibrary; i++)
            {
                bases.Add(factory.Create(library, rng));
            }
        }

        var mutator = new TokenMutator(Secret, TestTokens.NowSeconds, SkewSeconds);
        var tokens = new List<MutatedToken>(TokenCount);
        tokens.AddRange(bases.Select(TokenMutator.Unchanged));
        while (tokens.Count < TokenCount)
        {
            var baseToken = bases[rng.Next(bases.Count)];
            tokens.Add(mutator.Mutate(rng, baseToken, bases[rng.Next(bases.Count)]));
        }

        return tokens;
    }
}
