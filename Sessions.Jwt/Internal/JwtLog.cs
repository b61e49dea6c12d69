using Microsoft.Extensions.Logging;

namespace Sessions.Jwt.Internal;

/// <summary>
/// Log messages of Sessions.Jwt (event ids 100–199). None carries a token or key material, nor the user information or
/// query of the JWKS address (<see cref="Health.KeyDescription.Address"/>), which may hold credentials.
/// </summary>
internal static partial class JwtLog
{
    [LoggerMessage(EventId = 100, EventName = "KeysFetched", Level = LogLevel.Information, Message = "Fetched {KeyCount} session validation keys from {JwksUri}.")]
    public static partial void KeysFetched(ILogger logger, string jwksUri, int keyCount);

    // 103 (NoKeysPublished) is not reused for another message: a key set without a usable key is a failed fetch, 101 or 105.

    [LoggerMessage(EventId = 101, EventName = "KeysFetchFailed", Level = LogLevel.Warning,
        Message = "Could not fetch session validation keys from {JwksUri} ({ErrorType}: {Error}); the last {KeyCount} good keys stay in use.")]
    public static partial void KeysFetchFailed(ILogger logger, string jwksUri, string errorType, string error, int keyCount);

    [LoggerMessage(EventId = 105, EventName = "KeysNeverFetched", Level = LogLevel.Warning,
        Message = "Could not fetch session validation keys from {JwksUri} ({ErrorType}: {Error}); no key has been fetched yet, so every session is refused as unavailable until a fetch succeeds. Check that the session server is up and publishes its keys there.")]
    public static partial void KeysNeverFetched(ILogger logger, string jwksUri, string errorType, string error);

    [LoggerMessage(EventId = 102, EventName = "KeySkipped", Level = LogLevel.Warning,
        Message = "Skipped published key '{KeyId}' (alg {Algorithm}): {Reason}.")]
    public static partial void KeySkipped(ILogger logger, string keyId, string algorithm, string reason);

    [LoggerMessage(EventId = 106, EventName = "PrivateKeyPublished", Level = LogLevel.Error,
        Message = "Refused published key '{KeyId}': the key set at {JwksUri} carries its private part, so whoever can read it can sign sessions with it. Treat the key as leaked: have the session server sign with a new key, publish public keys only (JsonWebKeySetSerializer does), and remove this one.")]
    public static partial void PrivateKeyPublished(ILogger logger, string keyId, string jwksUri);

    [LoggerMessage(EventId = 110, EventName = "SigningKeyKept", Level = LogLevel.Error,
        Message = "The session keys changed to a set in which no key can sign; the issuer keeps signing with key '{KeyId}' of the previous set, so that sessions can still be issued. Give a key of {KeysSetting} its private part (a private key PEM, or a JWK with 'd'), or name one that can sign in {SigningKeyIdSetting}.")]
    public static partial void SigningKeyKept(ILogger logger, string keyId, string keysSetting, string signingKeyIdSetting);

    [LoggerMessage(EventId = 104, EventName = "SettingsNotApplied", Level = LogLevel.Error,
        Message = "The reloaded Sessions token settings are not valid and were not applied; the previous ones stay in force until they are fixed: {Errors}")]
    public static partial void SettingsNotApplied(ILogger logger, string errors);
}
