using Microsoft.Extensions.Options;

namespace Nbt.Cli.Configuration;

/// <summary>Checks <see cref="NbtCallOptions"/>: the address, when given, is IPv4[:port] with a port 1-65535 (RFC 1002 §4.3.1, TCP 139 by default).</summary>
internal sealed class NbtCallOptionsValidator : IValidateOptions<NbtCallOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, NbtCallOptions options)
    {
        if (options.Address is { } address)
        {
            try
            {
                CommonOptions.ParseEndPoint(address, 139, "--address");
            }
            catch (CliException ex)
            {
                return ValidateOptionsResult.Fail(SettingsFailure.Of("address", ex.Message));
            }
        }

        return ValidateOptionsResult.Success;
    }
}
