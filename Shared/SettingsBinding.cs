using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Sessions.Internal;

/// <summary>
/// Binds a configuration section to options, and turns a value the binder cannot convert to its setting's type
/// (<c>"Lifetime": "24h"</c>) into an <see cref="OptionsValidationException"/> that names the setting and says how to
/// write it. As the binder's own <see cref="InvalidOperationException"/>, such a value stopped start-up with a message
/// that gave no form to use, and a reload to it was not applied without any line saying so, because the reload checks
/// report validation failures only. Linked into each package that binds a section (Shared/ at the repository root).
/// </summary>
internal static partial class SettingsBinding
{
    /// <summary>Runs <paramref name="bind"/> (a source-generated <c>section.Bind(options)</c>, which must stay at its call site).</summary>
    /// <typeparam name="TOptions">The options being bound, named by the exception.</typeparam>
    /// <param name="bind">The binding.</param>
    public static void Bind<TOptions>(Action bind)
    {
        try
        {
            bind();
        }
        catch (InvalidOperationException failure) when (Describe(failure.Message) is { } message)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(TOptions), [message]);
        }
    }

    /// <summary>
    /// The line for the binder's "Failed to convert configuration value '24h' at 'Sessions:Lifetime' to type
    /// 'System.TimeSpan'.", or <see langword="null"/> for any other message. Only settings of a type other than string
    /// fail to convert, so the value shown is never a secret or a key.
    /// </summary>
    public static string? Describe(string binderMessage)
    {
        var conversion = ConversionPattern().Match(binderMessage);
        if (!conversion.Success)
        {
            return null;
        }

        var key = conversion.Groups["key"].Value;
        var value = conversion.Groups["value"].Value;
        return conversion.Groups["type"].Value switch
        {
            "System.TimeSpan" => $"{key} '{value}' is not a valid duration: write it as [d.]hh:mm:ss, such as 1.00:00:00 for a day or 00:00:30 for 30 seconds.",
            "System.Boolean" => $"{key} '{value}' is not a valid boolean: use true or false.",
            "System.Int32" or "System.Int64" => $"{key} '{value}' is not a valid whole number: use digits only, such as 1000.",
            "System.Uri" => $"{key} '{value}' is not a valid address: use an absolute URL such as https://sessions.example.com.",
            // The one enum bound from configuration; its names, as the validator lists them for a number out of range.
            "Sessions.RevocationUnavailableBehavior" => $"{key} '{value}' is not one of {string.Join(", ", Enum.GetNames<RevocationUnavailableBehavior>())}.",
            var type => $"{key} '{value}' is not a valid {type[(type.LastIndexOf('.') + 1)..]}: see the documented values of {key}.",
        };
    }

    /// <summary>
    /// Runs <paramref name="bind"/> as <see cref="Bind{TOptions}(Action)"/> does, first refusing a duration setting of
    /// <paramref name="durations"/> given as a bare number (<c>"Lifetime": "24"</c>), which the binder would read as that
    /// many days, however likely hours or seconds were meant.
    /// </summary>
    /// <typeparam name="TOptions">The options being bound, named by the exception.</typeparam>
    /// <param name="bind">The binding.</param>
    /// <param name="section">The section <paramref name="bind"/> binds.</param>
    /// <param name="durations">The names of the options' <see cref="TimeSpan"/> settings in <paramref name="section"/>.</param>
    public static void Bind<TOptions>(Action bind, IConfiguration section, params string[] durations)
    {
        List<string>? failures = null;
        foreach (var name in durations)
        {
            var setting = section.GetSection(name);
            if (setting.Value is { } value && IsBareNumber(value))
            {
                (failures ??= []).Add(
                    $"{setting.Path} '{value.Trim()}' is a number without a unit, which would be read as days: write the duration as [d.]hh:mm:ss, " +
                    "such as 1.00:00:00 for a day, 01:00:00 for an hour or 00:00:30 for 30 seconds.");
            }
        }

        if (failures is not null)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(TOptions), failures);
        }

        Bind<TOptions>(bind);
    }

    // What TimeSpan.Parse reads as days: digits alone, with a sign or white space around them.
    private static bool IsBareNumber(string value)
    {
        var text = value.AsSpan().Trim();
        if (text.Length > 0 && text[0] is '-' or '+')
        {
            text = text[1..];
        }

        return text.Length > 0 && !text.ContainsAnyExceptInRange('0', '9');
    }

    [GeneratedRegex(@"configuration value '(?<value>[^']*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex ConversionPattern();
}
