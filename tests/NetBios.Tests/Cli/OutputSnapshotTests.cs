using System.Net;
using NetBios.NameService;
using NetBios.Transport;
using Xunit;

namespace NetBios.Tests.Cli;

/// <summary>Output snapshots: what a person sees from nbt status and nbt query, against a real node over loopback UDP.</summary>
public sealed class OutputSnapshotTests
{
    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = await Nbt.Cli.Program.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString().Replace("\r\n", "\n", StringComparison.Ordinal), stderr.ToString());
    }

    [Fact]
    public async Task StatusAndQuery_MatchTheSnapshots()
    {
        var ct = TestContext.Current.CancellationToken;
        var transport = UdpDatagramTransport.Bind(new UdpTransportOptions { Address = IPAddress.Loopback, Port = 0 });
        await using var node = new NameServiceNode(transport, IPAddress.Loopback, IPAddress.Parse("127.255.255.255"),
            new NameServiceOptions { RemotePort = 9, BroadcastRetryTimeout = TimeSpan.FromMilliseconds(20), UnitId = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56] });
        node.Start();
        foreach (var (name, group) in new[] { ("SNAPHOST", false), ("SNAPHOST#20", false), ("SNAPGROUP", true) })
        {
            Assert.True((await node.RegisterAsync(NetBiosName.Parse(name, 0x00), group, cancellationToken: ct)).Succeeded);
        }

        string port = node.LocalEndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var status = await RunAsync("status", "127.0.0.1", "--port", port, "--interface", "127.0.0.1");
        var query = await RunAsync("query", "SNAPHOST#20", "--unicast", "127.0.0.1", "--port", port, "--interface", "127.0.0.1");
        var missing = await RunAsync("query", "NOBODY", "--unicast", "127.0.0.1", "--port", port, "--interface", "127.0.0.1");

        Assert.True(status.Exit == 0, status.Err);
        Assert.Equal("""
            Node status of 127.0.0.1:
                SNAPHOST   <00>  UNIQUE  B  ACTIVE
                SNAPHOST   <20>  UNIQUE  B  ACTIVE
                SNAPGROUP  <00>  GROUP   B  ACTIVE
                MAC Address = 52-54-00-12-34-56

            """, status.Out);
        Assert.True(query.Exit == 0, query.Err);
        Assert.Equal("127.0.0.1  SNAPHOST<20>  UNIQUE  B-node  ttl=300000  from 127.0.0.1\n", query.Out);
        Assert.Equal(1, missing.Exit);
        Assert.Equal("note: 127.0.0.1 answered NameError\n", missing.Out);
    }
}
