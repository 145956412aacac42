using Microsoft.Extensions.Options;

namespace Nbt.Cli.Configuration;

/// <summary>Checks <see cref="NbtWinsOptions"/>: at most one of the database file and the database URL, neither empty.</summary>
internal sealed class NbtWinsOptionsValidator : IValidateOptions<NbtWinsOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, NbtWinsOptions options)
    {
        if (options.Database is { Length: 0 })
        {
            return ValidateOptionsResult.Fail(SettingsFailure.Of("database", "--database needs a file"));
        }

        if (options.DatabaseUrl is { Length: 0 })
        {
            return ValidateOptionsResult.Fail(SettingsFailure.Of("database-url", "--database-url needs a URL"));
        }

        return options.Database is not null && options.DatabaseUrl is not null
            ? ValidateOptionsResult.Fail(SettingsFailure.Of("database-url", "--database and --database-url: give one of them"))
            : ValidateOptionsResult.Success;
    }
}
