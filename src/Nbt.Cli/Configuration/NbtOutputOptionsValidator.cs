using Microsoft.Extensions.Options;

namespace Nbt.Cli.Configuration;

/// <summary>Checks <see cref="NbtOutputOptions"/>: a log level nbt knows.</summary>
internal sealed class NbtOutputOptionsValidator : IValidateOptions<NbtOutputOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, NbtOutputOptions options)
    {
        try
        {
            Output.ParseLogLevel(options.LogLevel);
            return ValidateOptionsResult.Success;
        }
        catch (CliException ex)
        {
            return ValidateOptionsResult.Fail(SettingsFailure.Of("log-level", ex.Message));
        }
    }
}
