namespace Nbt.Cli;

/// <summary>The examples each command's <c>--help</c> ends with (kept true by <c>HelpTests</c>: each one parses).</summary>
internal static class HelpExamples
{
    /// <summary>How names are typed, shown under every command that takes one.</summary>
    public const string NameRules =
        "Names: NAME, NAME#xx or NAME<XX> (xx the suffix in hex). Printable ASCII is taken literally; write any other byte as \\xNN,\n"
        + "e.g. CAF\\xC9 or \\x01\\x02__MSBROWSE__\\x02#01. Results show such bytes as nmblookup does, each as a '.' (errors and JSON's \"bytes\" keep them exact).";

    private static readonly Dictionary<string, string[]> s_examples = new(StringComparer.Ordinal)
    {
        [""] =
        [
            "nbt query FILESRV                      resolve FILESRV<00>",
            "nbt status 192.168.1.10                 a node's names (nbtstat -A)",
            "nbt node --name DEMO --group WORKGROUP  run a node until Ctrl-C",
            "nbt <command> --help                    a command's options and examples",
        ],
        ["node"] =
        [
            "nbt node --name DEMO --group WORKGROUP",
            "nbt node --name DEMO --add 'DEMO#1F' --node-type H --wins 10.0.0.2",
            "nbt node --name WINS1 --wins-server --database /var/lib/nbt/wins.db",
            "nbt node --name DEMO --port 10137 --datagram-port 10138 --session-port 10139 --allow-partial",
        ],
        ["query"] =
        [
            "nbt query FILESRV                       broadcast (or the configured resolve order)",
            "nbt query FILESRV 'PRINTER#20' -B 192.168.1.255",
            "nbt query FILESRV#20 --unicast 10.0.0.5 --timeout 2",
            "nbt query FILESRV --server 10.0.0.2 --json",
            "nbt query WORKGROUP --master-browser    the group's master browser (nmblookup -M)",
            "nbt query FILESRV --reverse             also the DNS name of each address (nmblookup -T)",
            "nbt query FILESRV --source-port-137     ask from UDP 137 (nmblookup -r; needs root)",
        ],
        ["status"] =
        [
            "nbt status 192.168.1.10",
            "nbt status FILESRV --format nbtstat",
            "nbt status 10.0.0.5 --json",
        ],
        ["register"] =
        [
            "nbt register 'MYSERVICE#20'             through nbtd: held by the daemon until `nbt release`",
            "nbt register 'MYSERVICE#20' --wins 10.0.0.2 --node-type P",
            "nbt register TEAM --group",
            "NBT_DAEMON=off nbt register PROBE       once, with an own station, even when nbtd runs",
        ],
        ["release"] =
        [
            "nbt release 'MYSERVICE#20'              through nbtd: a name the daemon holds",
            "nbt release 'MYSERVICE#20' --wins 10.0.0.2 --node-type P",
            "nbt release OLDNAME --force             broadcast a release of a name no node here holds",
        ],
        ["names"] =
        [
            "nbt names                               every name of nbtd's stations (nbtstat -n)",
            "nbt names --lana 1 --json",
            "NBT_DAEMON=/tmp/nbtd.sock nbt names     the daemon on that socket",
        ],
        ["sessions"] = ["nbt sessions                            nbtd's sessions (nbtstat -s)", "nbt sessions --json"],
        ["cache"] =
        [
            "nbt cache                               nbtd's name cache (nbtstat -c)",
            "sudo nbt cache --purge                  empty it, reload LMHOSTS #PRE (nbtstat -R)",
            "nbt cache --lana 0 --json",
        ],
        ["stats"] = ["nbt stats                               nbtd's counters by LANA (nbtstat -r)", "nbt stats --json"],
        ["send"] =
        [
            "nbt send BOB hello --from ALICE",
            "nbt send TEAM hello-all --group",
            "nbt send --broadcast to-everyone",
            "nbt send BOB 68656c6c6f --hex",
        ],
        ["listen"] =
        [
            "nbt listen BOB --broadcast",
            "nbt listen BOB --count 1 --timeout 30 --json",
        ],
        ["chat"] = ["nbt chat BOB --group CHATTERS"],
        ["call"] =
        [
            "nbt call ECHOSRV --from CALLER",
            "nbt call FILESRV --address 10.0.0.5 --binary < request.bin > reply.bin",
        ],
        ["serve"] = ["nbt serve ECHOSRV --from CALLER"],
        ["decode"] =
        [
            "nbt decode capture.pcapng",
            "nbt decode capture.pcap --json",
            "echo 'ab cd 01 10 00 01 00 00 00 00 00 00 20 45 45 45 46 ...' | nbt decode --protocol nbns",
        ],
        ["wins"] = ["nbt wins list", "nbt wins show 'FILESRV#20'", "nbt wins delete OLDNAME"],
        ["wins list"] = ["nbt wins list --database /var/lib/nbt/wins.db", "nbt wins list --database-url postgres://nbt@db/wins --json"],
        ["wins show"] = ["nbt wins show 'FILESRV#20'", "nbt wins show FILESRV --json"],
        ["wins delete"] = ["nbt wins delete OLDNAME"],
    };

    private static readonly HashSet<string> s_namesTaken = new(StringComparer.Ordinal)
    {
        "node", "query", "status", "register", "release", "send", "listen", "chat", "call", "serve", "wins show", "wins delete",
    };

    /// <summary>The examples of a command (path such as <c>wins list</c>; empty for nbt itself), or null.</summary>
    public static IReadOnlyList<string>? For(string path) => s_examples.GetValueOrDefault(path);

    /// <summary>Every command path with examples.</summary>
    public static IEnumerable<string> Paths => s_examples.Keys;

    /// <summary>Whether the command takes NetBIOS names (its help shows <see cref="NameRules"/>).</summary>
    public static bool TakesNames(string path) => s_namesTaken.Contains(path);
}
