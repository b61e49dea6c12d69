using System.Text.Json.Serialization;
using Newtonsoft.Json;

namespace Sessions.Benchmarks;

/// <summary>
/// The registered claims of a session token, for the libraries that decode to a type (jose-jwt reads it with
/// System.Text.Json, JWT.Net with Newtonsoft.Json).
/// </summary>
internal sealed class SessionPayload
{
    [JsonPropertyName("iss")]
    [JsonProperty("iss")]
    public string? Issuer { get; set; }

    [JsonPropertyName("aud")]
    [JsonProperty("aud")]
    public string? Audience { get; set; }

    [JsonPropertyName("sub")]
    [JsonProperty("sub")]
    public string? Subject { get; set; }

    [JsonPropertyName("jti")]
    [JsonProperty("jti")]
    public string? Id { get; set; }

    [JsonPropertyName("iat")]
    [JsonProperty("iat")]
    public long IssuedAt { get; set; }

    [JsonPropertyName("nbf")]
    [JsonProperty("nbf")]
    public long NotBefore { get; set; }

    [JsonPropertyName("exp")]
    [JsonProperty("exp")]
    public long ExpiresAt { get; set; }

    /// <summary>What a careful user checks after the signature: issuer, audience and lifetime with a clock skew.</summary>
    public bool IsCurrentSession(string issuer, string audience, long nowSeconds, long skewSeconds) =>
        string.Equals(Issuer, issuer, StringComparison.Ordinal) &&
        string.Equals(Audience, audience, StringComparison.Ordinal) &&
        !string.IsNullOrEmpty(Subject) &&
        ExpiresAt > 0 && nowSeconds < ExpiresAt + skewSeconds &&
        NotBefore <= nowSeconds + skewSeconds;
}
