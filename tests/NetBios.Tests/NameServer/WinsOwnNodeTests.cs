using System.Net;
using Microsoft.Extensions.Time.Testing;
using NetBios.NameServer;
using NetBios.NameService;
using NetBios.Transport;
using NetBios.Wire.NameService;
using Xunit;

namespace NetBios.Tests.NameServer;

/// <summary>
/// A node and the WINS server on one endpoint (one UDP socket), as <c>nbt node --wins-server</c> runs them: the node
/// registers, refreshes and releases with the server at its own address, and the server never gives the node's names away.
/// </summary>
public sealed class WinsOwnNodeTests
{
    private static readonly NetBiosName Host = NetBiosName.Create("WINSHOST", 0x20);

    private static (NameServiceEndpoint Endpoint, NameServiceNode Node, WinsServer Server, InMemoryWinsStore Store) Start(FakeTimeProvider? time = null, NodeType type = NodeType.P)
    {
        var transport = UdpDatagramTransport.Bind(new UdpTransportOptions { Address = IPAddress.Loopback, Port = 0 });
        var endpoint = new NameServiceEndpoint(transport, IPAddress.Loopback, time);
        var options = new NameServiceOptions { NodeType = type, RemotePort = endpoint.LocalEndPoint.Port, BroadcastRetryTimeout = TimeSpan.FromMilliseconds(50) };
        options.NameServers.Add(endpoint.LocalEndPoint);
        var node = new NameServiceNode(endpoint, IPAddress.Parse("127.255.255.255"), options, time);
        var store = new InMemoryWinsStore();
        var server = new WinsServer(endpoint, store, new WinsServerOptions(), time);
        node.Start();
        return (endpoint, node, server, store);
    }

    [Theory]
    [InlineData(NodeType.P)]
    [InlineData(NodeType.H)]
    public async Task Node_RegistersWithTheServerOnItsOwnEndpoint(NodeType type)
    {
        var (endpoint, node, server, store) = Start(type: type);
        await using (endpoint)
        await using (node)
        await using (server)
        {
            var result = await node.RegisterAsync(Host, cancellationToken: TestContext.Current.CancellationToken);

            Assert.Equal(RegistrationOutcome.Registered, result.Outcome);
            Assert.Equal(TimeSpan.FromSeconds(300_000), result.Ttl);
            var record = await store.FindAsync(Host, TestContext.Current.CancellationToken);
            Assert.Equal(IPAddress.Loopback, record!.Addresses[0].Address);
        }
    }

    [Fact]
    public async Task Node_ReleasesItsNameWithTheServerOnItsOwnEndpoint()
    {
        var (endpoint, node, server, store) = Start();
        await using (endpoint)
        await using (node)
        await using (server)
        {
            await node.RegisterAsync(Host, cancellationToken: TestContext.Current.CancellationToken);

            Assert.True(await node.ReleaseAsync(Host, TestContext.Current.CancellationToken));

            Assert.Equal(WinsRecordState.Released, (await store.FindAsync(Host, TestContext.Current.CancellationToken))!.State);
        }
    }

    [Fact]
    public async Task ForeignRegistration_OfTheNodesName_IsRefused()
    {
        var (endpoint, node, server, _) = Start();
        await using (endpoint)
        await using (node)
        await using (server)
        {
            await node.RegisterAsync(Host, cancellationToken: TestContext.Current.CancellationToken);
            using var intruder = new WinsTestClient(new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Parse("127.0.0.9"), 0)), IPAddress.Parse("127.0.0.9"), endpoint.LocalEndPoint);

            var answer = await intruder.RegisterAsync(Host);
            var overwrite = await intruder.RequestAsync(NameServicePacket.CreateRegistrationRequest(intruder.NextId(), Host, 300_000, NbFlags.None, intruder.Address, false, false));
            var query = await intruder.QueryAsync(Host);

            WinsAssert.Negative(answer, NameServiceRcode.ActiveError);
            WinsAssert.Negative(overwrite, NameServiceRcode.ActiveError);
            Assert.Equal([IPAddress.Loopback], WinsAssert.Addresses(query));
        }
    }

    [Fact]
    public async Task ServerRecord_OfTheOwnAddress_IsNeverHandedToAForeignRegistration()
    {
        // The node's responder does not hold the name (an earlier process registered it): the server still refuses.
        var (endpoint, node, server, store) = Start();
        await using (endpoint)
        await using (node)
        await using (server)
        {
            var now = DateTimeOffset.UtcNow;
            await store.WriteAsync(new WinsRecord
            {
                Name = Host, Type = WinsRecordType.Unique, State = WinsRecordState.Active, NodeType = NodeType.P,
                Addresses = [new WinsAddress(IPAddress.Loopback, IPAddress.Loopback, now.AddDays(1))], Expires = now.AddDays(1), Owner = IPAddress.Loopback,
            }, 0, TestContext.Current.CancellationToken);
            using var intruder = new WinsTestClient(new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Parse("127.0.0.9"), 0)), IPAddress.Parse("127.0.0.9"), endpoint.LocalEndPoint);

            var answer = await intruder.RegisterAsync(Host);

            WinsAssert.Negative(answer, NameServiceRcode.ActiveError);
            Assert.Equal(0, server.Statistics.Challenges);
        }
    }

    [Fact]
    public async Task OwnBroadcasts_AreStillDropped_OwnDirectedRequestsAreNot()
    {
        var transport = UdpDatagramTransport.Bind(new UdpTransportOptions { Address = IPAddress.Loopback, Port = 0 });
        await using var endpoint = new NameServiceEndpoint(transport, IPAddress.Loopback);
        var handler = new RecordingHandler();
        endpoint.AddHandler(handler);
        endpoint.Start();
        var flags = NbFlags.None;

        await endpoint.SendAsync(NameServicePacket.CreateRegistrationRequest(1, Host, 300, flags, IPAddress.Loopback, broadcast: true, recursionDesired: true), endpoint.LocalEndPoint,
            TestContext.Current.CancellationToken);
        await endpoint.SendAsync(NameServicePacket.CreateRegistrationRequest(2, Host, 300, flags, IPAddress.Loopback, broadcast: false, recursionDesired: true), endpoint.LocalEndPoint,
            TestContext.Current.CancellationToken);
        var directed = await handler.Directed.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal(2, directed.Header.TransactionId);
        Assert.Single(handler.Seen); // the broadcast, handled first on the one receive loop, never reached a handler
    }
}
