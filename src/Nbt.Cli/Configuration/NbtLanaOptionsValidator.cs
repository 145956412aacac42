using System.Globalization;
using Microsoft.Extensions.Options;

namespace Nbt.Cli.Configuration;

/// <summary>Checks <see cref="NbtLanaOptions"/> (and the classes derived from it): a LANA number from 0 to 254.</summary>
internal sealed class NbtLanaOptionsValidator : IValidateOptions<NbtLanaOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, NbtLanaOptions options) => options.Lana is { } lana and not (>= 0 and <= 254)
        ? ValidateOptionsResult.Fail(SettingsFailure.Of("lana", $"--lana {lana.ToString(CultureInfo.InvariantCulture)} is not a LANA number from 0 to 254"))
        : ValidateOptionsResult.Success;
}
