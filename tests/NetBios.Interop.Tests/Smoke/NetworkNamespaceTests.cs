using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NetBios.Interop.Tests.Harness;
using Xunit;

namespace NetBios.Interop.Tests.Smoke;

/// <summary>Proves the namespace plumbing itself: commands, setns-based sockets, topologies, cleanup.</summary>
[Trait("Category", "Interop")]
public sealed class NetworkNamespaceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Enter_SocketsInTwoNamespacesOnVethPair_ExchangeDatagram()
    {
        InteropRequirements.Require(InteropRequirements.Root, InteropRequirements.Ip);
        var ct = TestContext.Current.CancellationToken;
        var sw = Stopwatch.StartNew();
        await using var a = await NetworkNamespace.CreateAsync("veth-a", ct);
        await using var b = await NetworkNamespace.CreateAsync("veth-b", ct);
        (await a.IpAsync(["link", "add", "va", "type", "veth", "peer", "name", "vb", "netns", b.Name], ct)).EnsureSuccess();
        (await a.IpAsync(["addr", "add", "10.97.1.1/24", "dev", "va"], ct)).EnsureSuccess();
        (await b.IpAsync(["addr", "add", "10.97.1.2/24", "dev", "vb"], ct)).EnsureSuccess();
        (await a.IpAsync(["link", "set", "va", "up"], ct)).EnsureSuccess();
        (await b.IpAsync(["link", "set", "vb", "up"], ct)).EnsureSuccess();
        output.WriteLine($"two namespaces + veth in {sw.ElapsedMilliseconds} ms");

        using var receiver = a.Enter(() =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(IPAddress.Parse("10.97.1.1"), 40137));
            return s;
        });
        using var sender = b.Enter(() =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(IPAddress.Parse("10.97.1.2"), 0));
            return s;
        });

        // 10.97.1.1 does not exist in the root namespace: only the veth between a and b can carry this.
        await sender.SendToAsync("ping"u8.ToArray(), new IPEndPoint(IPAddress.Parse("10.97.1.1"), 40137), ct);
        var buffer = new byte[64];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30)); // a bound on a loaded machine, not an expected delay
        var got = await receiver.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), timeout.Token);

        Assert.Equal("ping"u8.ToArray(), buffer[..got.ReceivedBytes]);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.97.1.2"), ((IPEndPoint)sender.LocalEndPoint!).Port), got.RemoteEndPoint);
    }

    [Fact]
    public async Task Dispose_KillsEveryProcessAndDeletesNamespace()
    {
        InteropRequirements.Require(InteropRequirements.Root, InteropRequirements.Ip);
        var ct = TestContext.Current.CancellationToken;
        var ns = await NetworkNamespace.CreateAsync("dispose", ct);
        string name = ns.Name;
        int pid;
        try
        {
            var daemon = ns.StartProcess("sleep", ["300"]);
            pid = daemon.Pid;
            var r = await ns.RunAsync("ip", "-br", "link");
            Assert.Contains("lo", r.EnsureSuccess().StdOut, StringComparison.Ordinal);
            Assert.Contains(pid, await ns.PidsAsync(ct));
        }
        finally
        {
            await ns.DisposeAsync();
        }

        Assert.False(File.Exists("/run/netns/" + name));
        Assert.False(Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BroadcastSegment_HostsSeeEachOthersBroadcast()
    {
        InteropRequirements.Require(InteropRequirements.Root, InteropRequirements.Ip);
        var ct = TestContext.Current.CancellationToken;
        await using var segment = await BroadcastSegment.CreateAsync(3, ct);

        var sockets = segment.Hosts.Select(h => h.Namespace.Enter(() =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { EnableBroadcast = true };
            s.Bind(new IPEndPoint(IPAddress.Any, 40138));
            return s;
        })).ToList();
        try
        {
            await sockets[0].SendToAsync("hello"u8.ToArray(), new IPEndPoint(segment.Broadcast, 40138), ct);
            foreach (var receiver in sockets.Skip(1))
            {
                var buffer = new byte[16];
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(30)); // a bound on a loaded machine, not an expected delay
                var got = await receiver.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
                Assert.Equal(segment[1].Address, ((IPEndPoint)got.RemoteEndPoint).Address);
            }
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }
    }
}
