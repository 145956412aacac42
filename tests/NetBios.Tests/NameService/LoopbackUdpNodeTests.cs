using System.Net;
using NetBios.NameService;
using NetBios.Transport;
using Xunit;

namespace NetBios.Tests.NameService;

/// <summary>Two name service nodes over real UDP sockets on 127.0.0.1, ephemeral ports, real clock.</summary>
public sealed class LoopbackUdpNodeTests
{
    private static async Task<NameServiceNode> StartNodeAsync(int remotePort)
    {
        var transport = UdpDatagramTransport.Bind(new UdpTransportOptions { Address = IPAddress.Loopback, Port = 0 });
        var options = new NameServiceOptions
        {
            RemotePort = remotePort,
            // Loopback has no broadcast: point the "segment" at a loopback address nobody listens on.
            BroadcastRetryTimeout = TimeSpan.FromMilliseconds(50),
        };
        var node = new NameServiceNode(transport, IPAddress.Loopback, IPAddress.Parse("127.255.255.255"), options);
        node.Start();
        await Task.Yield();
        return node;
    }

    [Fact]
    public async Task UnicastQueryAndNodeStatus_OverRealSockets()
    {
        await using var server = await StartNodeAsync(remotePort: 9);
        var name = NetBiosName.Create("LOOPBACK", 0x20);
        Assert.True((await server.RegisterAsync(name, cancellationToken: TestContext.Current.CancellationToken)).Succeeded);
        await using var client = await StartNodeAsync(remotePort: server.LocalEndPoint.Port);

        var query = await client.QueryAsync(name, new NameQueryOptions { Target = new IPEndPoint(IPAddress.Loopback, server.LocalEndPoint.Port), RecursionDesired = false },
            TestContext.Current.CancellationToken);
        var status = await client.GetNodeStatusAsync(IPAddress.Loopback, cancellationToken: TestContext.Current.CancellationToken);
        var missing = await client.QueryAsync(NetBiosName.Create("NOBODY", 0x20), new NameQueryOptions { Target = new IPEndPoint(IPAddress.Loopback, server.LocalEndPoint.Port), RecursionDesired = false },
            TestContext.Current.CancellationToken);

        Assert.Equal(QueryOutcome.Found, query.Outcome);
        Assert.Equal(IPAddress.Loopback, query.Answers[0].Address);
        Assert.Equal(QueryOutcome.Found, status.Outcome);
        Assert.Contains(status.Names, n => n.Name == name);
        Assert.Equal(QueryOutcome.NotFound, missing.Outcome);
        Assert.True(server.Statistics.QueriesAnswered >= 1);
    }

    [Fact]
    public async Task GarbageFromTheNetwork_DoesNotStopTheReceiveLoop()
    {
        await using var server = await StartNodeAsync(remotePort: 9);
        var name = NetBiosName.Create("STURDY", 0x20);
        await server.RegisterAsync(name, cancellationToken: TestContext.Current.CancellationToken);
        await using var attacker = UdpDatagramTransport.Bind(new UdpTransportOptions { Address = IPAddress.Loopback, Port = 0 });
        var target = new IPEndPoint(IPAddress.Loopback, server.LocalEndPoint.Port);
        var random = new Random(137);
        for (int i = 0; i < 200; i++)
        {
            byte[] junk = new byte[random.Next(0, 600)];
            random.NextBytes(junk);
            await attacker.SendToAsync(junk, target, TestContext.Current.CancellationToken);
        }

        await using var client = await StartNodeAsync(remotePort: server.LocalEndPoint.Port);
        var query = await client.QueryAsync(name, new NameQueryOptions { Target = target, RecursionDesired = false }, TestContext.Current.CancellationToken);

        Assert.Equal(QueryOutcome.Found, query.Outcome);
    }
}
