using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Sessions.Internal;

namespace Sessions.SampleServer;

/// <summary>
/// Turns whatever stops the server from starting into the one line an operator reads: the setting as they wrote it
/// (<c>JWT_SECRET</c>, <c>Sessions__Lifetime</c>, <c>--PORT</c>, <c>Sessions:Issuer in appsettings.json</c>) and how
/// to fix it, without a stack trace and without the value of a secret.
/// </summary>
internal static partial class StartupFailure
{
    /// <summary>One line describing <paramref name="exception"/>, with configuration keys named as the user set them.</summary>
    public static string Describe(Exception exception, IConfiguration configuration, SampleSettings? settings)
    {
        var line = Explain(exception, configuration, settings);
        return OneLine(SessionsKeyPattern().Replace(line, match => AsWritten(match.Value, configuration, settings)));
    }

    /// <summary>How the user wrote <paramref name="key"/> (a <c>:</c>-separated configuration key): the source it came from decides.</summary>
    public static string AsWritten(string key, IConfiguration configuration, SampleSettings? settings)
    {
        if (configuration is not IConfigurationRoot root)
        {
            return key;
        }

        // A key such as Sessions:Keys:1000 has no value of its own: the source of its first value names it. One that is
        // not set at all (Sessions:Keys:0:Id) is named by the source of the item or subsection around it, short of the
        // Sessions section itself, which every source may hold.
        var probe = FirstWithValue(root, key);
        for (var parent = key; probe is null && parent.LastIndexOf(':') is > 0 and var end && parent[..end].Contains(':', StringComparison.Ordinal);)
        {
            parent = parent[..end];
            probe = FirstWithValue(root, parent);
        }

        probe ??= key;
        foreach (var provider in root.Providers.Reverse())
        {
            if (!provider.TryGet(probe, out _))
            {
                continue;
            }

            return provider switch
            {
                MemoryConfigurationProvider when settings?.MappedVariables.TryGetValue(probe, out var variable) == true => variable!,
                EnvironmentVariablesConfigurationProvider => key.Replace(":", "__", StringComparison.Ordinal),
                CommandLineConfigurationProvider => "--" + key,
                JsonConfigurationProvider json => $"{key} in {Path.GetFileName(json.Source.Path)}",
                _ => key,
            };
        }

        return key;
    }

    /// <summary><paramref name="key"/> when it has a value, else the first of its descendants that has one; <see langword="null"/> when none has.</summary>
    private static string? FirstWithValue(IConfigurationRoot root, string key) =>
        root.GetSection(key).Value is not null
            ? key
            : root.GetSection(key).AsEnumerable().FirstOrDefault(pair => pair.Value is not null).Key;

    private static string Explain(Exception exception, IConfiguration configuration, SampleSettings? settings)
    {
        if (Find<AddressInUseException>(exception) is not null || Find<SocketException>(exception) is { SocketErrorCode: SocketError.AddressAlreadyInUse })
        {
            var port = BoundPortPattern().Match(exception.Message) is { Success: true } m ? m.Groups["port"].Value : null;
            var variable = settings is not null && port == settings.HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture) ? "HTTP_PORT" : "PORT";
            var name = AsWritten(variable, configuration, settings);
            return $"{name} {port ?? "(the configured port)"} is already in use on {settings?.Address}: stop the process that listens there, or set {name} to a free port " +
                $"(the server listens on PORT, default {SampleSettings.DefaultPort}, for gRPC and on HTTP_PORT, default {SampleSettings.DefaultHttpPort}, for HTTP/1.1; a second instance needs both changed).";
        }

        if (Find<SocketException>(exception) is { SocketErrorCode: SocketError.AddressNotAvailable })
        {
            // Kestrel's words, "Cannot assign requested address", name neither the address nor where it came from.
            var name = AsWritten("LISTEN_ADDRESS", configuration, settings);
            return $"{name} {settings?.Address} is not an address of this machine, so the server cannot listen on it: set {name} to one of its addresses, " +
                "127.0.0.1 for this machine only, or 0.0.0.0 for every interface (in a container).";
        }

        // The lines below name the setting by its key: Describe writes every Sessions:... key of the line as the operator
        // wrote it, once (naming it as written here too gave "----Sessions:Redis:Configuration").
        if (Find<RedisConnectionException>(exception) is { FailureType: ConnectionFailureType.AuthenticationFailure } && settings?.RedisEndpoints is { } refusing)
        {
            // Redis answered and refused the login (the store's start says so with an inner exception of its own, without
            // the client's diagnostics): a setting to correct, not a Redis to start. Never the password itself.
            return $"{SampleSettings.RedisSetting} names Redis {refusing}, which refused its password (NOAUTH or WRONGPASS): set password=... in it to the password "
                + "that Redis requires (requirepass), with user=... for an ACL user.";
        }

        if (Find<SessionStoreUnavailableException>(exception) is not null && settings?.RedisEndpoints is { } endpoints)
        {
            // Not the store's own words: the line names the setting as the operator wrote it.
            return $"{SampleSettings.RedisSetting} names Redis {endpoints}, which cannot be reached or read: start Redis there, "
                + "or set it to the host:port of a reachable primary (or a cluster's seed nodes) with its password=... and ssl=true if it needs them.";
        }

        if (Find<RedisCommandException>(exception) is { } refused && settings?.RedisEndpoints is { } reached)
        {
            // Redis answered, but what an option of the string asks for cannot be done there (defaultDatabase=99 on a
            // server with 16 databases, a database other than 0 on a cluster, a command disabled by its command map).
            // The client's message names the option's value, never the password.
            return $"{SampleSettings.RedisSetting} names Redis {reached}, which refuses it: {refused.Message.TrimEnd('.')}; "
                + "correct that option of the configuration string (defaultDatabase must be 0 on a cluster and below the server's databases).";
        }

        // The logging configuration's "Configuration value 'Loud' is not supported." names neither the setting nor the levels.
        if (UnsupportedValuePattern().Match(exception.GetBaseException().Message) is { Success: true } unsupported
            && LogLevelSetting(configuration, unsupported.Groups["value"].Value) is { } level)
        {
            return $"{AsWritten(level, configuration, settings)} '{unsupported.Groups["value"].Value}' is not a log level: use one of " +
                $"{string.Join(", ", Enum.GetNames<LogLevel>())}, such as Warning.";
        }

        // A value the binder could not convert, in a section the sample binds itself: the packages' own line for it.
        if (SettingsBinding.Describe(exception.Message) is { } conversion)
        {
            return conversion;
        }

        // The deepest of the messages the settings' checks write (the sample's own wrap what .NET says of a key file,
        // to name JWT_PRIVATE_KEY_FILE); anything else as .NET says it, with its type.
        if (Deepest(exception) is { } described)
        {
            return described.Message;
        }

        var innermost = exception.GetBaseException();
        return $"{innermost.Message} ({innermost.GetType().Name})";
    }

    /// <summary>The first <c>Logging</c> level setting (<c>Logging:LogLevel:Default</c>, <c>Logging:Console:LogLevel:...</c>) whose value is <paramref name="value"/> and no level.</summary>
    private static string? LogLevelSetting(IConfiguration configuration, string value) =>
        configuration.GetSection("Logging").AsEnumerable()
            .FirstOrDefault(pair => pair.Value == value && pair.Key.Contains(":LogLevel:", StringComparison.OrdinalIgnoreCase) && !Enum.TryParse<LogLevel>(value, ignoreCase: true, out _))
            .Key;

    private static Exception? Deepest(Exception? exception)
    {
        Exception? deepest = null;
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is InvalidOperationException or OptionsValidationException)
            {
                deepest = exception;
            }
        }

        return deepest;
    }

    private static T? Find<T>(Exception? exception)
        where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    [GeneratedRegex(@"\bSessions(:[A-Za-z0-9_]+)+")]
    private static partial Regex SessionsKeyPattern();

    [GeneratedRegex(@"^Configuration value '(?<value>[^']*)' is not supported\.$")]
    private static partial Regex UnsupportedValuePattern();

    [GeneratedRegex(@":(?<port>\d+): address already in use", RegexOptions.IgnoreCase)]
    private static partial Regex BoundPortPattern();
}
