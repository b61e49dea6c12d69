using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Sessions.Jwt;

namespace Sessions.Fuzz;

/// <summary>
/// What the fuzzer checks for one input: <see cref="JwtSessionValidator.Validate"/> never throws, a refused token has
/// no session, and an accepted one has a session whose subject, id, times and every custom claim can be read.
/// Any exception that escapes <see cref="Run"/> is a finding.
/// </summary>
internal sealed class FuzzTarget
{
    /// <summary>The validator's secret; the "json" mode signs with it so inputs reach the claim parser.</summary>
    public const string Secret = "fuzzing-secret-that-is-at-least-32-bytes-long";

    /// <summary>The fixed clock: 2030-01-01T00:00:00Z. The seeds are valid at this time.</summary>
    public static readonly DateTimeOffset Now = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public const string DefaultHeader = """{"alg":"HS256","typ":"JWT"}""";

    private readonly JwtSessionValidator _validator = new(new JwtSessionOptions { Secret = Secret }, new FixedClock(Now));

    /// <summary>How an input becomes a token.</summary>
    public enum Mode
    {
        /// <summary>The input bytes, decoded as UTF-8 (invalid bytes become U+FFFD), are the token text.</summary>
        Token,

        /// <summary>
        /// The input is header JSON, a line feed, and payload JSON (or only payload JSON, under the default header);
        /// both are base64url-encoded and signed with <see cref="Secret"/>, so the signature always matches.
        /// </summary>
        Json,
    }

    public static Mode ParseMode(string? text) => text switch
    {
        null or "token" => Mode.Token,
        "json" => Mode.Json,
        _ => throw new ArgumentException($"Unknown mode '{text}': use token or json.", nameof(text)),
    };

    public void Run(ReadOnlySpan<byte> input, Mode mode)
    {
        var token = mode == Mode.Token ? Encoding.UTF8.GetString(input) : SignedToken(input);
        var result = _validator.Validate(token);
        if (!result.IsValid)
        {
            if (result.Session is not null || result.FailureReason == SessionFailureReason.None)
            {
                throw new InvalidOperationException($"A refused token ({result.FailureReason}) came with a session.");
            }

            return;
        }

        var session = result.Session;
        _ = session.Subject.Length + session.Id.Length;
        _ = session.ExpiresAt.ToUnixTimeSeconds() + session.IssuedAt.ToUnixTimeSeconds() + (session.NotBefore?.ToUnixTimeSeconds() ?? 0);

        foreach (var (name, value) in session.Claims)
        {
            _ = name.Length;
            _ = value.Kind switch
            {
                SessionClaimKind.String => value.AsString().Length,
                SessionClaimKind.Integer => value.AsInteger().GetHashCode(),
                SessionClaimKind.Number => value.AsNumber().GetHashCode(),
                SessionClaimKind.Boolean => value.AsBoolean() ? 1 : 0,
                SessionClaimKind.StringArray => value.AsStrings().Count,
                _ => value.AsJson().Length,
            };
        }

        if (_validator.Validate(token).IsValid != true)
        {
            throw new InvalidOperationException("The same token was accepted, then refused.");
        }
    }

    /// <summary>Splits the input at the first line feed into header and payload and signs them.</summary>
    public static string SignedToken(ReadOnlySpan<byte> input)
    {
        var newline = input.IndexOf((byte)'\n');
        var header = newline < 0 ? Encoding.UTF8.GetBytes(DefaultHeader) : input[..newline];
        var payload = newline < 0 ? input : input[(newline + 1)..];
        var signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(payload);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url.EncodeToString(mac);
    }

    /// <summary>The fixed clock at <see cref="Now"/>, for the seeds' issuer.</summary>
    internal sealed class FixedClockProvider : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
