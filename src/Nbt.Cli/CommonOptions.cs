using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using NetBios;
using NetBios.DatagramService;
using NetBios.NameService;
using NetBios.SessionService;
using NetBios.Station;
using NetBios.Station.Hosting;
using NetBios.Transport;
using NetBios.Wire.NameService;
using Nbt.Cli.Configuration;

namespace Nbt.Cli;

/// <summary>
/// Options shared by several commands. Each command declares only the ones it uses (<see cref="AddOutput"/>,
/// <see cref="AddNetwork"/> and the single options), so that its help lists only those.
/// </summary>
internal static class CommonOptions
{
    public static readonly Option<string?> Interface = new("--interface", "-i")
    {
        Description = "Adapter to use: interface name, IPv4 address or CIDR (default: the first non-loopback IPv4 address, else loopback)",
        HelpName = "NAME|IP|CIDR",
    };

    public static readonly Option<int> Port = new("--port")
    {
        Description = "Name service UDP port, here and on other nodes",
        DefaultValueFactory = _ => 137,
        HelpName = "PORT",
    };

    public static readonly Option<int> DatagramPort = new("--datagram-port")
    {
        Description = "Datagram service UDP port, here and on other nodes",
        DefaultValueFactory = _ => 138,
        HelpName = "PORT",
    };

    public static readonly Option<int> SessionPort = new("--session-port")
    {
        Description = "Session service TCP port, here and on other nodes",
        DefaultValueFactory = _ => 139,
        HelpName = "PORT",
    };

    public static readonly Option<string?> Scope = new("--scope")
    {
        Description = "NetBIOS scope ID (e.g. SCOPE.ID.COM)",
        HelpName = "SCOPE",
    };

    public static readonly Option<string?> NodeTypeOption = new("--node-type")
    {
        Description = "Node type: B, P, M or H (default B, or H when --wins is given)",
        HelpName = "B|P|M|H",
    };

    public static readonly Option<string[]> Wins = new("--wins")
    {
        Description = "Name server (NBNS/WINS) address[:port]; may be repeated",
        AllowMultipleArgumentsPerToken = false,
        HelpName = "IP[:PORT]",
    };

    public static readonly Option<FileInfo?> Lmhosts = new("--lmhosts")
    {
        Description = "LMHOSTS file to consult",
        HelpName = "FILE",
    };

    public static readonly Option<int?> Refresh = new("--refresh")
    {
        Description = "Refresh names with the name server every N seconds instead of at TTL/2 (at least every 5 minutes)",
        HelpName = "SECONDS",
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Machine-readable JSON on stdout (schema per command: docs/CLI.md)",
    };

    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Also print progress and protocol events (info logs) on stderr",
    };

    public static readonly Option<bool> Trace = new("--trace", "-vv")
    {
        Description = "As -v, plus debug logs and a one-line trace of every packet sent and received (as nbt decode prints it) on stderr",
    };

    public static readonly Option<string?> LogLevel = new("--log-level")
    {
        Description = "Least level of the library's log lines on stderr: trace, debug, information, warning, error, critical or none (default: none; information with -v, debug with -vv)",
        HelpName = "LEVEL",
    };

    public static readonly Option<string?> Config = new("--config")
    {
        Description = "JSON file of options (top level: shared options; a section per command, e.g. \"node\": { \"name\": [\"DEMO\"] }); NBT_* environment variables override it and the command line overrides both (default: $NBT_CONFIG)",
        HelpName = "FILE",
    };

    /// <summary>The options every command takes: configuration, verbosity, JSON.</summary>
    public static Command AddOutput(Command command)
    {
        foreach (var option in new Option[] { Json, Verbose, Trace, LogLevel, Config })
        {
            command.Options.Add(option);
        }

        return command;
    }

    /// <summary>The options of a command that talks to the network through a name service (interface, port, scope, node type, WINS, LMHOSTS).</summary>
    public static Command AddNetwork(Command command)
    {
        foreach (var option in new Option[] { Interface, Port, Scope, NodeTypeOption, Wins, Lmhosts })
        {
            command.Options.Add(option);
        }

        return command;
    }

    /// <summary>Whether the parsed command declares <paramref name="option"/> (a value of an option it lacks is the default).</summary>
    public static bool Has(ParseResult parse, Option option) => parse.CommandResult.Command.Options.Contains(option);

    /// <summary>The option's value, or <paramref name="fallback"/> when the command does not declare it (for the options
    /// no options class holds; the shared ones come from <see cref="CliSettings"/>).</summary>
    public static T ValueOr<T>(ParseResult parse, Option<T> option, T fallback) => Has(parse, option) ? parse.GetValue(option)! : fallback;

    /// <summary>
    /// Builds name service options from the command's bound <see cref="NbtNetworkOptions"/> (configuration file,
    /// environment and command line, validated by <see cref="NbtNetworkOptionsValidator"/>).
    /// </summary>
    /// <param name="parse">The command line.</param>
    /// <param name="ownNameServer">The node runs the name server itself (<c>nbt node --wins-server</c>): without
    /// --wins, its own address is its name server.</param>
    public static NameServiceOptions BuildNameServiceOptions(ParseResult parse, bool ownNameServer = false)
    {
        var network = CliSettings.For(parse).Network;
        int port = CheckPort(network.Port, "--port", " UDP");
        string? scope = network.Scope;
        var servers = network.Wins.Select(server => ParseEndPoint(server, port, "--wins")).ToList();
        NodeType? type = network.NodeType?.ToUpperInvariant() switch
        {
            null => null,
            "B" => NodeType.B,
            "P" => NodeType.P,
            "M" => NodeType.M,
            "H" => NodeType.H,
            _ => throw new CliException($"--node-type '{network.NodeType}' must be B, P, M or H", ExitCodes.Usage),
        };
        var options = StationOptionsRecipe.NameService(port, scope, type, servers, ownNameServer ? () => SelectAdapter(parse).Address : null);

        if (network.Refresh is int refresh)
        {
            options.MinimumRefreshInterval = options.MaximumRefreshInterval = TimeSpan.FromSeconds(refresh);
        }

        if (network.Lmhosts is { } file)
        {
            string path = Path.GetFullPath(file);
            try
            {
                options.Lmhosts = LmhostsFile.Load(path, options.Scope);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"--lmhosts {path}: {ex.Message}", ExitCodes.Usage);
            }
        }

        try
        {
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new CliException(ex.Message.Split(" (Parameter")[0], ExitCodes.Usage);
        }

        return options;
    }

    /// <summary>Builds the options of a whole station (name and datagram services) from the bound <see cref="NbtNetworkOptions"/>.</summary>
    /// <param name="parse">The command line.</param>
    /// <param name="ownNameServer">The node runs the name server itself (see <see cref="BuildNameServiceOptions"/>).</param>
    public static StationOptions BuildStationOptions(ParseResult parse, bool ownNameServer = false)
    {
        var network = CliSettings.For(parse).Network;
        int datagramPort = CheckPort(network.DatagramPort, "--datagram-port", " UDP");
        int sessionPort = CheckPort(network.SessionPort, "--session-port", " TCP");

        return StationOptionsRecipe.Station(BuildNameServiceOptions(parse, ownNameServer), datagramPort, sessionPort);
    }

    /// <summary>Picks the adapter from the bound <c>interface</c> (<c>-i</c>), or the first usable one.</summary>
    public static NetworkAdapter SelectAdapter(ParseResult parse)
    {
        string? spec = CliSettings.For(parse).Network.Interface;
        var all = NetworkAdapters.Enumerate(includeLoopback: true);
        if (spec is not null)
        {
            try
            {
                return NetworkAdapters.Select(all, spec)[0];
            }
            catch (ArgumentException ex)
            {
                throw new CliException($"--interface {spec}: {ex.Message.Split(" (Parameter")[0]}", ExitCodes.Usage);
            }
        }

        return all.FirstOrDefault(a => !IPAddress.IsLoopback(a.Address))
            ?? (all.Count > 0 ? all[0] : null)
            ?? NetworkAdapter.Create(IPAddress.Loopback, 8);
    }

    /// <summary>Parses IPv4[:port]; without a port, <paramref name="defaultPort"/>. Port 0 and ports past 65535 are usage errors.</summary>
    public static IPEndPoint ParseEndPoint(string text, int defaultPort, string what)
    {
        string host = text;
        int port = defaultPort;
        int colon = text.LastIndexOf(':');
        if (colon >= 0)
        {
            host = text[..colon];
            if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || !IsPort(port))
            {
                throw new CliException($"{what} '{text}': the port must be a number from 1 to 65535", ExitCodes.Usage);
            }
        }

        return TryParseIPv4(host, out var address)
            ? new IPEndPoint(address, port)
            : throw new CliException($"{what} '{text}' is not an IPv4 address[:port]", ExitCodes.Usage);
    }

    /// <summary>
    /// A dotted quad only: four decimal numbers 0-255. <see cref="IPAddress.TryParse(string?, out IPAddress?)"/> also
    /// takes "10.1", "1" and octal "010.0.0.1", which nobody typing an address means.
    /// </summary>
    public static bool TryParseIPv4(string text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        string[] parts = text.Split('.');
        byte[] bytes = new byte[4];
        if (parts.Length != 4)
        {
            return false;
        }

        for (int i = 0; i < 4; i++)
        {
            if (parts[i].Length is 0 or > 3 || !byte.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i]))
            {
                return false;
            }
        }

        address = new IPAddress(bytes);
        return true;
    }

    /// <summary>
    /// A target given as NAME or IPv4: text of digits and dots with at least one dot is meant as an address (no one
    /// names a computer 300.1.1.1), so one that is not a valid address is a usage error rather than a name to resolve.
    /// </summary>
    /// <returns>The address, or null when <paramref name="text"/> is a name.</returns>
    public static IPAddress? ParseAddressTarget(string text)
    {
        if (!text.Contains('.', StringComparison.Ordinal) || !text.All(c => c == '.' || char.IsAsciiDigit(c)))
        {
            return null;
        }

        return TryParseIPv4(text, out var address)
            ? address
            : throw new CliException($"'{text}' looks like an IPv4 address but is not one (four numbers 0-255, like 192.168.1.10)", ExitCodes.Usage);
    }

    /// <summary>The value of a port option, checked: 1-65535.</summary>
    public static int CheckPort(int port, string option, string protocol) =>
        IsPort(port) ? port : throw new CliException($"{option} {port} is not a{protocol} port (1-65535)", ExitCodes.Usage);

    private static bool IsPort(int port) => port is >= 1 and <= 65535;

    /// <summary>Parses NAME, NAME#20 or NAME&lt;20&gt; (upper-cased, as people type names).</summary>
    public static NetBiosName ParseName(string text, byte defaultSuffix, string? scope)
    {
        if (!NetBiosName.TryParse(text, defaultSuffix, scope, NetBiosNameOptions.UpperCase, out var name, out string? error))
        {
            throw new CliException($"bad NetBIOS name: {error}", ExitCodes.Usage);
        }

        return name;
    }
}
