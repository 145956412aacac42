using System.Globalization;
using System.Net;
using NetBios.NameService;
using NetBios.Transport;
using NetBios.Wire.NameService;

namespace NetBios.Native;

/// <summary>
/// The stations libnetbios binds, from environment variables (docs/LIBNETBIOS.md "Configuration"): which adapters are
/// LANA 0, 1, …, the ports, the node type, WINS servers, scope, LMHOSTS, and whether sockets bind to the adapter's
/// address or to any address.
/// </summary>
internal sealed class NativeStationSettings
{
    /// <summary>The adapters, LANA 0 first.</summary>
    public required IReadOnlyList<NetworkAdapter> Adapters { get; init; }

    /// <summary>NETBIOS_NAME_PORT (137).</summary>
    public int NamePort { get; init; } = 137;

    /// <summary>NETBIOS_DATAGRAM_PORT (138).</summary>
    public int DatagramPort { get; init; } = 138;

    /// <summary>NETBIOS_SESSION_PORT (139).</summary>
    public int SessionPort { get; init; } = 139;

    /// <summary>NETBIOS_NODE_TYPE (B, or H when WINS servers are given).</summary>
    public NodeType? NodeType { get; init; }

    /// <summary>NETBIOS_WINS.</summary>
    public IReadOnlyList<IPEndPoint> NameServers { get; init; } = [];

    /// <summary>NETBIOS_SCOPE.</summary>
    public string? Scope { get; init; }

    /// <summary>NETBIOS_LMHOSTS.</summary>
    public string? LmhostsPath { get; init; }

    /// <summary>NETBIOS_BIND=adapter: the UDP sockets bind to the adapter's address instead of 0.0.0.0.</summary>
    public bool BindToAdapter { get; init; }

    /// <summary>NETBIOS_BIND=shared: the UDP sockets bind to 0.0.0.0 with SO_REUSEADDR, so that several processes on one
    /// host share the ports (each hears the broadcasts; a unicast reaches one of them).</summary>
    public bool SharePorts { get; init; }

    /// <summary>Reads the settings from the environment; null with <paramref name="error"/> when one is invalid.</summary>
    public static NativeStationSettings? FromEnvironment(Func<string, string?> read, out string? error)
    {
        error = null;
        try
        {
            var adapters = ParseAdapters(read("NETBIOS_INTERFACE"));
            var servers = (read("NETBIOS_WINS") ?? string.Empty)
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => ParseEndPoint(s, 137)).ToList();
            string? nodeType = read("NETBIOS_NODE_TYPE");
            string? bind = read("NETBIOS_BIND");
            return new NativeStationSettings
            {
                Adapters = adapters,
                NamePort = Port(read("NETBIOS_NAME_PORT"), 137),
                DatagramPort = Port(read("NETBIOS_DATAGRAM_PORT"), 138),
                SessionPort = Port(read("NETBIOS_SESSION_PORT"), 139),
                NodeType = string.IsNullOrEmpty(nodeType) ? null : Enum.Parse<NodeType>(nodeType, ignoreCase: true),
                NameServers = servers,
                Scope = string.IsNullOrEmpty(read("NETBIOS_SCOPE")) ? null : read("NETBIOS_SCOPE"),
                LmhostsPath = string.IsNullOrEmpty(read("NETBIOS_LMHOSTS")) ? null : read("NETBIOS_LMHOSTS"),
                BindToAdapter = bind switch
                {
                    null or "" or "any" or "shared" => false,
                    "adapter" => true,
                    _ => throw new FormatException($"NETBIOS_BIND must be 'any', 'adapter' or 'shared', not '{bind}'."),
                },
                SharePorts = bind == "shared",
            };
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException or InvalidOperationException)
        {
            error = ex.Message;
            return null;
        }
    }

    /// <summary>
    /// NETBIOS_INTERFACE: comma-separated, LANA 0 first; each an interface name, an address of this machine, or
    /// ADDRESS/PREFIX (any address, e.g. 127.0.0.2/8 on loopback). Unset: the first non-loopback IPv4 adapter.
    /// </summary>
    private static List<NetworkAdapter> ParseAdapters(string? spec)
    {
        var all = NetworkAdapters.Enumerate(includeLoopback: true);
        if (string.IsNullOrWhiteSpace(spec))
        {
            var first = all.FirstOrDefault(a => !IPAddress.IsLoopback(a.Address))
                ?? throw new InvalidOperationException("No non-loopback IPv4 adapter; set NETBIOS_INTERFACE.");
            return [first with { LanaNumber = 0 }];
        }

        var result = new List<NetworkAdapter>();
        foreach (string item in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int lana = result.Count;
            string[] parts = item.Split('/');
            if (IPAddress.TryParse(parts[0], out var address) && parts.Length <= 2)
            {
                var known = all.FirstOrDefault(a => a.Address.Equals(address));
                if (parts.Length == 2)
                {
                    result.Add(NetworkAdapter.Create(address, int.Parse(parts[1], CultureInfo.InvariantCulture), known?.InterfaceName, lana, known?.MacAddress));
                }
                else if (known is not null)
                {
                    result.Add(known with { LanaNumber = lana });
                }
                else if (IPAddress.IsLoopback(address))
                {
                    result.Add(NetworkAdapter.Create(address, 8, "lo", lana));
                }
                else
                {
                    throw new ArgumentException($"NETBIOS_INTERFACE: no adapter of this machine has {address}; give ADDRESS/PREFIX.");
                }
            }
            else
            {
                var named = NetworkAdapters.Select(all, item);
                result.Add(named[0] with { LanaNumber = lana });
            }
        }

        return result.Count > 0 ? result : throw new ArgumentException("NETBIOS_INTERFACE names no adapter.");
    }

    private static int Port(string? text, int fallback)
    {
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        int port = int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        return port is >= 1 and <= 65535 ? port : throw new FormatException($"Port {text} is not 1-65535.");
    }

    private static IPEndPoint ParseEndPoint(string text, int defaultPort)
    {
        string[] parts = text.Split(':');
        var address = IPAddress.Parse(parts[0]);
        return new IPEndPoint(address, parts.Length == 2 ? Port(parts[1], defaultPort) : defaultPort);
    }

    /// <summary>The LMHOSTS file, if one is set.</summary>
    public LmhostsFile? LoadLmhosts() => LmhostsPath is null ? null : LmhostsFile.Load(LmhostsPath, Scope);
}
