using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using NetBios;
using NetBios.DatagramService;
using NetBios.NameService;
using NetBios.SessionService;
using NetBios.Station;
using NetBios.Transport;
using NetBios.Wire.NameService;

namespace Nbt.Cli;

/// <summary>Options shared by every command (declared recursive on the root command).</summary>
internal static class CommonOptions
{
    public static readonly Option<string?> Interface = new("--interface", "-i")
    {
        Description = "Adapter to use: interface name, IPv4 address or CIDR (default: the first non-loopback IPv4 address, else loopback)",
        Recursive = true,
    };

    public static readonly Option<int> Port = new("--port")
    {
        Description = "Name service UDP port, here and on other nodes",
        DefaultValueFactory = _ => 137,
        Recursive = true,
    };

    public static readonly Option<int> DatagramPort = new("--datagram-port")
    {
        Description = "Datagram service UDP port, here and on other nodes",
        DefaultValueFactory = _ => 138,
        Recursive = true,
    };

    public static readonly Option<int> SessionPort = new("--session-port")
    {
        Description = "Session service TCP port, here and on other nodes",
        DefaultValueFactory = _ => 139,
        Recursive = true,
    };

    public static readonly Option<string?> Scope = new("--scope")
    {
        Description = "NetBIOS scope ID (e.g. SCOPE.ID.COM)",
        Recursive = true,
    };

    public static readonly Option<string?> NodeTypeOption = new("--node-type")
    {
        Description = "Node type: B, P, M or H (default B, or H when --wins is given)",
        Recursive = true,
    };

    public static readonly Option<string[]> Wins = new("--wins")
    {
        Description = "Name server (NBNS/WINS) address[:port]; may be repeated",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public static readonly Option<FileInfo?> Lmhosts = new("--lmhosts")
    {
        Description = "LMHOSTS file to consult",
        Recursive = true,
    };

    public static readonly Option<int?> Refresh = new("--refresh")
    {
        Description = "Refresh names with the name server every N seconds instead of at TTL/2 (at least every 5 minutes)",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Machine-readable JSON output",
        Recursive = true,
    };

    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Log protocol events (debug level) to stderr",
        Recursive = true,
    };

    public static readonly Option<FileInfo?> Config = new("--config")
    {
        Description = "JSON file of options (top level: every command; a section per command, e.g. \"node\": { \"name\": [\"DEMO\"] }); the command line wins",
        Recursive = true,
    };

    public static IEnumerable<Option> All => [Config, Interface, Port, DatagramPort, SessionPort, Scope, NodeTypeOption, Wins, Lmhosts, Refresh, Json, Verbose];

    /// <summary>Builds name service options from the command line, with one-line errors for bad values.</summary>
    /// <param name="parse">The command line.</param>
    /// <param name="ownNameServer">The node runs the name server itself (<c>nbt node --wins-server</c>): without
    /// --wins, its own address is its name server.</param>
    public static NameServiceOptions BuildNameServiceOptions(ParseResult parse, bool ownNameServer = false)
    {
        var options = new NameServiceOptions
        {
            RemotePort = CheckPort(parse.GetValue(Port), "--port", " UDP"),
            Scope = parse.GetValue(Scope),
        };

        if (options.Scope is { Length: > 0 } scope && NetBiosName.ValidateScope(scope) is { } scopeError)
        {
            throw new CliException($"--scope: {scopeError}", ExitCodes.Usage);
        }

        foreach (string server in parse.GetValue(Wins) ?? [])
        {
            options.NameServers.Add(ParseEndPoint(server, options.RemotePort, "--wins"));
        }

        if (ownNameServer && options.NameServers.Count == 0)
        {
            options.NameServers.Add(new IPEndPoint(SelectAdapter(parse).Address, options.RemotePort));
        }

        if (parse.GetValue(NodeTypeOption) is { } nodeType)
        {
            options.NodeType = nodeType.ToUpperInvariant() switch
            {
                "B" => NodeType.B,
                "P" => NodeType.P,
                "M" => NodeType.M,
                "H" => NodeType.H,
                _ => throw new CliException($"--node-type '{nodeType}' must be B, P, M or H", ExitCodes.Usage),
            };
        }

        if (parse.GetValue(Refresh) is int refresh)
        {
            if (refresh < 1)
            {
                throw new CliException($"--refresh {refresh}: give a number of seconds, at least 1", ExitCodes.Usage);
            }

            options.MinimumRefreshInterval = options.MaximumRefreshInterval = TimeSpan.FromSeconds(refresh);
        }

        if (parse.GetValue(Lmhosts) is { } file)
        {
            try
            {
                options.Lmhosts = LmhostsFile.Load(file.FullName, options.Scope);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"--lmhosts {file.FullName}: {ex.Message}", ExitCodes.Usage);
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

    /// <summary>Builds the options of a whole station (name and datagram services) from the command line.</summary>
    /// <param name="parse">The command line.</param>
    /// <param name="ownNameServer">The node runs the name server itself (see <see cref="BuildNameServiceOptions"/>).</param>
    public static StationOptions BuildStationOptions(ParseResult parse, bool ownNameServer = false)
    {
        int datagramPort = CheckPort(parse.GetValue(DatagramPort), "--datagram-port", " UDP");
        int sessionPort = CheckPort(parse.GetValue(SessionPort), "--session-port", " TCP");

        return new StationOptions
        {
            NameService = BuildNameServiceOptions(parse, ownNameServer),
            Datagrams = new DatagramServiceOptions { RemotePort = datagramPort },
            Sessions = new SessionServiceOptions { ListenEndPoint = new IPEndPoint(IPAddress.Any, sessionPort), RemotePort = sessionPort },
        };
    }

    /// <summary>Picks the adapter from --interface, or the first usable one.</summary>
    public static NetworkAdapter SelectAdapter(ParseResult parse)
    {
        string? spec = parse.GetValue(Interface);
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
