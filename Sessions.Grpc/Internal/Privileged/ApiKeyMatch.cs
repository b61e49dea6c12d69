namespace Sessions.Grpc.Internal.Privileged;

/// <summary>Which configured key a sent value matched, if any.</summary>
internal enum ApiKeyMatch
{
    /// <summary>Neither key.</summary>
    None,

    /// <summary>The current key.</summary>
    Key,

    /// <summary>The previous key, accepted during a rotation.</summary>
    PreviousKey,
}
