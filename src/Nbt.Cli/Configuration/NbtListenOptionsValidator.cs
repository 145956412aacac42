using System.Globalization;
using Microsoft.Extensions.Options;

namespace Nbt.Cli.Configuration;

/// <summary>Checks <see cref="NbtListenOptions"/>: a count and a timeout, when given, of at least 1.</summary>
internal sealed class NbtListenOptionsValidator : IValidateOptions<NbtListenOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, NbtListenOptions options)
    {
        var failures = new List<string>();
        if (options.Count is < 1 and var count)
        {
            failures.Add(SettingsFailure.Of("count", $"--count {count.ToString(CultureInfo.InvariantCulture)}: give a number of datagrams, at least 1"));
        }

        if (options.Timeout is < 1 and var seconds)
        {
            failures.Add(SettingsFailure.Of("timeout", $"--timeout {seconds.ToString(CultureInfo.InvariantCulture)}: give a number of seconds, at least 1"));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
