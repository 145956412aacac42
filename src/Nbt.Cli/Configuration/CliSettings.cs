using System.CommandLine;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;

namespace Nbt.Cli.Configuration;

/// <summary>
/// The options one run of a command reads, bound from one <see cref="IConfiguration"/> (JSON file &lt; <c>NBT_*</c>
/// environment &lt; command line) by <see cref="CliSettingsBinder"/> and validated: <see cref="Network"/>,
/// <see cref="Output"/> and the command's own options class (<see cref="Get{T}"/>), with where each key came from.
/// </summary>
internal sealed class CliSettings
{
    private static readonly ConditionalWeakTable<ParseResult, CliSettings> s_byParse = [];

    private readonly Dictionary<Type, object> _commandOptions;
    private readonly IReadOnlyDictionary<string, string> _origins;

    /// <param name="configuration">The configuration of this command, keys under <c>network:</c>, <c>output:</c> and <c>command:</c>.</param>
    /// <param name="network">The bound network options.</param>
    /// <param name="output">The bound output options.</param>
    /// <param name="commandOptions">The command's own bound options, by type (none for a command without a class).</param>
    /// <param name="origins">Where each option key's value came from (a file key, a variable; empty for the command line).</param>
    public CliSettings(IConfiguration configuration, NbtNetworkOptions network, NbtOutputOptions output, IEnumerable<object> commandOptions, IReadOnlyDictionary<string, string> origins)
    {
        Configuration = configuration;
        Network = network;
        Output = output;
        _commandOptions = commandOptions.ToDictionary(o => o.GetType());
        _origins = origins;
    }

    /// <summary>The effective configuration of the command.</summary>
    public IConfiguration Configuration { get; }

    /// <summary>Interface, ports, scope, node type, name servers, LMHOSTS, refresh.</summary>
    public NbtNetworkOptions Network { get; }

    /// <summary>JSON, verbosity, log level.</summary>
    public NbtOutputOptions Output { get; }

    /// <summary>The command's own options (<see cref="NbtQueryOptions"/>, <see cref="NbtNodeOptions"/>…), or a base class
    /// of them (<see cref="NbtLanaOptions"/> of <c>nbt cache</c>'s <see cref="NbtCacheOptions"/>).</summary>
    /// <exception cref="InvalidOperationException">The command has no options of that type (a bug).</exception>
    public T Get<T>() where T : class => _commandOptions.TryGetValue(typeof(T), out object? options)
        ? (T)options
        : _commandOptions.Values.OfType<T>().FirstOrDefault() ?? throw new InvalidOperationException($"the command has no {typeof(T).Name}");

    /// <summary>Where the value of <paramref name="key"/> came from, or null when it is the default.</summary>
    public string? Origin(string key) => _origins.GetValueOrDefault(key);

    /// <summary>The settings bound for <paramref name="parse"/> (by <see cref="Program"/>), or, for a parse run without
    /// it (tests that invoke a command directly), the settings of its command line alone.</summary>
    /// <exception cref="CliException">A value of the command line fails validation (exit 2).</exception>
    public static CliSettings For(ParseResult parse) => s_byParse.TryGetValue(parse, out var settings)
        ? settings
        : s_byParse.GetValue(parse, p => CliSettingsBinder.Bind(p, p, []));

    /// <summary>Records the settings of the parse a command will run with.</summary>
    public static void Register(ParseResult parse, CliSettings settings) => s_byParse.AddOrUpdate(parse, settings);
}
