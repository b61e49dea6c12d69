namespace Sessions.Grpc.Internal.Authentication;

/// <summary>
/// Reads the <c>authorization: Bearer &lt;token&gt;</c> header (RFC 6750, section 2.1); clients write it with
/// <see cref="SessionCallCredentials"/> (Sessions.Grpc.Client).
/// </summary>
internal static class BearerToken
{
    public const string HeaderName = SessionsMetadataKeys.Authorization;

    private const string Prefix = "Bearer ";

    /// <summary>
    /// The token of an <c>authorization</c> value; <see langword="null"/> when there is no value, another scheme, or an
    /// empty token. The scheme name is case-insensitive.
    /// </summary>
    public static string? Read(string? value)
    {
        if (value is null || !value.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = value.AsSpan(Prefix.Length).Trim();
        return token.IsEmpty ? null : token.ToString();
    }
}
