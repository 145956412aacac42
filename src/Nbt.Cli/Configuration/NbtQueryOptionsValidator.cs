using System.Globalization;
using Microsoft.Extensions.Options;

namespace Nbt.Cli.Configuration;

/// <summary>Checks <see cref="NbtQueryOptions"/>: a timeout from 0.05 to 600 seconds (RFC 1002 §6: BCAST_REQ_RETRY_TIMEOUT is 250 ms, UCAST_REQ_RETRY_TIMEOUT 5 s).</summary>
internal sealed class NbtQueryOptionsValidator : IValidateOptions<NbtQueryOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, NbtQueryOptions options)
    {
        var failures = new List<string>();
        if (options.Timeout is { } seconds && !(seconds is >= 0.05 and <= 600))
        {
            failures.Add(SettingsFailure.Of("timeout", $"--timeout {seconds.ToString(CultureInfo.InvariantCulture)}: give seconds from 0.05 to 600"));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
