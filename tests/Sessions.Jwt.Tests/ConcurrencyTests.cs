namespace Sessions.Jwt.Tests;

/// <summary>Keyed HMAC instances are not thread-safe; the pool must make the issuer and validator so.</summary>
public class ConcurrencyTests
{
    [Fact]
    public async Task Issue_and_validate_agree_under_heavy_concurrency()
    {
        using var issuer = new JwtSessionIssuer(TestTokens.Options());
        using var validator = new JwtSessionValidator(TestTokens.Options());
        var forged = TestTokens.Sign(TestTokens.PlainHeader, TestTokens.Claims(), "not-the-secret-but-long-enough-for-hs256");
        var failures = 0;

        await Parallel.ForAsync(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 16 }, (worker, _) =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                var subject = $"user-{worker}-{i}";
                var issued = issuer.Issue(subject);
                var result = validator.Validate(issued.Token);
                if (!result.IsValid || result.Session.Subject != subject || result.Session.Id != issued.SessionId.ToString())
                {
                    Interlocked.Increment(ref failures);
                }

                if (validator.Validate(forged).FailureReason != SessionFailureReason.BadSignature)
                {
                    Interlocked.Increment(ref failures);
                }
            }

            return ValueTask.CompletedTask;
        });

        Assert.Equal(0, failures);
    }
}
