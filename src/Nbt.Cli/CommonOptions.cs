using System.CommandLine;
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
    public static NameServiceOptions BuildNameServiceOptions(ParseResult parse)
    {
        var options = new NameServiceOptions
        {
            RemotePort = parse.GetValue(Port),
            Scope = parse.GetValue(Scope),
        };
        if (options.RemotePort is < 1 or > 65535)
        {
            throw new CliException($"--port {options.RemotePort} is not a UDP port (1-65535)", ExitCodes.Usage);
        }

        if (options.Scope is { Length: > 0 } scope && NetBiosName.ValidateScope(scope) is { } scopeError)
        {
            throw new CliException($"--scope: {scopeError}", ExitCodes.Usage);
        }

        foreach (string server in parse.GetValue(Wins) ?? [])
        {
            options.NameServers.Add(ParseEndPoint(server, options.RemotePort, "--wins"));
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
    public static StationOptions BuildStationOptions(ParseResult parse)
    {
        int datagramPort = parse.GetValue(DatagramPort);
        if (datagramPort is < 1 or > 65535)
        {
            throw new CliException($"--datagram-port {datagramPort} is not a UDP port (1-65535)", ExitCodes.Usage);
        }

        int sessionPort = parse.GetValue(SessionPort);
        if (sessionPort is < 1 or > 65535)
        {
            throw new CliException($"--session-port {sessionPort} is not a TCP port (1-65535)", ExitCodes.Usage);
        }

        return new StationOptions
        {
            NameService = BuildNameServiceOptions(parse),
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

    public static IPEndPoint ParseEndPoint(string text, int defaultPort, string what)
    {
        if (IPEndPoint.TryParse(text, out var endPoint) && endPoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            return endPoint.Port == 0 ? new IPEndPoint(endPoint.Address, defaultPort) : endPoint;
        }

        throw new CliException($"{what} '{text}' is not an IPv4 address[:port]", ExitCodes.Usage);
    }

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
