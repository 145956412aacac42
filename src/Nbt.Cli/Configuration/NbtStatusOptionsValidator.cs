using Microsoft.Extensions.Options;

namespace Nbt.Cli.Configuration;

/// <summary>Checks <see cref="NbtStatusOptions"/>: the format is nbt or nbtstat.</summary>
internal sealed class NbtStatusOptionsValidator : IValidateOptions<NbtStatusOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, NbtStatusOptions options) =>
        options.Format.ToLowerInvariant() is "nbt" or "nbtstat"
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(SettingsFailure.Of("format", $"--format '{options.Format}' must be nbt or nbtstat"));
}
