using System.Net;
using System.Net.Sockets;
using NetBios.NameService;
using NetBios.Transport;
using NetBios.Wire.NameService;
using Xunit;

namespace NetBios.Tests.NameService;

/// <summary>
/// Issue 18: a burst of requests that reaches the node's socket at once is taken by the receive thread in batches
/// (recvmmsg) and answered with batched sends (sendmmsg): every request gets its answer, from the address it was sent
/// to, on the fast path (name queries) and the decoded path (a node status request in the middle). Real sockets on
/// loopback (127.0.0.3 is a second local address on Linux).
/// </summary>
public sealed class NameServiceBurstTests
{
    [Fact]
    public async Task ABurstOfQueries_EveryOneAnswered_EachFromTheAddressItWasSentTo()
    {
        Assert.SkipUnless(LinuxUdp.IsSupported, "recvmmsg/sendmmsg receive thread: 64-bit Linux only.");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(20));
        var name = NetBiosName.Create("BURSTNODE", 0x20);
        var transport = UdpDatagramTransport.Bind(new UdpTransportOptions { Address = IPAddress.Any, Port = 0 });
        await using var node = new NameServiceNode(transport, IPAddress.Loopback, IPAddress.Parse("127.255.255.255"), new NameServiceOptions
        {
            RemotePort = 9,
            BroadcastRetryTimeout = TimeSpan.FromMilliseconds(50),
        });
        node.Start();
        Assert.True((await node.RegisterAsync(name, cancellationToken: cts.Token)).Succeeded);

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.ReceiveBufferSize = 1 << 20;
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var first = new IPEndPoint(IPAddress.Loopback, node.LocalEndPoint.Port);
        var third = new IPEndPoint(IPAddress.Parse("127.0.0.3"), node.LocalEndPoint.Port);
        const int Count = 100;
        const ushort StatusId = 0x7000 + 50;
        var sentTo = new Dictionary<ushort, IPEndPoint>();
        for (int i = 0; i < Count; i++)
        {
            ushort id = (ushort)(0x7000 + i);
            var to = i % 3 == 0 ? third : first;
            var request = id == StatusId
                ? NameServicePacket.CreateNodeStatusRequest(id, NetBiosName.Wildcard)
                : NameServicePacket.CreateNameQueryRequest(id, name, recursionDesired: false, broadcast: false);
            sentTo[id] = to;
            client.SendTo(request.ToArray(), to); // synchronous sends in a row: the node's socket holds many at once
        }

        var buffer = new byte[1024];
        for (int i = 0; i < Count; i++)
        {
            var received = await client.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), cts.Token);
            Assert.True(NameServicePacket.TryDecode(buffer.AsSpan(0, received.ReceivedBytes), out var answer, out _));
            ushort id = answer.Header.TransactionId;
            Assert.True(sentTo.Remove(id, out var to), $"unexpected or repeated answer {id:X4}");
            Assert.Equal(to, received.RemoteEndPoint);
            Assert.Equal(id == StatusId ? NameServicePacketKind.NodeStatusResponse : NameServicePacketKind.PositiveQueryResponse, answer.Kind);
        }

        Assert.Empty(sentTo);
    }
}
