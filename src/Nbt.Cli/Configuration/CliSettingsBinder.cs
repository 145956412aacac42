using System.CommandLine;
using System.CommandLine.Help;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Nbt.Cli.Configuration;

/// <summary>
/// Builds the one <see cref="IConfiguration"/> of a run from its layers — the JSON file, the <c>NBT_*</c> environment
/// variables, the command line, each winning over the ones before it — binds it to the options classes with
/// <see cref="BinderOptions.ErrorOnUnknownConfiguration"/> and validates them (<see cref="IValidateOptions{TOptions}"/>).
/// Every failure is one line naming the key and where it came from (exit 2).
/// </summary>
/// <remarks>
/// Per layer, the command's section (<c>"node": {…}</c>, <c>NBT_NODE__NAME</c>) wins over a top-level key; a top-level
/// key the command does not take is left out (<c>"wins"</c> does not bother <c>nbt decode</c>). A layer that sets an
/// option replaces the whole value of the layers before it (a typed <c>-n X</c> replaces the file's list, it does not
/// overwrite its first element). The keys are routed to <c>network:</c>, <c>output:</c> or <c>command:</c> by the
/// options class that declares them, and each section is bound with unknown keys as errors: an option of a command that
/// its class lacks cannot go unnoticed.
/// </remarks>
internal static partial class CliSettingsBinder
{
    private const string NetworkSection = "network";
    private const string OutputSection = "output";
    private const string CommandSection = "command";

    private static readonly HashSet<string> s_networkKeys = KeysOf<NbtNetworkOptions>();
    private static readonly HashSet<string> s_outputKeys = KeysOf<NbtOutputOptions>();

    /// <summary>The command classes: command name → a binder of its section (one class per command; the daemon
    /// commands' <c>lana</c> is <see cref="NbtLanaOptions"/>, which the classes of cache, register and release extend).</summary>
    private static readonly Dictionary<string, Func<IConfiguration, Func<string, string>, object>> s_commands = new(StringComparer.Ordinal)
    {
        ["query"] = (c, o) => BindAndValidate<NbtQueryOptions>(c, Check(new NbtQueryOptionsValidator()), o, "nbt query"),
        ["node"] = (c, o) => BindAndValidate<NbtNodeOptions>(c, null, o, "nbt node"),
        ["status"] = (c, o) => BindAndValidate<NbtStatusOptions>(c, Check(new NbtStatusOptionsValidator()), o, "nbt status"),
        ["send"] = (c, o) => BindAndValidate<NbtSendOptions>(c, null, o, "nbt send"),
        ["listen"] = (c, o) => BindAndValidate<NbtListenOptions>(c, Check(new NbtListenOptionsValidator()), o, "nbt listen"),
        ["chat"] = (c, o) => BindAndValidate<NbtChatOptions>(c, null, o, "nbt chat"),
        ["call"] = (c, o) => BindAndValidate<NbtCallOptions>(c, Check(new NbtCallOptionsValidator()), o, "nbt call"),
        ["serve"] = (c, o) => BindAndValidate<NbtServeOptions>(c, null, o, "nbt serve"),
        ["register"] = (c, o) => BindAndValidate<NbtRegisterOptions>(c, CheckLana<NbtRegisterOptions>(new NbtLanaOptionsValidator()), o, "nbt register"),
        ["release"] = (c, o) => BindAndValidate<NbtReleaseOptions>(c, CheckLana<NbtReleaseOptions>(new NbtLanaOptionsValidator()), o, "nbt release"),
        ["decode"] = (c, o) => BindAndValidate<NbtDecodeOptions>(c, Check(new NbtDecodeOptionsValidator()), o, "nbt decode"),
        ["wins"] = (c, o) => BindAndValidate<NbtWinsOptions>(c, Check(new NbtWinsOptionsValidator()), o, "nbt wins"),
        ["names"] = (c, o) => BindAndValidate<NbtLanaOptions>(c, Check(new NbtLanaOptionsValidator()), o, "nbt names"),
        ["sessions"] = (c, o) => BindAndValidate<NbtLanaOptions>(c, Check(new NbtLanaOptionsValidator()), o, "nbt sessions"),
        ["stats"] = (c, o) => BindAndValidate<NbtLanaOptions>(c, Check(new NbtLanaOptionsValidator()), o, "nbt stats"),
        ["cache"] = (c, o) => BindAndValidate<NbtCacheOptions>(c, CheckLana<NbtCacheOptions>(new NbtLanaOptionsValidator()), o, "nbt cache"),
    };

    /// <summary>The commands that have an options class of their own (the keys of their sections).</summary>
    internal static IReadOnlyCollection<string> CommandsWithOptions => s_commands.Keys;

    /// <summary>Binds and validates the options of <paramref name="parse"/>'s command.</summary>
    /// <param name="typed">The command line as typed: its options are the last layer.</param>
    /// <param name="parse">The parse the command runs with (same command as <paramref name="typed"/>).</param>
    /// <param name="layers">The file and environment layers, in order (validated by <see cref="ConfigurationLayer"/>).</param>
    /// <exception cref="CliException">A value that does not convert or fails validation (exit 2).</exception>
    public static CliSettings Bind(ParseResult typed, ParseResult parse, IReadOnlyList<SourcedConfigurationProvider> layers)
    {
        var command = parse.CommandResult.Command;
        string? section = TopCommand(command)?.Name;
        var options = command.Options
            .Where(o => o != CommonOptions.Config && o is not HelpOption and not VersionOption)
            .ToDictionary(ConfigurationLayer.OptionKey, StringComparer.OrdinalIgnoreCase);
        var declared = options.Keys.ToList();
        var all = layers.Append(CommandLineConfiguration.Load(typed)).ToList();

        // Project each layer onto the command, from the last: a key a later layer sets hides the earlier layers' values.
        var origins = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var projected = new List<SourcedConfigurationProvider>();
        for (int i = all.Count - 1; i >= 0; i--)
        {
            var layer = all[i];
            var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            var sources = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (string key in declared.Where(k => !origins.ContainsKey(k)))
            {
                var values = (section is null ? null : layer.Read(section + ":" + key)) ?? layer.Read(key);
                if (values is null)
                {
                    continue;
                }

                origins[key] = layer.Describe(values[0].Key);
                string routed = Route(key) + ":" + PropertyKey(key);
                if (!options[key].ValueType.IsArray)
                {
                    data[routed] = values[0].Value;
                }
                else
                {
                    for (int n = 0; n < values.Count; n++)
                    {
                        data[routed + ":" + n.ToString(System.Globalization.CultureInfo.InvariantCulture)] = values[n].Value;
                    }
                }

                sources[routed] = origins[key];
            }

            projected.Insert(0, new SourcedConfigurationProvider(data, k => sources.GetValueOrDefault(k, string.Empty)));
        }

        var builder = new ConfigurationBuilder();
        foreach (var layer in projected)
        {
            builder.Add(layer);
        }

        IConfiguration configuration = builder.Build();
        string Where(string key) => origins.FirstOrDefault(o => PropertyKey(o.Key).Equals(PropertyKey(key), StringComparison.OrdinalIgnoreCase)).Value ?? string.Empty;
        var network = BindAndValidate<NbtNetworkOptions>(configuration.GetSection(NetworkSection), Check(new NbtNetworkOptionsValidator()), Where, "any command");
        var output = BindAndValidate<NbtOutputOptions>(configuration.GetSection(OutputSection), Check(new NbtOutputOptionsValidator()), Where, "any command");
        var commandOptions = new List<object>();
        if (section is not null && s_commands.TryGetValue(section, out var bind))
        {
            commandOptions.Add(bind(configuration.GetSection(CommandSection), Where));
        }

        return new CliSettings(configuration, network, output, commandOptions, origins);
    }

    /// <summary>The keys an options class takes: its settable properties' names, matched without the option's dashes.</summary>
    internal static HashSet<string> KeysOf<T>() => typeof(T).GetProperties()
        .Where(p => p.CanWrite)
        .Select(p => p.Name)
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The property an option key binds to: the key without dashes (<c>log-level</c> → <c>LogLevel</c>, matched
    /// case-insensitively). Not <see cref="ConfigurationKeyNameAttribute"/>: with it, the 10.0 binder's
    /// <see cref="BinderOptions.ErrorOnUnknownConfiguration"/> check still compares keys with property names and
    /// rejects every dashed key.
    /// </summary>
    internal static string PropertyKey(string key) => key.Replace("-", string.Empty, StringComparison.Ordinal);

    private static string Route(string key) =>
        s_networkKeys.Contains(PropertyKey(key)) ? NetworkSection : s_outputKeys.Contains(PropertyKey(key)) ? OutputSection : CommandSection;

    /// <summary>A validator as the check <see cref="BindAndValidate"/> runs (a base class's validator for a derived class).</summary>
    private static Func<T, ValidateOptionsResult> Check<T>(IValidateOptions<T> validator) where T : class => o => validator.Validate(Options.DefaultName, o);

    private static Func<T, ValidateOptionsResult> CheckLana<T>(NbtLanaOptionsValidator validator) where T : NbtLanaOptions => o => validator.Validate(Options.DefaultName, o);

    private static T BindAndValidate<T>(IConfiguration section, Func<T, ValidateOptionsResult>? validate, Func<string, string> where, string owner)
        where T : class, new()
    {
        var options = new T();
        try
        {
            section.Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            throw new CliException(Describe(ex, where, owner), ExitCodes.Usage);
        }

        if (validate?.Invoke(options) is { Failed: true } result)
        {
            var (key, message) = SettingsFailure.Split(result.Failures.First());
            string origin = where(key);
            throw new CliException(origin.Length == 0 ? message : $"{origin}: {message}", ExitCodes.Usage);
        }

        return options;
    }

    /// <summary>A binder failure as one line: the value that does not convert, or the key no property takes.</summary>
    private static string Describe(InvalidOperationException ex, Func<string, string> where, string owner)
    {
        if (ConvertFailure().Match(ex.Message) is { Success: true } convert)
        {
            string key = convert.Groups["path"].Value.Split(':') is [_, var k, ..] ? k : convert.Groups["path"].Value;
            string origin = where(key);
            string type = convert.Groups["type"].Value switch
            {
                "System.Int32" or "System.Nullable`1[System.Int32]" => "a whole number",
                "System.Double" or "System.Nullable`1[System.Double]" => "a number",
                "System.Boolean" => "true or false",
                var other => other,
            };
            string message = $"'{convert.Groups["value"].Value}' is not {type}";
            return origin.Length == 0 ? $"--{key}: {message}" : $"{origin}: {message}";
        }

        if (UnknownFailure().Match(ex.Message) is { Success: true } unknown)
        {
            string key = unknown.Groups["keys"].Value.Split(',')[0].Trim().Trim('\'');
            string origin = where(key);
            string message = $"unknown key: '{key}' is not an option of {owner}";
            return origin.Length == 0 ? message : $"{origin}: {message}";
        }

        return ex.Message;
    }

    private static Command? TopCommand(Command command)
    {
        Command? top = null;
        for (var c = command; c is not null and not RootCommand; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            top = c;
        }

        return top;
    }

    [GeneratedRegex("Failed to convert configuration value '(?<value>[^']*)' at '(?<path>[^']*)' to type '(?<type>[^']*)'")]
    private static partial Regex ConvertFailure();

    [GeneratedRegex("not found on the instance of [^:]*: (?<keys>.*)$")]
    private static partial Regex UnknownFailure();
}
