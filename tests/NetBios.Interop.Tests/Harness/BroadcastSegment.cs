using System.Diagnostics;
using System.Net;

namespace NetBios.Interop.Tests.Harness;

/// <summary>One host on a <see cref="BroadcastSegment"/>.</summary>
/// <param name="Index">1-based host number (also the last octet of its address).</param>
/// <param name="Namespace">The host's namespace (lo + eth0).</param>
/// <param name="Interface">Interface name inside <paramref name="Namespace"/>: <c>eth0</c>.</param>
/// <param name="Address">IPv4 address on eth0.</param>
/// <param name="Mask">Subnet mask (255.255.255.0).</param>
/// <param name="Broadcast">Directed broadcast address of the segment.</param>
/// <param name="PrefixLength">24.</param>
public sealed record SegmentHost(int Index, NetworkNamespace Namespace, string Interface, IPAddress Address, IPAddress Mask,
    IPAddress Broadcast, int PrefixLength)
{
    /// <summary>"ADDRESS/PREFIX" — the form Samba's <c>interfaces =</c> wants.</summary>
    public string InterfaceSpec => $"{Address}/{PrefixLength}";
}

/// <summary>
/// An Ethernet broadcast domain: namespace <see cref="Bridge"/> holds bridge <c>br0</c> (STP off,
/// forward_delay 0, no address) and N host namespaces each have <c>eth0</c> = 10.231.K.i/24 whose veth
/// peer <c>pI</c> is a port of br0. Every veth is created inside a host namespace with its peer moved
/// straight into the bridge namespace — nothing ever appears in the root namespace (docs/INTEROP.md §3).
/// </summary>
public sealed class BroadcastSegment : IAsyncDisposable
{
    private BroadcastSegment(NetworkNamespace bridge, IReadOnlyList<SegmentHost> hosts, IPAddress network)
    {
        Bridge = bridge;
        Hosts = hosts;
        Network = network;
    }

    /// <summary>Namespace holding br0 and the host-side ports.</summary>
    public NetworkNamespace Bridge { get; }

    /// <summary>The hosts, index 0 = host 1 (address .1).</summary>
    public IReadOnlyList<SegmentHost> Hosts { get; }

    /// <summary>Network address (10.231.K.0).</summary>
    public IPAddress Network { get; }

    /// <summary>255.255.255.0.</summary>
    public IPAddress Mask { get; } = IPAddress.Parse("255.255.255.0");

    /// <summary>Directed broadcast (10.231.K.255).</summary>
    public IPAddress Broadcast => Hosts[0].Broadcast;

    /// <summary>Host by 1-based number.</summary>
    public SegmentHost this[int index] => Hosts[index - 1];

    /// <summary>Creates the bridge and <paramref name="hosts"/> hosts (1..250) on a fresh 10.231.K.0/24.</summary>
    public static async Task<BroadcastSegment> CreateAsync(int hosts, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hosts, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hosts, 250);
        var sw = Stopwatch.StartNew();
        var k = Subnets.NextOctet();
        var network = IPAddress.Parse($"10.231.{k}.0");
        var broadcast = IPAddress.Parse($"10.231.{k}.255");
        var mask = IPAddress.Parse("255.255.255.0");
        var created = new List<NetworkNamespace>();
        try
        {
            var bridge = await NetworkNamespace.CreateAsync("bridge", cancellationToken);
            created.Add(bridge);
            (await bridge.IpAsync(["link", "add", "br0", "type", "bridge", "stp_state", "0", "forward_delay", "0"], cancellationToken)).EnsureSuccess();
            (await bridge.IpAsync(["link", "set", "br0", "up"], cancellationToken)).EnsureSuccess();

            var list = new SegmentHost[hosts];
            await Task.WhenAll(Enumerable.Range(1, hosts).Select(async i =>
            {
                var ns = await NetworkNamespace.CreateAsync($"host{i}", cancellationToken);
                lock (created)
                {
                    created.Add(ns);
                }

                var port = $"p{i}";
                var address = IPAddress.Parse($"10.231.{k}.{i}");
                // veth created inside the host namespace, peer placed straight into the bridge namespace.
                (await ns.IpAsync(["link", "add", "eth0", "type", "veth", "peer", "name", port, "netns", bridge.Name], cancellationToken)).EnsureSuccess();
                (await bridge.IpAsync(["link", "set", port, "master", "br0", "up"], cancellationToken)).EnsureSuccess();
                (await ns.IpAsync(["addr", "add", $"{address}/24", "broadcast", broadcast.ToString(), "dev", "eth0"], cancellationToken)).EnsureSuccess();
                (await ns.IpAsync(["link", "set", "eth0", "up"], cancellationToken)).EnsureSuccess();
                list[i - 1] = new SegmentHost(i, ns, "eth0", address, mask, broadcast, 24);
            }));

            HarnessLog.Write($"BroadcastSegment {network}/24: bridge {bridge.Name}, hosts {string.Join(", ", list.Select(h => $"{h.Namespace.Name}={h.Address}"))} in {sw.ElapsedMilliseconds} ms");
            return new BroadcastSegment(bridge, list, network);
        }
        catch
        {
            await Task.WhenAll(created.Select(n => n.DisposeAsync().AsTask()));
            throw;
        }
    }

    /// <summary>Deletes the host namespaces (their veths vanish with them), then the bridge namespace.</summary>
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Hosts.Select(h => h.Namespace.DisposeAsync().AsTask()));
        await Bridge.DisposeAsync();
    }
}
