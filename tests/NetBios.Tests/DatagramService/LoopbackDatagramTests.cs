using System.Net;
using System.Text;
using NetBios.DatagramService;
using NetBios.NameService;
using NetBios.Station;
using NetBios.Transport;
using NetBios.Tests.TestCommon;
using Xunit;

namespace NetBios.Tests.DatagramService;

/// <summary>The datagram service over real UDP sockets on 127.0.0.1 (ephemeral ports, real clock).</summary>
public sealed class LoopbackDatagramTests
{
    [Fact]
    public async Task TwoNamesOnOneStation_UniqueAndFragmentedDatagrams_OverRealSockets()
    {
        var ct = TestContext.Current.CancellationToken;
        var nameTransport = UdpDatagramTransport.Bind(new UdpTransportOptions { Address = IPAddress.Loopback, Port = 0 });
        var datagramTransport = UdpDatagramTransport.Bind(new UdpTransportOptions { Address = IPAddress.Loopback, Port = 0 });
        var options = new StationOptions
        {
            NameService = new NameServiceOptions { RemotePort = 9, BroadcastRetryTimeout = TimeSpan.FromMilliseconds(20) },
            Datagrams = new DatagramServiceOptions { RemotePort = datagramTransport.LocalEndPoint.Port, MaxUserDataLength = 20_000 },
        };
        await using var station = NetBiosStation.Create(NetworkAdapter.Create(IPAddress.Loopback, 8), nameTransport, datagramTransport, new TcpStreamNetwork(), options);
        station.Start();
        var left = NetBiosName.Create("LEFT", 0);
        var right = NetBiosName.Create("RIGHT", 0);
        Assert.True((await station.Names.RegisterAsync(left, cancellationToken: ct)).Succeeded);
        Assert.True((await station.Names.RegisterAsync(right, cancellationToken: ct)).Succeeded);
        using var atRight = station.Datagrams.Subscribe(DatagramReceiveFilter.ForName(right));
        byte[] big = Enumerable.Range(0, 20_000).Select(i => (byte)(i * 31)).ToArray();

        var small = await station.Datagrams.SendAsync(left, right, Encoding.ASCII.GetBytes("over udp"), cancellationToken: ct);
        var fragmented = await station.Datagrams.SendAsync(left, right, big, cancellationToken: ct);

        Assert.Equal(DatagramSendOutcome.Sent, small.Outcome);
        Assert.Equal(40, fragmented.Fragments);
        Assert.Equal("over udp", Encoding.ASCII.GetString((await StationTestNetwork.Next(atRight)).Data.Span));
        var whole = await StationTestNetwork.Next(atRight);
        Assert.Equal(big, whole.Data.ToArray());
        Assert.Equal(left, whole.SourceName);
        Assert.Equal(1, station.Datagrams.Statistics.Reassembled);
    }
}
