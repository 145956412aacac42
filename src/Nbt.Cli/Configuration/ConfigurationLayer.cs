using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using Microsoft.Extensions.Configuration;

namespace Nbt.Cli.Configuration;

/// <summary>
/// nbt's configuration layers: defaults, then the JSON file (<c>--config FILE</c>, <c>--config=FILE</c> or
/// <c>NBT_CONFIG</c>), then <c>NBT_*</c> environment variables, then the command line, each layer winning over the
/// ones before it, for every option and whichever alias (<c>-n</c> or <c>--name</c>) the command line used. Within
/// one layer a command's section wins over a top-level key. The file and environment are
/// Microsoft.Extensions.Configuration providers (<see cref="LoadLayers"/>); every key is checked against the options
/// of the command it belongs to, and an unknown key is an error naming the key and where it came from.
/// <see cref="CliSettingsBinder"/> binds the layers and the command line to the options classes the commands read;
/// <see cref="Apply(RootCommand, string[], ParseResult, IReadOnlyList{SourcedConfigurationProvider})"/> also hands the
/// values the command line did not give to System.CommandLine as option tokens, so that the commands that read their
/// own few options from the parse see them too, converted and checked by the same rules as typed options.
/// </summary>
internal static class ConfigurationLayer
{
    // Variables of the repository's own scripts and tests, not options of nbt.
    private static readonly string[] s_foreignVariables = ["tree", "test-"];

    /// <summary>The command line with the configured options the user did not type inserted after the command's name.</summary>
    /// <param name="root">The nbt command tree.</param>
    /// <param name="args">The arguments as typed.</param>
    /// <param name="parse">Their parse (without errors).</param>
    /// <param name="environment">The environment variables.</param>
    /// <returns>The arguments to run, and where each inserted option came from (for error messages).</returns>
    /// <exception cref="CliException">An unreadable file, an unknown key or a value of the wrong shape (exit 2).</exception>
    public static (string[] Args, IReadOnlyDictionary<string, string> Origins) Apply(RootCommand root, string[] args, ParseResult parse, IReadOnlyDictionary<string, string> environment) =>
        Apply(root, args, parse, LoadLayers(parse, environment));

    /// <summary>The file and environment layers of <paramref name="parse"/>'s command, in order (none for the bare root).</summary>
    /// <exception cref="CliException">An unreadable file or a config option without a file (exit 2).</exception>
    public static IReadOnlyList<SourcedConfigurationProvider> LoadLayers(ParseResult parse, IReadOnlyDictionary<string, string> environment)
    {
        if (parse.CommandResult.Command is RootCommand)
        {
            return [];
        }

        string? path = CommonOptions.Has(parse, CommonOptions.Config) ? parse.GetValue(CommonOptions.Config) : null;
        if (path is { Length: 0 })
        {
            throw new CliException("--config needs a file", ExitCodes.Usage);
        }

        path ??= environment.GetValueOrDefault(EnvironmentConfiguration.ConfigVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
        var layers = new List<SourcedConfigurationProvider>();
        if (path is not null)
        {
            layers.Add(JsonConfigurationFile.Load(path));
        }

        if (EnvironmentConfiguration.Load(environment) is { } variables)
        {
            layers.Add(variables);
        }

        return layers;
    }

    /// <summary>As <see cref="Apply(RootCommand, string[], ParseResult, IReadOnlyDictionary{string, string})"/> with the layers loaded.</summary>
    /// <exception cref="CliException">An unknown key or a value of the wrong shape (exit 2).</exception>
    public static (string[] Args, IReadOnlyDictionary<string, string> Origins) Apply(RootCommand root, string[] args, ParseResult parse, IReadOnlyList<SourcedConfigurationProvider> layers)
    {
        var command = parse.CommandResult.Command;
        if (command is RootCommand || layers.Count == 0)
        {
            return (args, new Dictionary<string, string>());
        }

        foreach (var layer in layers)
        {
            Validate(root, layer);
        }

        var commandPath = CommandPath(command);
        string section = commandPath[0].Name;
        var inserted = new List<string>();
        var origins = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var option in command.Options)
        {
            if (option == CommonOptions.Config || option is HelpOption || option is VersionOption || parse.GetResult(option) is OptionResult { Implicit: false })
            {
                continue; // the command line wins
            }

            string name = OptionKey(option);
            var found = layers.AsEnumerable().Reverse()
                .Select(layer => (Layer: layer, Values: layer.Read(section + ":" + name) ?? layer.Read(name)))
                .FirstOrDefault(x => x.Values is not null);
            if (found.Values is null)
            {
                continue;
            }

            origins[option.Name] = found.Layer.Describe(found.Values[0].Key);
            foreach (var (key, value) in found.Values)
            {
                if (option.ValueType == typeof(bool))
                {
                    if (!bool.TryParse(value, out bool on))
                    {
                        throw new CliException($"{found.Layer.Describe(key)}: '{value}' is not true or false", ExitCodes.Usage);
                    }

                    if (on)
                    {
                        inserted.Add(option.Name);
                    }

                    continue;
                }

                inserted.Add(option.Name);
                inserted.Add(value ?? string.Empty);
            }
        }

        int at = -1;
        foreach (var c in commandPath)
        {
            at = Array.IndexOf(args, c.Name, at + 1);
        }

        if (at < 0)
        {
            at = args.Length - 1;
        }

        return ([.. args[..(at + 1)], .. inserted, .. args[(at + 1)..]], origins);
    }

    /// <summary>The key of an option: its name without the dashes.</summary>
    public static string OptionKey(Option option) => option.Name.TrimStart('-');

    /// <summary>Every key of the layer names an option of the command (section) or of some command (top level).</summary>
    private static void Validate(RootCommand root, SourcedConfigurationProvider layer)
    {
        foreach (string key in layer.Keys)
        {
            string[] parts = key.Split(ConfigurationPath.KeyDelimiter);
            bool sectioned = parts.Length >= 2 && !IsIndex(parts[1]);
            var commands = sectioned
                ? root.Subcommands.Where(c => c.Name.Equals(parts[0], StringComparison.OrdinalIgnoreCase)).ToList()
                : [root];
            string option = sectioned ? parts[1] : parts[0];
            int rest = sectioned ? 2 : 1;
            if (layer.Describe(key).StartsWith("environment", StringComparison.Ordinal) && !sectioned
                && s_foreignVariables.Any(v => option.StartsWith(v, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            if (option.Equals("config", StringComparison.OrdinalIgnoreCase))
            {
                throw new CliException($"{layer.Describe(key)}: a configuration cannot name another configuration file", ExitCodes.Usage);
            }

            if (commands.Count == 0)
            {
                throw new CliException($"{layer.Describe(key)}: unknown key: there is no command '{parts[0]}'", ExitCodes.Usage);
            }

            var known = commands.SelectMany(AllOptions).Select(OptionKey).Where(k => k != "config").Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (!known.Contains(option, StringComparer.OrdinalIgnoreCase))
            {
                string where = sectioned ? $"nbt {commands[0].Name}" : "any command";
                throw new CliException($"{layer.Describe(key)}: unknown key: '{option}' is not an option of {where}", ExitCodes.Usage);
            }

            if (parts.Length > rest + 1 || (parts.Length == rest + 1 && !IsIndex(parts[rest])))
            {
                throw new CliException($"{layer.Describe(key)}: must be a string, number, boolean or an array of them", ExitCodes.Usage);
            }
        }
    }

    private static IEnumerable<Option> AllOptions(Command command) =>
        command.Options.Where(o => o is not HelpOption and not VersionOption).Concat(command.Subcommands.SelectMany(AllOptions));

    private static List<Command> CommandPath(Command command)
    {
        var path = new List<Command>();
        for (var c = command; c is not null and not RootCommand; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            path.Insert(0, c);
        }

        return path;
    }

    private static bool IsIndex(string part) => part.Length > 0 && part.All(char.IsAsciiDigit);
}
