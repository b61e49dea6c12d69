namespace Sessions.Grpc.Internal.Privileged;

/// <summary>
/// The check of a key and, during a rotation, of the key before it (<see cref="SessionsServiceOptions.PreviousApiKey"/>,
/// <see cref="SessionsApiKeyOptions.PreviousKey"/>): with two keys both are compared, the second whatever the first
/// gave, so that the time does not say which one matched. Each key keeps its own padded copy (<see cref="ApiKeyCheck"/>).
/// </summary>
internal sealed class RotatingApiKeyCheck
{
    private readonly ApiKeyCheck _key = new();
    private readonly ApiKeyCheck _previousKey = new();

    /// <summary>Which of <paramref name="key"/> and <paramref name="previousKey"/> <paramref name="sent"/> is.</summary>
    /// <param name="sent">The value the caller sent.</param>
    /// <param name="key">The current key.</param>
    /// <param name="previousKey">The key before it; <see langword="null"/> when there is none.</param>
    public ApiKeyMatch Match(string sent, string key, string? previousKey)
    {
        var matchesKey = _key.Matches(sent, key);
        var matchesPrevious = previousKey is not null && _previousKey.Matches(sent, previousKey);
        return matchesKey ? ApiKeyMatch.Key : matchesPrevious ? ApiKeyMatch.PreviousKey : ApiKeyMatch.None;
    }
}
