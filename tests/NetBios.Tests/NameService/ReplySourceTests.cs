using System.Net;
using System.Net.Sockets;
using NetBios.NameService;
using NetBios.Transport;
using NetBios.Wire.NameService;
using Xunit;

namespace NetBios.Tests.NameService;

/// <summary>
/// Issue 14 (b): a node bound to 0.0.0.0:137 answers from the address the request was sent to, on the fast path (a
/// plain name query), the decoded path (node status) and the endpoint's own negative answer. Real sockets on loopback:
/// every address of 127.0.0.0/8 is local on Linux, so a request to 127.0.0.3 is the second-address case (routing alone
/// would answer it from 127.0.0.1). The namespace version with nmblookup is ReplySourceInteropTests.
/// </summary>
public sealed class ReplySourceTests
{
    private static readonly IPAddress Third = IPAddress.Parse("127.0.0.3");

    private static async Task<NameServiceNode> StartNodeAsync(NetBiosName name)
    {
        var transport = UdpDatagramTransport.Bind(new UdpTransportOptions { Address = IPAddress.Any, Port = 0 });
        var node = new NameServiceNode(transport, IPAddress.Loopback, IPAddress.Parse("127.255.255.255"), new NameServiceOptions
        {
            RemotePort = 9,
            BroadcastRetryTimeout = TimeSpan.FromMilliseconds(50),
        });
        node.Start();
        Assert.True((await node.RegisterAsync(name, cancellationToken: TestContext.Current.CancellationToken)).Succeeded);
        return node;
    }

    private static async Task<(NameServicePacket Answer, IPEndPoint From)> AskAsync(Socket client, NameServicePacket request, IPEndPoint to)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(10));
        await client.SendToAsync(request.ToArray(), to, cts.Token);
        var buffer = new byte[1024];
        var received = await client.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), cts.Token);
        Assert.True(NameServicePacket.TryDecode(buffer.AsSpan(0, received.ReceivedBytes), out var answer, out _));
        return (answer, (IPEndPoint)received.RemoteEndPoint);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.3")]
    public async Task Answers_LeaveFromTheAddressTheRequestWasSentTo(string address)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && Environment.Is64BitProcess, "IP_PKTINFO: 64-bit Linux (elsewhere routing picks the source).");
        var name = NetBiosName.Create("REPLYSRC", 0x20);
        await using var node = await StartNodeAsync(name);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var to = new IPEndPoint(IPAddress.Parse(address), node.LocalEndPoint.Port);

        var (query, queryFrom) = await AskAsync(client, NameServicePacket.CreateNameQueryRequest(0x1234, name, recursionDesired: false, broadcast: false), to);
        var (status, statusFrom) = await AskAsync(client, NameServicePacket.CreateNodeStatusRequest(0x1235, NetBiosName.Wildcard), to);
        var (missing, missingFrom) = await AskAsync(client, NameServicePacket.CreateNameQueryRequest(0x1236, NetBiosName.Create("NOBODY", 0x20), recursionDesired: false, broadcast: false), to);

        Assert.Equal(NameServicePacketKind.PositiveQueryResponse, query.Kind);
        Assert.Equal(to, queryFrom);
        Assert.Equal(NameServicePacketKind.NodeStatusResponse, status.Kind);
        Assert.Equal(to, statusFrom);
        Assert.Equal(NameServicePacketKind.NegativeQueryResponse, missing.Kind);
        Assert.Equal(to, missingFrom);
    }
}
