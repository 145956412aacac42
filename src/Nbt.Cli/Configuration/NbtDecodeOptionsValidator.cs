using System.Globalization;
using Microsoft.Extensions.Options;

namespace Nbt.Cli.Configuration;

/// <summary>Checks <see cref="NbtDecodeOptions"/>: the protocol is nbns, nbds or nbss; the ports 1-65535.</summary>
internal sealed class NbtDecodeOptionsValidator : IValidateOptions<NbtDecodeOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, NbtDecodeOptions options)
    {
        var failures = new List<string>();
        if (options.Protocol is { } protocol && protocol.ToLowerInvariant() is not ("nbns" or "nbds" or "nbss"))
        {
            failures.Add(SettingsFailure.Of("protocol", $"--protocol '{protocol.ToLowerInvariant()}' must be nbns, nbds or nbss"));
        }

        foreach (var (key, port) in new[] { ("nbns-port", options.NbnsPort), ("nbds-port", options.NbdsPort), ("nbss-port", options.NbssPort) })
        {
            if (port is < 1 or > 65535)
            {
                failures.Add(SettingsFailure.Of(key, $"--{key} {port.ToString(CultureInfo.InvariantCulture)} is not a port (1-65535)"));
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
