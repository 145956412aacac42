namespace Nbt.Cli.Configuration;

/// <summary>
/// The text of one <see cref="Microsoft.Extensions.Options.ValidateOptionsResult"/> failure of nbt's validators:
/// <c>KEY: MESSAGE</c>, so that <see cref="CliSettingsBinder"/> can say where the bad value came from.
/// </summary>
internal static class SettingsFailure
{
    /// <summary>A failure about <paramref name="key"/> (the option's long name without dashes).</summary>
    public static string Of(string key, string message) => key + ": " + message;

    /// <summary>Splits a failure back into its key and message (key empty when the text has no key).</summary>
    public static (string Key, string Message) Split(string failure)
    {
        int colon = failure.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && !failure[..colon].Contains(' ', StringComparison.Ordinal) ? (failure[..colon], failure[(colon + 2)..]) : (string.Empty, failure);
    }
}
