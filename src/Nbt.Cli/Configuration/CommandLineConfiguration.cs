using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Nbt.Cli.Configuration;

/// <summary>
/// The command-line layer of nbt's configuration: every option the user typed (whichever alias, <c>--opt value</c>
/// or <c>--opt=value</c>) as a configuration key, its long name without dashes, so that it wins over the file and the
/// environment in the one <see cref="Microsoft.Extensions.Configuration.IConfiguration"/> the options are bound from.
/// Options left to their defaults are not keys. Arguments (names, messages) are not configuration.
/// </summary>
internal static class CommandLineConfiguration
{
    /// <summary>Where a command-line key came from; errors about it read as without a configuration.</summary>
    public const string Origin = "";

    /// <summary>The layer of the options typed on <paramref name="parse"/>'s command.</summary>
    /// <param name="parse">The command line as typed (before configured values are added).</param>
    public static SourcedConfigurationProvider Load(ParseResult parse)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var option in parse.CommandResult.Command.Options)
        {
            if (option == CommonOptions.Config || option is HelpOption or VersionOption || parse.GetResult(option) is not OptionResult { Implicit: false } result)
            {
                continue;
            }

            string key = ConfigurationLayer.OptionKey(option);
            var tokens = result.Tokens.Select(t => t.Value).ToList();
            if (option.ValueType == typeof(bool))
            {
                data[key] = tokens.Count == 0 ? "true" : tokens[^1];
            }
            else if (option.ValueType.IsArray)
            {
                for (int i = 0; i < tokens.Count; i++)
                {
                    data[key + ":" + i.ToString(CultureInfo.InvariantCulture)] = tokens[i];
                }
            }
            else if (tokens.Count > 0)
            {
                data[key] = tokens[^1];
            }
        }

        return new SourcedConfigurationProvider(data, _ => Origin);
    }
}
