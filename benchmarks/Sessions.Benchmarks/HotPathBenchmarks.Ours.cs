namespace Sessions.Benchmarks;

// ==== Our rows: Sessions.Jwt (JwtSessionIssuer, JwtSessionValidator) ====
// Filled in once Sessions.Jwt's issuer and validator are merged; until then the verify rows see a hand-made token of
// the same shape.
public partial class HotPathBenchmarks
{
    private void SetupOurs()
    {
    }

    private string CreateOursOrReference(DateTimeOffset now, bool withCustomClaims) =>
        ReferenceTokens.Create(Subject, Guid.NewGuid(), now, Lifetime, withCustomClaims);
}
