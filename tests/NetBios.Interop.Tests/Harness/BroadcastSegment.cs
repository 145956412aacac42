using System.Globalization;

namespace NetBios.Interop.Tests.Harness;

/// <summary>
/// Network namespaces for one test class: a bridge namespace and N hosts, each with eth0 on one /24 broadcast
/// segment. Every veth is created inside one of our namespaces with its peer moved straight into another, so nothing
/// appears in the root namespace; IPv6 is off. Names and the subnet are unique per process (10.231.K.0/24).
/// </summary>
public sealed class BroadcastSegment : IAsyncDisposable
{
    private static int s_counter;

    private BroadcastSegment(string prefix, int subnet, int hosts)
    {
        Prefix = prefix;
        Subnet = subnet;
        Hosts = Enumerable.Range(1, hosts).Select(i => new Host($"{prefix}h{i}", $"10.231.{subnet}.{i}")).ToList();
    }

    public string Prefix { get; }

    public int Subnet { get; }

    public string BroadcastAddress => $"10.231.{Subnet}.255";

    public IReadOnlyList<Host> Hosts { get; }

    private string Bridge => $"{Prefix}br";

    public static async Task<BroadcastSegment> CreateAsync(int hosts)
    {
        int n = Interlocked.Increment(ref s_counter);
        int pid = Environment.ProcessId;
        string prefix = string.Create(CultureInfo.InvariantCulture, $"nbt{pid}x{n}");
        int subnet = 20 + ((pid * 7 + n) % 200);
        var segment = new BroadcastSegment(prefix, subnet, hosts);
        await CleanStaleAsync();
        try
        {
            await segment.SetUpAsync();
        }
        catch
        {
            await segment.DisposeAsync();
            throw;
        }

        return segment;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (string ns in Hosts.Select(h => h.Namespace).Append(Bridge))
        {
            await Shell.RunAsync($"for p in $(ip netns pids {ns} 2>/dev/null); do kill -9 $p; done; ip netns del {ns} 2>/dev/null; true", TimeSpan.FromSeconds(10));
        }
    }

    private async Task SetUpAsync()
    {
        await Shell.CheckAsync($"ip netns add {Bridge} && ip -n {Bridge} link set lo up && " +
            $"ip -n {Bridge} link add br0 type bridge forward_delay 0 stp_state 0 && ip -n {Bridge} link set br0 up");
        int i = 0;
        foreach (var host in Hosts)
        {
            i++;
            await Shell.CheckAsync(
                $"ip netns add {host.Namespace} && ip -n {host.Namespace} link set lo up && " +
                $"ip netns exec {host.Namespace} sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 && " +
                $"ip -n {host.Namespace} link add eth0 type veth peer name v{i} netns {Bridge} && " +
                $"ip -n {Bridge} link set v{i} master br0 && ip -n {Bridge} link set v{i} up && " +
                $"ip -n {host.Namespace} addr add {host.Address}/24 brd + dev eth0 && ip -n {host.Namespace} link set eth0 up");
        }
    }

    /// <summary>Deletes namespaces left by an earlier run of this harness whose process is gone.</summary>
    private static async Task CleanStaleAsync()
    {
        string list = (await Shell.RunAsync("ip netns list", TimeSpan.FromSeconds(5))).StdOut;
        foreach (string line in list.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string name = line.Split(' ')[0];
            if (!name.StartsWith("nbt", StringComparison.Ordinal) || !name.Contains('x', StringComparison.Ordinal))
            {
                continue;
            }

            string pidText = name[3..name.IndexOf('x', StringComparison.Ordinal)];
            if (int.TryParse(pidText, CultureInfo.InvariantCulture, out int pid) && !Directory.Exists($"/proc/{pid}"))
            {
                await Shell.RunAsync($"for p in $(ip netns pids {name} 2>/dev/null); do kill -9 $p; done; ip netns del {name}", TimeSpan.FromSeconds(10));
            }
        }
    }

    /// <summary>One host of the segment.</summary>
    public sealed record Host(string Namespace, string Address)
    {
        /// <summary>Runs a command inside the host's namespace.</summary>
        public Task<CommandResult> RunAsync(string command, TimeSpan? timeout = null) =>
            Shell.RunAsync("ip", ["netns", "exec", Namespace, "/bin/bash", "-c", command], timeout ?? TimeSpan.FromSeconds(60));

        /// <summary>Starts a long-running command inside the host's namespace.</summary>
        public BackgroundProcess Start(params string[] args) => new("ip", ["netns", "exec", Namespace, .. args]);
    }
}
