using System.Net;
using System.Text;
using NetBios.DatagramService;
using NetBios.NameService;
using NetBios.SessionService;
using NetBios.Station;
using Xunit;

namespace NetBios.Daemon.Tests;

/// <summary>The station API (<see cref="INetBiosStation"/>) gives the same results embedded and through nbtd
/// (docs/IPC.md "Station operations (0x0100-0x01FF)"): each test body runs against both.</summary>
public sealed class StationApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly NetBiosName Mine = NetBiosName.Create("MINE", 0x00);

    [Theory]
    [InlineData(StationMode.Embedded)]
    [InlineData(StationMode.Daemon)]
    public async Task AddListQueryDelete(StationMode mode)
    {
        await using var t = await StationUnderTest.StartAsync(mode);
        Assert.Equal(IPAddress.Parse("10.3.0.1"), t.Station.Address);
        Assert.Equal(t.Bed.Station.NodeType, t.Station.NodeType);

        var added = await t.Station.AddNameAsync(Mine, cancellationToken: Ct);
        Assert.Equal(RegistrationOutcome.Registered, added.Outcome);
        Assert.Equal(Mine, added.Name);
        Assert.Equal(RegistrationOutcome.Duplicate, (await t.Station.AddNameAsync(Mine, cancellationToken: Ct)).Outcome);
        var group = await t.Station.AddNameAsync(NetBiosName.Create("TEAM", 0x1E), isGroup: true, Ct);
        Assert.Equal(RegistrationOutcome.Registered, group.Outcome);

        var names = await t.Station.GetNamesAsync(Ct);
        Assert.Contains(names, n => n.Name == Mine && !n.IsGroup && n.State == LocalNameState.Registered);
        Assert.Contains(names, n => n.Name == NetBiosName.Create("TEAM", 0x1E) && n.IsGroup);
        Assert.True(await t.Bed.ObserverFindsAsync("MINE"));

        var query = await t.Station.QueryAsync(StationUnderTest.PeerName, Ct);
        Assert.Equal(QueryOutcome.Found, query.Outcome);
        Assert.Equal([IPAddress.Parse("10.3.0.2")], query.Addresses);
        var missing = await t.Station.QueryAsync(NetBiosName.Create("NOBODY", 0x00), Ct);
        Assert.NotEqual(QueryOutcome.Found, missing.Outcome);
        Assert.Empty(missing.Answers);

        Assert.True(await t.Station.DeleteNameAsync(Mine, Ct));
        Assert.False(await t.Station.DeleteNameAsync(Mine, Ct));
        Assert.False(t.Bed.StationHolds("MINE"));
        Assert.DoesNotContain(await t.Station.GetNamesAsync(Ct), n => n.Name == Mine);
    }

    [Theory]
    [InlineData(StationMode.Embedded)]
    [InlineData(StationMode.Daemon)]
    public async Task NodeStatus(StationMode mode)
    {
        await using var t = await StationUnderTest.StartAsync(mode);
        var status = await t.Station.GetNodeStatusAsync(IPAddress.Parse("10.3.0.2"), cancellationToken: Ct);
        Assert.Equal(QueryOutcome.Found, status.Outcome);
        Assert.Contains(status.Names, n => n.Name.BytesEqual(StationUnderTest.PeerName));
        Assert.NotNull(status.Statistics);
        var direct = await t.Bed.Station.GetNodeStatusAsync(IPAddress.Parse("10.3.0.2"), cancellationToken: Ct);
        Assert.Equal(direct.Names, status.Names);
        Assert.Equal(direct.MacAddress, status.MacAddress);
    }

    [Theory]
    [InlineData(StationMode.Embedded)]
    [InlineData(StationMode.Daemon)]
    public async Task Datagrams_SendReceiveAndBroadcast(StationMode mode)
    {
        await using var t = await StationUnderTest.StartAsync(mode);
        Assert.True((await t.Station.AddNameAsync(Mine, cancellationToken: Ct)).Succeeded);

        // Out: unique, then broadcast, seen by the peer.
        using (var peerInbox = t.Peer.SubscribeDatagrams(DatagramReceiveFilter.ForName(StationUnderTest.PeerName)))
        {
            var sent = await t.Station.SendDatagramAsync(Mine, StationUnderTest.PeerName, Encoding.ASCII.GetBytes("hello"), cancellationToken: Ct);
            Assert.Equal(DatagramSendOutcome.Sent, sent.Outcome);
            Assert.Equal(Wire.Datagram.DatagramMessageType.DirectUnique, sent.Type);
            var got = await peerInbox.ReceiveAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct);
            Assert.Equal("hello", Encoding.ASCII.GetString(got.Data.Span));
            Assert.Equal(Mine, got.SourceName);
        }

        using (var peerBroadcasts = t.Peer.SubscribeDatagrams(DatagramReceiveFilter.Broadcasts))
        {
            var sent = await t.Station.SendBroadcastDatagramAsync(Mine, Encoding.ASCII.GetBytes("all"), Ct);
            Assert.Equal(DatagramSendOutcome.Sent, sent.Outcome);
            var got = await peerBroadcasts.ReceiveAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct);
            Assert.Equal("all", Encoding.ASCII.GetString(got.Data.Span));
        }

        // In: a datagram to our name.
        var receiving = t.Station.ReceiveDatagramAsync(DatagramReceiveFilter.ForName(Mine), Ct).AsTask();
        var received = await StationUnderTest.WhileRepeatingAsync(receiving, async () =>
            await t.Peer.SendDatagramAsync(StationUnderTest.PeerName, Mine, Encoding.ASCII.GetBytes("back"), cancellationToken: Ct));
        Assert.Equal("back", Encoding.ASCII.GetString(received.Data.Span));
        Assert.Equal(StationUnderTest.PeerName, received.SourceName);
        Assert.Equal(Mine, received.DestinationName);
        Assert.Equal(IPAddress.Parse("10.3.0.2"), received.Source.Address);

        // A source the station does not hold.
        var foreign = await t.Station.SendDatagramAsync(NetBiosName.Create("NOTMINE", 0x00), StationUnderTest.PeerName, new byte[1], cancellationToken: Ct);
        Assert.Equal(DatagramSendOutcome.SourceNameNotLocal, foreign.Outcome);
    }

    [Theory]
    [InlineData(StationMode.Embedded)]
    [InlineData(StationMode.Daemon)]
    public async Task AWaitingDatagramReceive_IsCancelled(StationMode mode)
    {
        await using var t = await StationUnderTest.StartAsync(mode);
        Assert.True((await t.Station.AddNameAsync(Mine, cancellationToken: Ct)).Succeeded);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var receiving = t.Station.ReceiveDatagramAsync(DatagramReceiveFilter.ForName(Mine), cancel.Token).AsTask();
        Assert.False(receiving.IsCompleted);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => receiving.WaitAsync(TimeSpan.FromSeconds(10), Ct));
    }

    [Theory]
    [InlineData(StationMode.Embedded)]
    [InlineData(StationMode.Daemon)]
    public async Task Call_SendReceive_HangUp(StationMode mode)
    {
        await using var t = await StationUnderTest.StartAsync(mode);
        Assert.True((await t.Station.AddNameAsync(Mine, cancellationToken: Ct)).Succeeded);
        var peerListen = t.Peer.ListenAsync(StationUnderTest.PeerName, Mine, Ct).AsTask();

        var call = await t.Station.CallAsync(Mine, StationUnderTest.PeerName, Ct);
        Assert.Equal(SessionCallOutcome.Connected, call.Outcome);
        Assert.True(call.IsConnected);
        var session = call.Session;
        var peer = (await peerListen.WaitAsync(TimeSpan.FromSeconds(10), Ct)).Session!;
        Assert.Equal(Mine, session.LocalName);
        Assert.Equal(StationUnderTest.PeerName, session.RemoteName);
        Assert.True(session.IsCaller);
        Assert.Equal(IPAddress.Parse("10.3.0.2"), session.RemoteEndPoint.Address);
        Assert.Equal(SessionState.Established, session.State);

        Assert.Equal(SessionIoStatus.Ok, await session.SendAsync(Encoding.ASCII.GetBytes("ping"), Ct));
        byte[] buffer = new byte[16];
        var atPeer = await peer.ReceiveAsync(buffer, Ct);
        Assert.Equal("ping", Encoding.ASCII.GetString(buffer, 0, atPeer.BytesReceived));

        Assert.Equal(SessionIoStatus.Ok, await peer.SendAsync(Encoding.ASCII.GetBytes("pong-pong"), Ct));
        byte[] small = new byte[4];
        var first = await session.ReceiveAsync(small, Ct);
        Assert.Equal((SessionIoStatus.Incomplete, 4), (first.Status, first.BytesReceived));
        var rest = await session.ReceiveAsync(buffer, Ct);
        Assert.Equal((SessionIoStatus.Ok, 5), (rest.Status, rest.BytesReceived));
        Assert.Equal("pong-pong", Encoding.ASCII.GetString(small) + Encoding.ASCII.GetString(buffer, 0, 5));

        // A receive cancelled before anything came.
        using (var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            var pending = session.ReceiveAsync(buffer, cancel.Token).AsTask();
            await cancel.CancelAsync();
            var cancelled = await pending.WaitAsync(TimeSpan.FromSeconds(10), Ct);
            Assert.Equal(SessionIoStatus.Cancelled, cancelled.Status);
        }

        var completion = session.Completion;
        Assert.Equal(SessionState.Closed, await session.HangUpAsync());
        Assert.Equal(SessionState.Closed, session.State);
        await completion.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var end = await peer.ReceiveAsync(buffer, Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(SessionIoStatus.Closed, end.Status);
        Assert.Equal(SessionIoStatus.Closed, await session.SendAsync(new byte[1], Ct));
    }

    [Theory]
    [InlineData(StationMode.Embedded)]
    [InlineData(StationMode.Daemon)]
    public async Task Listen_AcceptsACall_AndSeesThePeerHangUp(StationMode mode)
    {
        await using var t = await StationUnderTest.StartAsync(mode);
        Assert.True((await t.Station.AddNameAsync(Mine, cancellationToken: Ct)).Succeeded);
        var listening = t.Station.ListenAsync(Mine, null, Ct).AsTask();
        NbssSession? peer = null;
        var listened = await StationUnderTest.WhileRepeatingAsync(listening, async () =>
        {
            var call = await t.Peer.CallAsync(StationUnderTest.PeerName, Mine, Ct);
            peer ??= call.Session;
        });
        Assert.Equal(SessionListenOutcome.Connected, listened.Outcome);
        Assert.NotNull(peer);
        var session = listened.Session!;
        Assert.False(session.IsCaller);
        Assert.Equal(StationUnderTest.PeerName, session.RemoteName);
        Assert.Equal(Mine, session.LocalName);

        await peer.HangUpAsync();
        byte[] buffer = new byte[8];
        var end = await session.ReceiveAsync(buffer, Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(SessionIoStatus.Closed, end.Status);
        await session.Completion.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(SessionState.Closed, session.State);
    }

    [Theory]
    [InlineData(StationMode.Embedded)]
    [InlineData(StationMode.Daemon)]
    public async Task CancellingAListen(StationMode mode)
    {
        await using var t = await StationUnderTest.StartAsync(mode);
        Assert.True((await t.Station.AddNameAsync(Mine, cancellationToken: Ct)).Succeeded);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var listening = t.Station.ListenAsync(Mine, null, cancel.Token).AsTask();
        await cancel.CancelAsync();
        var result = await listening.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(SessionListenOutcome.Cancelled, result.Outcome);
        Assert.Null(result.Session);
    }
}
