using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using NetBios;
using NetBios.Daemon;
using NetBios.NameServer;
using NetBios.Wire.NameService;

namespace Nbtd.Configuration;

/// <summary>
/// Reads <see cref="NbtdOptions"/> from the merged configuration and checks it before anything is bound: every key
/// must be known (a misspelt key is an error, not a silent default) and every value valid. The first problem is
/// thrown as a <see cref="NbtdConfigurationException"/> naming the key and where its value came from.
/// </summary>
internal static class NbtdOptionsReader
{
    private static readonly string[] TopKeys = ["Stations", "WinsServer", "Logging", "Ipc", "ShutdownTimeout", "HeldNamesFile"];

    private static readonly string[] StationKeys =
        ["Lana", "Interface", "NodeType", "Wins", "Scope", "NameServicePort", "DatagramPort", "SessionPort", "AcceptSessions", "Name", "Groups", "Names",
         "Lmhosts"];

    private static readonly string[] WinsKeys = ["Enabled", "Lana", "Database", "DatabaseUrl", "Hook", "MinTtl", "MaxTtl"];

    private static readonly string[] IpcKeys = ["Enabled", "SocketPath", "SocketMode", "SocketGroup", "MaxClients", "MaxPendingNcbsPerClient", "AccessPolicy"];

    private static readonly string[] AccessKeys = ["AddNames", "Listen", "SendBroadcasts", "EditWins", "ManageStation"];

    private static readonly string[] RuleKeys = ["Everyone", "UserIds", "GroupIds"];

    /// <summary>Reads and checks the options.</summary>
    /// <param name="sources">The configuration.</param>
    /// <param name="machineName">The default host name's source (<see cref="Environment.MachineName"/>).</param>
    /// <returns>The options.</returns>
    /// <exception cref="NbtdConfigurationException">An unknown key or a bad value.</exception>
    public static NbtdOptions Read(NbtdConfigurationSources sources, string? machineName = null)
    {
        var root = sources.Root;
        var reader = new Reader(sources);
        reader.CheckKeys(root.GetChildren(), TopKeys);
        var stations = reader.ReadStations(root.GetSection("Stations"), machineName ?? Environment.MachineName);
        var wins = reader.ReadWins(root.GetSection("WinsServer"), stations);
        var shutdown = reader.Int(root.GetSection("ShutdownTimeout"), 1, 3600, "a number of seconds from 1 to 3600") is int seconds
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromSeconds(10);
        var ipcSection = root.GetSection("Ipc");
        var ipc = reader.ReadIpc(ipcSection);
        string? heldNames = reader.Text(root.GetSection("HeldNamesFile"));
        return new NbtdOptions
        {
            HeldNamesFile = heldNames is null ? NbtdOptions.DefaultHeldNamesFile
                : string.Equals(heldNames, NbtdOptions.NoHeldNamesFile, StringComparison.OrdinalIgnoreCase) ? null
                : heldNames,
            Stations = stations,
            WinsServer = wins,
            IpcEnabled = reader.Bool(ipcSection.GetSection("Enabled")) ?? true,
            Ipc = ipc,
            ShutdownTimeout = shutdown,
        };
    }

    /// <summary>The host name registered by default: the machine name's first label, upper case, 15 characters at most.</summary>
    /// <param name="machineName">The machine name.</param>
    public static string DefaultHostName(string machineName)
    {
        string name = machineName.Split('.')[0].ToUpperInvariant();
        return name.Length > 15 ? name[..15] : name;
    }

    private sealed class Reader(NbtdConfigurationSources sources)
    {
        /// <summary>The error about <paramref name="section"/>'s key; its origin is where that key's value (or, for a default,
        /// the value nearest to it) came from.</summary>
        public NbtdConfigurationException Error(IConfigurationSection section, string problem)
        {
            string origin = sources.Origin(section.Path);
            for (string? path = section.Path; origin.Length == 0 && path is not null; path = ConfigurationPath.GetParentPath(path))
            {
                origin = sources.Origin(path);
            }

            return new($"{section.Path}: {problem}{origin}");
        }

        public void CheckKeys(IEnumerable<IConfigurationSection> children, string[] known)
        {
            foreach (var child in children)
            {
                if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
                {
                    string? guess = known.FirstOrDefault(k => Distance(k.ToUpperInvariant(), child.Key.ToUpperInvariant()) <= 2);
                    throw Error(child, guess is null
                        ? $"unknown key (known here: {string.Join(", ", known)})"
                        : $"unknown key (did you mean {guess}?)");
                }
            }
        }

        public List<StationSettings> ReadStations(IConfigurationSection section, string machineName)
        {
            if (section.Value is { Length: > 0 })
            {
                throw Error(section, "is a list of stations: give Stations:0:Interface=... (or a JSON array)");
            }

            var entries = Items(section, "station");
            if (entries.Count == 0)
            {
                return [Station(null, 0, machineName)];
            }

            var stations = new List<StationSettings>();
            for (int i = 0; i < entries.Count; i++)
            {
                var station = Station(entries[i], i, machineName);
                if (stations.FirstOrDefault(s => s.Lana == station.Lana) is not null)
                {
                    throw Error(entries[i].GetSection("Lana"), $"LANA {station.Lana} is given twice: each station needs its own");
                }

                // The UDP services bind the wildcard address (to receive broadcasts), so two stations cannot share a port.
                foreach (var (key, port) in new[] { ("NameServicePort", station.NameServicePort), ("DatagramPort", station.DatagramPort) })
                {
                    if (stations.Any(s => s.NameServicePort == port || s.DatagramPort == port))
                    {
                        throw Error(entries[i].GetSection(key), $"UDP port {port} is already used by another station (each station binds its UDP ports on all addresses): give each its own");
                    }
                }

                stations.Add(station);
            }

            return stations;
        }

        private StationSettings Station(IConfigurationSection? section, int position, string machineName)
        {
            if (section is null)
            {
                return new StationSettings { Lana = 0, HostNames = HostNames(null, DefaultHostName(machineName), null) };
            }

            CheckKeys(section.GetChildren(), StationKeys);
            var lana = Int(section.GetSection("Lana"), 0, 254, "a LANA number from 0 to 254") ?? position;
            if (lana > 254)
            {
                throw Error(section, $"LANA {lana} (its position in the list): give Lana, 0 to 254");
            }

            string? scope = Text(section.GetSection("Scope"));
            if (scope is not null && NetBiosName.ValidateScope(scope) is { } scopeError)
            {
                throw Error(section.GetSection("Scope"), scopeError);
            }

            int nameServicePort = Int(section.GetSection("NameServicePort"), 1, 65535, "a UDP port from 1 to 65535") ?? 137;
            var wins = new List<IPEndPoint>();
            foreach (var item in Items(section.GetSection("Wins"), "name server"))
            {
                wins.Add(EndPoint(item, nameServicePort));
            }

            var nodeTypeSection = section.GetSection("NodeType");
            NodeType? nodeType = Text(nodeTypeSection)?.ToUpperInvariant() switch
            {
                null => null,
                "B" => NodeType.B,
                "P" => NodeType.P,
                "M" => NodeType.M,
                "H" => NodeType.H,
                _ => throw Error(nodeTypeSection, $"'{nodeTypeSection.Value}' is not a node type: give B, P, M or H"),
            };
            var nameSection = section.GetSection("Name");
            string hostName = Text(nameSection) ?? DefaultHostName(machineName);
            return new StationSettings
            {
                Lana = (byte)lana,
                Interface = Text(section.GetSection("Interface")),
                NodeType = nodeType,
                Wins = wins,
                Scope = scope,
                Lmhosts = Text(section.GetSection("Lmhosts")),
                NameServicePort = nameServicePort,
                DatagramPort = Int(section.GetSection("DatagramPort"), 1, 65535, "a UDP port from 1 to 65535") ?? 138,
                SessionPort = Int(section.GetSection("SessionPort"), 1, 65535, "a TCP port from 1 to 65535") ?? 139,
                AcceptSessions = Bool(section.GetSection("AcceptSessions")) ?? true,
                Name = hostName,
                HostNames = HostNames(nameSection, hostName, scope),
                Groups = [.. Items(section.GetSection("Groups"), "group").Select(g => Name(g, 0x00, scope))],
                Names = [.. Items(section.GetSection("Names"), "name").Select(n => Name(n, 0x00, scope))],
            };

        }

        private List<NetBiosName> HostNames(IConfigurationSection? section, string? hostName, string? scope)
        {
            if (string.IsNullOrEmpty(hostName))
            {
                return [];
            }

            var names = new List<NetBiosName>();
            foreach (byte suffix in new byte[] { 0x00, 0x03, 0x20 })
            {
                if (!NetBiosName.TryParse(hostName, suffix, scope, NetBiosNameOptions.UpperCase, out var name, out string? error))
                {
                    throw section is null
                        ? new NbtdConfigurationException($"this machine's name '{hostName}' is not a NetBIOS name ({error}): give Stations:0:Name")
                        : Error(section, $"'{hostName}' is not a NetBIOS name: {error}");
                }

                names.Add(name.WithSuffix(suffix));
            }

            return names;
        }

        public WinsServerSettings ReadWins(IConfigurationSection section, List<StationSettings> stations)
        {
            CheckKeys(section.GetChildren(), WinsKeys);
            bool enabled = Bool(section.GetSection("Enabled")) ?? false;
            byte? lana = Int(section.GetSection("Lana"), 0, 254, "a LANA number from 0 to 254") is int l ? (byte)l : null;
            if (enabled && lana is { } wanted && stations.All(s => s.Lana != wanted))
            {
                throw Error(section.GetSection("Lana"), $"no station has LANA {wanted}");
            }

            string? database = Text(section.GetSection("Database"));
            string? url = Text(section.GetSection("DatabaseUrl"));
            if (database is not null && url is not null)
            {
                throw Error(section.GetSection("DatabaseUrl"), "give Database or DatabaseUrl, not both");
            }

            if (database is not null && database.AsSpan().ContainsAny("\0\n\r"))
            {
                throw Error(section.GetSection("Database"), "not a file path (or :memory:)");
            }

            var settings = new WinsServerSettings
            {
                Enabled = enabled,
                Lana = lana,
                Database = database,
                DatabaseUrl = url,
                Hook = Text(section.GetSection("Hook")),
                MinTtl = Int(section.GetSection("MinTtl"), 1, int.MaxValue, "a number of seconds, at least 1") is int min ? TimeSpan.FromSeconds(min) : null,
                MaxTtl = Int(section.GetSection("MaxTtl"), 1, int.MaxValue, "a number of seconds, at least 1") is int max ? TimeSpan.FromSeconds(max) : null,
            };
            try
            {
                ToServerOptions(settings).Validate();
            }
            catch (ArgumentException ex)
            {
                throw Error(section.GetSection(settings.MaxTtl is null ? "MinTtl" : "MaxTtl"), ex.Message.Split(" (Parameter")[0]);
            }

            // A P-, M- or H-node without Wins needs the server on its own station.
            byte host = lana ?? stations[0].Lana;
            foreach (var station in stations)
            {
                var effective = station.NodeType ?? NodeType.B;
                if (effective != NodeType.B && station.Wins.Count == 0 && !(enabled && station.Lana == host))
                {
                    var index = stations.IndexOf(station);
                    throw new NbtdConfigurationException(
                        $"Stations:{index}:NodeType: a {effective}-node needs a name server: give Stations:{index}:Wins or run the WINS server on this station"
                        + sources.Origin($"Stations:{index}:NodeType"));
                }
            }

            return settings;
        }

        /// <summary>The <c>Ipc</c> section: the local socket, its limits and the access policy (docs/IPC.md).</summary>
        public NetBiosDaemonServerOptions ReadIpc(IConfigurationSection section)
        {
            CheckKeys(section.GetChildren(), IpcKeys);
            var options = new NetBiosDaemonServerOptions();
            options.SocketPath = Text(section.GetSection("SocketPath")) ?? options.SocketPath;
            options.SocketMode = Text(section.GetSection("SocketMode")) ?? options.SocketMode;
            options.SocketGroup = Text(section.GetSection("SocketGroup"));
            options.MaxClients = Int(section.GetSection("MaxClients"), 1, 65536, "a number of clients from 1 to 65536") ?? options.MaxClients;
            options.MaxPendingNcbsPerClient = Int(section.GetSection("MaxPendingNcbsPerClient"), 1, 65536, "a number from 1 to 65536")
                ?? options.MaxPendingNcbsPerClient;
            var policy = section.GetSection("AccessPolicy");
            CheckKeys(policy.GetChildren(), AccessKeys);
            options.AccessPolicy.AddNames = Rule(policy.GetSection("AddNames"), options.AccessPolicy.AddNames);
            options.AccessPolicy.Listen = Rule(policy.GetSection("Listen"), options.AccessPolicy.Listen);
            options.AccessPolicy.SendBroadcasts = Rule(policy.GetSection("SendBroadcasts"), options.AccessPolicy.SendBroadcasts);
            options.AccessPolicy.EditWins = Rule(policy.GetSection("EditWins"), options.AccessPolicy.EditWins);
            options.AccessPolicy.ManageStation = Rule(policy.GetSection("ManageStation"), options.AccessPolicy.ManageStation);
            try
            {
                options.Validate();
            }
            catch (ArgumentException ex)
            {
                throw Error(section.GetSection(ex.ParamName ?? "SocketPath"), ex.Message.Split(" (Parameter")[0]);
            }

            return options;
        }

        /// <summary>One access rule: <c>Everyone</c>, or the listed <c>UserIds</c> and <c>GroupIds</c> (numbers; root always may).
        /// An absent rule keeps the default.</summary>
        private NetBiosDaemonAccessRule Rule(IConfigurationSection section, NetBiosDaemonAccessRule defaultRule)
        {
            if (!section.Exists())
            {
                return defaultRule;
            }

            CheckKeys(section.GetChildren(), RuleKeys);
            var rule = new NetBiosDaemonAccessRule { Everyone = Bool(section.GetSection("Everyone")) ?? false };
            foreach (var (key, ids) in new[] { ("UserIds", rule.UserIds), ("GroupIds", rule.GroupIds) })
            {
                foreach (var item in Items(section.GetSection(key), "id"))
                {
                    ids.Add(uint.TryParse(item.Value?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out uint id)
                        ? id
                        : throw Error(item, $"'{item.Value}' is not a numeric {(key == "UserIds" ? "uid" : "gid")}"));
                }
            }

            return rule;
        }

        public int? Int(IConfigurationSection section, int min, int max, string what)
        {
            if (section.Value is null)
            {
                return NoChildren(section) ? null : throw Error(section, $"give {what}, not a section");
            }

            return int.TryParse(section.Value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
                ? value
                : throw Error(section, $"'{section.Value}' is not {what}");
        }

        public bool? Bool(IConfigurationSection section)
        {
            if (section.Value is null)
            {
                return NoChildren(section) ? null : throw Error(section, "give true or false, not a section");
            }

            return bool.TryParse(section.Value.Trim(), out bool value) ? value : throw Error(section, $"'{section.Value}' is not true or false");
        }

        /// <summary>A text value, trimmed; an empty value is the same as none (the default).</summary>
        public string? Text(IConfigurationSection section) =>
            section.Value is not null || NoChildren(section)
                ? (string.IsNullOrWhiteSpace(section.Value) ? null : section.Value.Trim())
                : throw Error(section, "give a value, not a section");

        /// <summary>A list: a JSON array (children 0, 1, ...) or, for convenience, one value.</summary>
        public List<IConfigurationSection> Items(IConfigurationSection section, string what)
        {
            if (section.Value is { } single)
            {
                return single.Length == 0 ? [] : [section];
            }

            var items = new List<(int Index, IConfigurationSection Section)>();
            foreach (var child in section.GetChildren())
            {
                if (!int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
                {
                    throw Error(child, $"unknown key: {section.Key} is a list, each {what} under {section.Path}:0, {section.Path}:1, ...");
                }

                items.Add((index, child));
            }

            return [.. items.OrderBy(i => i.Index).Select(i => i.Section)];
        }

        private IPEndPoint EndPoint(IConfigurationSection section, int defaultPort)
        {
            string text = section.Value ?? throw Error(section, "give an IPv4 address[:port]");
            string host = text.Trim();
            int port = defaultPort;
            int colon = host.LastIndexOf(':');
            if (colon >= 0)
            {
                if (!int.TryParse(host.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
                {
                    throw Error(section, $"'{text}': the port must be a number from 1 to 65535");
                }

                host = host[..colon];
            }

            var parts = host.Split('.');
            return parts.Length == 4 && parts.All(p => p.Length is > 0 and <= 3 && byte.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                ? new IPEndPoint(IPAddress.Parse(host), port)
                : throw Error(section, $"'{text}' is not an IPv4 address[:port]");
        }

        private NetBiosName Name(IConfigurationSection section, byte defaultSuffix, string? scope)
        {
            string text = section.Value ?? throw Error(section, "give a NetBIOS name");
            return NetBiosName.TryParse(text.Trim(), defaultSuffix, scope, NetBiosNameOptions.UpperCase, out var name, out string? error)
                ? name
                : throw Error(section, $"'{text}' is not a NetBIOS name: {error}");
        }

        private static bool NoChildren(IConfigurationSection section) => !section.GetChildren().Any();

        private static int Distance(string a, string b)
        {
            var previous = new int[b.Length + 1];
            var current = new int[b.Length + 1];
            for (int j = 0; j <= b.Length; j++)
            {
                previous[j] = j;
            }

            for (int i = 1; i <= a.Length; i++)
            {
                current[0] = i;
                for (int j = 1; j <= b.Length; j++)
                {
                    current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                }

                (previous, current) = (current, previous);
            }

            return previous[b.Length];
        }
    }

    /// <summary>The WINS server's options from the settings (the own address and challenge port are set when bound).</summary>
    /// <param name="settings">The settings.</param>
    public static WinsServerOptions ToServerOptions(WinsServerSettings settings)
    {
        var options = new WinsServerOptions { HookProgram = settings.Hook };
        if (settings.MinTtl is { } min)
        {
            options.MinimumTtl = min;
        }

        if (settings.MaxTtl is { } max)
        {
            options.MaximumTtl = max;
        }

        return options;
    }
}
