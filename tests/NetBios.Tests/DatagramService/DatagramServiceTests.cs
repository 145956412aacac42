using System.Net;
using System.Text;
using NetBios.DatagramService;
using NetBios.Wire;
using NetBios.Tests.NameService;
using NetBios.Wire.Datagram;
using NetBios.Wire.NameService;
using NetBios.Tests.TestCommon;
using Xunit;

namespace NetBios.Tests.DatagramService;

/// <summary>The datagram service (RFC 1001 §17, RFC 1002 §5.3) between stations on an in-memory segment.</summary>
public sealed class DatagramServiceTests
{
    private static ReadOnlyMemory<byte> Text(string text) => Encoding.ASCII.GetBytes(text);

    private static string Text(ReceivedDatagram datagram) => Encoding.ASCII.GetString(datagram.Data.Span);

    [Fact]
    public async Task SendToUniqueName_ResolvesAndDeliversDirectUniqueToTheOwnerOnly()
    {
        await using var net = new StationTestNetwork();
        var (a, b, alice, bob) = await net.AliceAndBob();
        using var atBob = b.Datagrams.Subscribe(DatagramReceiveFilter.ForName(bob));

        var result = await net.Run(a.Datagrams.SendAsync(alice, bob, Text("hello bob")));
        var received = await StationTestNetwork.Next(atBob);

        Assert.Equal(DatagramSendOutcome.Sent, result.Outcome);
        Assert.Equal(DatagramMessageType.DirectUnique, result.Type);
        Assert.Equal(new IPEndPoint(b.Address, 138), Assert.Single(result.Destinations));
        Assert.Equal(DatagramMessageType.DirectUnique, received.Type);
        Assert.Equal(alice, received.SourceName);
        Assert.Equal(bob, received.DestinationName);
        Assert.Equal("hello bob", Text(received));
        Assert.Equal(new IPEndPoint(a.Address, 138), received.Source);
        Assert.Equal(1, b.Datagrams.Statistics.Delivered);
    }

    [Fact]
    public async Task SendToGroup_ReachesEveryMemberIncludingTheSender_AndNoOneElse()
    {
        await using var net = new StationTestNetwork();
        var a = net.AddStation();
        var b = net.AddStation();
        var c = net.AddStation();
        var outsider = net.AddStation();
        var chat = NetBiosName.Create("CHAT", 0x01);
        var alice = await net.Register(a, "ALICE");
        foreach (var member in new[] { a, b, c })
        {
            await net.Register(member, "CHAT", 0x01, group: true);
        }

        var dave = await net.Register(outsider, "DAVE");
        var subscriptions = new[] { a, b, c }.Select(s => s.Datagrams.Subscribe(DatagramReceiveFilter.ForName(chat))).ToList();
        using var atOutsider = outsider.Datagrams.Subscribe(DatagramReceiveFilter.AnyName);

        var result = await net.Run(a.Datagrams.SendAsync(alice, chat, Text("hi all"), DatagramDestinationKind.Group));
        // Then a datagram the outsider does receive: datagrams are handled in order, so if the group datagram had been
        // delivered to the outsider it would come first.
        await net.Run(a.Datagrams.SendAsync(alice, dave, Text("just you")));

        Assert.Equal(new IPEndPoint(net.Segment.BroadcastAddress, 138), Assert.Single(result.Destinations));
        foreach (var subscription in subscriptions)
        {
            var received = await StationTestNetwork.Next(subscription);
            Assert.Equal(DatagramMessageType.DirectGroup, received.Type);
            Assert.Equal("hi all", Text(received));
            subscription.Dispose();
        }

        Assert.Equal("just you", Text(await StationTestNetwork.Next(atOutsider)));
        Assert.Equal(1, outsider.Datagrams.Statistics.NotForUs);
        Assert.Equal(0, outsider.Datagrams.Statistics.ErrorsSent); // never an error for a group datagram
    }

    [Fact]
    public async Task AutoDestination_ResolvedAsGroup_IsSentAsDirectGroup()
    {
        await using var net = new StationTestNetwork();
        var a = net.AddStation();
        var b = net.AddStation();
        var alice = await net.Register(a, "ALICE");
        var team = await net.Register(b, "TEAM", group: true);
        using var atB = b.Datagrams.Subscribe(DatagramReceiveFilter.ForName(team));

        var result = await net.Run(a.Datagrams.SendAsync(alice, team, Text("auto")));

        Assert.Equal(DatagramMessageType.DirectGroup, result.Type);
        Assert.Equal(DatagramMessageType.DirectGroup, (await StationTestNetwork.Next(atB)).Type);
    }

    [Fact]
    public async Task Broadcast_ReachesBroadcastReceiversOnEveryStation_NotNameReceivers()
    {
        await using var net = new StationTestNetwork();
        var a = net.AddStation();
        var b = net.AddStation();
        var nameless = net.AddStation();
        var alice = await net.Register(a, "ALICE");
        var bob = await net.Register(b, "BOB");
        using var bobOnly = b.Datagrams.Subscribe(DatagramReceiveFilter.ForName(bob));
        using var atB = b.Datagrams.Subscribe(DatagramReceiveFilter.Broadcasts);
        using var atNameless = nameless.Datagrams.Subscribe(DatagramReceiveFilter.Broadcasts);

        var result = await net.Run(a.Datagrams.SendBroadcastAsync(alice, Text("to everyone")));
        await net.Run(a.Datagrams.SendAsync(alice, bob, Text("to bob")));

        Assert.Equal(DatagramMessageType.Broadcast, result.Type);
        foreach (var subscription in new[] { atB, atNameless })
        {
            var received = await StationTestNetwork.Next(subscription);
            Assert.True(received.IsBroadcast);
            Assert.True(received.DestinationName.IsWildcard);
            Assert.Equal("to everyone", Text(received));
        }

        Assert.Equal("to bob", Text(await StationTestNetwork.Next(bobOnly)));
    }

    [Fact]
    public async Task ReceiversPerName_GetOnlyTheirName_AnyNameGetsBoth_WithTheLocalNameEachWasSentTo()
    {
        await using var net = new StationTestNetwork();
        var a = net.AddStation();
        var b = net.AddStation();
        var alice = await net.Register(a, "ALICE");
        var first = await net.Register(b, "FIRST");
        var second = await net.Register(b, "SECOND");
        using var atFirst = b.Datagrams.Subscribe(DatagramReceiveFilter.ForName(first));
        using var any = b.Datagrams.Subscribe(DatagramReceiveFilter.AnyName);

        await net.Run(a.Datagrams.SendAsync(alice, second, Text("2")));
        await net.Run(a.Datagrams.SendAsync(alice, first, Text("1")));

        Assert.Equal("1", Text(await StationTestNetwork.Next(atFirst)));
        var viaAny = new[] { await StationTestNetwork.Next(any), await StationTestNetwork.Next(any) };
        Assert.Equal(["2", "1"], viaAny.Select(Text));
        Assert.Equal([second, first], viaAny.Select(d => d.DestinationName));
    }

    [Fact]
    public async Task TwoNamesOnOneStation_ExchangeDatagrams()
    {
        await using var net = new StationTestNetwork();
        var a = net.AddStation();
        var left = await net.Register(a, "LEFT");
        var right = await net.Register(a, "RIGHT");
        using var atRight = a.Datagrams.Subscribe(DatagramReceiveFilter.ForName(right));

        await net.Run(a.Datagrams.SendAsync(left, right, Text("self")));

        var received = await StationTestNetwork.Next(atRight);
        Assert.Equal(left, received.SourceName);
        Assert.Equal("self", Text(received));
    }

    [Fact]
    public async Task DirectUniqueForAbsentName_IsAnsweredWithError0x82_ToTheSender()
    {
        await using var net = new StationTestNetwork();
        var b = net.AddStation();
        await net.Register(b, "BOB");
        await using var raw = net.AddRawHost(out var rawAddress);
        var source = new IPEndPoint(rawAddress, 138);
        byte[] packet = UserDatagram.Create(DatagramMessageType.DirectUnique, 0x4242, source, NetBiosName.Create("RAW", 0),
            NetBiosName.Create("NOBODY", 0), Text("?")).ToArray();

        await raw.SendToAsync(packet, new IPEndPoint(b.Address, 138), TestContext.Current.CancellationToken);
        var decoded = await StationTestNetwork.NextPacket(raw);

        var error = Assert.IsType<DatagramErrorPacket>(decoded);
        Assert.Equal(DatagramErrorCode.DestinationNameNotPresent, error.ErrorCode);
        Assert.Equal(0x4242, error.Header.DatagramId);
        Assert.Equal(b.Address, error.Header.SourceAddress);
        Assert.Equal(1, b.Datagrams.Statistics.ErrorsSent);
    }

    [Fact]
    public async Task DirectUniqueWithBadDestinationName_IsAnsweredWithError0x84()
    {
        await using var net = new StationTestNetwork();
        var b = net.AddStation();
        await using var raw = net.AddRawHost(out var rawAddress);
        byte[] packet = UserDatagram.Create(DatagramMessageType.DirectUnique, 7, new IPEndPoint(rawAddress, 138), NetBiosName.Create("RAW", 0),
            NetBiosName.Create("X", 0), Text("?")).ToArray();
        int destinationStart = UserDatagram.FixedLength + 34;
        packet[destinationStart + 1] = (byte)'z'; // not a half-ASCII nibble

        await raw.SendToAsync(packet, new IPEndPoint(b.Address, 138), TestContext.Current.CancellationToken);
        var decoded = await StationTestNetwork.NextPacket(raw);

        Assert.Equal(DatagramErrorCode.InvalidDestinationNameFormat, Assert.IsType<DatagramErrorPacket>(decoded).ErrorCode);
        Assert.Equal(1, b.Datagrams.Statistics.Malformed);
    }

    [Fact]
    public async Task Refusals_SourceNotLocal_TooLong_NameNotFound()
    {
        await using var net = new StationTestNetwork();
        var a = net.AddStation();
        var alice = await net.Register(a, "ALICE");
        var stranger = NetBiosName.Create("STRANGER", 0);

        var notLocal = await net.Run(a.Datagrams.SendAsync(stranger, alice, Text("x")));
        var tooLong = await net.Run(a.Datagrams.SendAsync(alice, alice, new byte[513]));
        var notFound = await net.Run(a.Datagrams.SendAsync(alice, NetBiosName.Create("NOBODY", 0), Text("x")));
        var broadcastNotLocal = await net.Run(a.Datagrams.SendBroadcastAsync(stranger, Text("x")));

        Assert.Equal(DatagramSendOutcome.SourceNameNotLocal, notLocal.Outcome);
        Assert.Equal(DatagramSendOutcome.TooLong, tooLong.Outcome);
        Assert.Equal(DatagramSendOutcome.NameNotFound, notFound.Outcome);
        Assert.Equal(DatagramSendOutcome.SourceNameNotLocal, broadcastNotLocal.Outcome);
        Assert.Empty(notFound.Destinations);
        Assert.Equal(0, a.Datagrams.Statistics.Sent);
    }

    [Fact]
    public async Task MaximumNetBiosDatagram_512Bytes_GoesWholeInOnePacket()
    {
        await using var net = new StationTestNetwork();
        var (a, b, alice, bob) = await net.AliceAndBob();
        using var atBob = b.Datagrams.Subscribe(DatagramReceiveFilter.ForName(bob));
        byte[] payload = Enumerable.Range(0, 512).Select(i => (byte)i).ToArray();

        var result = await net.Run(a.Datagrams.SendAsync(alice, bob, payload));

        Assert.Equal(1, result.Fragments);
        Assert.Equal(payload, (await StationTestNetwork.Next(atBob)).Data.ToArray());
        Assert.Equal(0, b.Datagrams.Statistics.FragmentsReceived);
    }

    [Fact]
    public async Task LargeDatagram_IsFragmentedAndReassembled()
    {
        await using var net = new StationTestNetwork();
        var a = net.AddStation(o => o.Datagrams.MaxUserDataLength = 5000);
        var b = net.AddStation();
        var alice = await net.Register(a, "ALICE");
        var bob = await net.Register(b, "BOB");
        using var atBob = b.Datagrams.Subscribe(DatagramReceiveFilter.ForName(bob));
        byte[] payload = Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray();
        net.Network.ClearTraffic();

        var result = await net.Run(a.Datagrams.SendAsync(alice, bob, payload));

        Assert.Equal(10, result.Fragments); // 512 bytes of data per packet
        Assert.Equal(payload, (await StationTestNetwork.Next(atBob)).Data.ToArray());
        Assert.Equal(10, b.Datagrams.Statistics.FragmentsReceived);
        Assert.Equal(1, b.Datagrams.Statistics.Reassembled);
        Assert.Equal(0, b.Datagrams.PendingReassemblies);
        Assert.Equal(10, net.Network.Traffic.Count(d => d.Destination.Port == 138));
    }

    [Fact]
    public async Task FragmentsOutOfOrderAndDuplicated_AreReassembledOnce()
    {
        await using var net = new StationTestNetwork();
        var b = net.AddStation();
        var bob = await net.Register(b, "BOB");
        using var atBob = b.Datagrams.Subscribe(DatagramReceiveFilter.ForName(bob));
        await using var raw = net.AddRawHost(out var rawAddress);
        byte[] payload = Enumerable.Range(0, 2000).Select(i => (byte)(i % 251)).ToArray();
        var fragments = UserDatagram.Fragment(DatagramMessageType.DirectUnique, 99, new IPEndPoint(rawAddress, 138), NetBiosName.Create("RAW", 0),
            bob, payload, maxPacketLength: 400).Select(f => f.ToArray()).ToList();
        var order = Enumerable.Range(0, fragments.Count).Reverse().Concat([1, 0]).ToList(); // last first, then two duplicates

        foreach (int i in order)
        {
            await raw.SendToAsync(fragments[i], new IPEndPoint(b.Address, 138), TestContext.Current.CancellationToken);
        }

        await raw.SendToAsync(UserDatagram.Create(DatagramMessageType.DirectUnique, 100, new IPEndPoint(rawAddress, 138), NetBiosName.Create("RAW", 0),
            bob, Text("after")).ToArray(), new IPEndPoint(b.Address, 138), TestContext.Current.CancellationToken);

        Assert.True(fragments.Count > 5);
        Assert.Equal(payload, (await StationTestNetwork.Next(atBob)).Data.ToArray());
        Assert.Equal("after", Text(await StationTestNetwork.Next(atBob)));
        Assert.Equal(1, b.Datagrams.Statistics.Reassembled);

        // Names and addresses are never learnt from datagram headers (CVE-2000-1079).
        Assert.False(b.Names.Cache.TryGet(NetBiosName.Create("RAW", 0), out _));
        Assert.Equal(0, b.Names.Cache.Count);
    }

    [Fact]
    public async Task MissingFragment_PartialExpiresAfterFragmentTimeout_OnTheFakeClock()
    {
        await using var net = new StationTestNetwork();
        var b = net.AddStation();
        var bob = await net.Register(b, "BOB");
        using var atBob = b.Datagrams.Subscribe(DatagramReceiveFilter.ForName(bob));
        await using var raw = net.AddRawHost(out var rawAddress);
        var fragments = UserDatagram.Fragment(DatagramMessageType.DirectUnique, 5, new IPEndPoint(rawAddress, 138), NetBiosName.Create("RAW", 0),
            bob, new byte[1000], maxPacketLength: 400).Select(f => f.ToArray()).ToList();
        var target = new IPEndPoint(b.Address, 138);

        await raw.SendToAsync(fragments[0], target, TestContext.Current.CancellationToken);
        await raw.SendToAsync(fragments[1], target, TestContext.Current.CancellationToken);
        await SyncAsync(net, raw, rawAddress, bob, target, atBob);
        Assert.Equal(1, b.Datagrams.PendingReassemblies);

        await TestCommon.FakeClock.AdvanceAsync(net.Time, TimeSpan.FromSeconds(2.5), TimeSpan.FromMilliseconds(250));
        Assert.Equal(0, b.Datagrams.PendingReassemblies);
        Assert.Equal(1, b.Datagrams.Statistics.PartialsDropped);

        // The missing fragment arriving late starts a new partial that can never complete; nothing is delivered.
        await raw.SendToAsync(fragments[^1], target, TestContext.Current.CancellationToken);
        await SyncAsync(net, raw, rawAddress, bob, target, atBob);
        Assert.Equal(0, b.Datagrams.Statistics.Reassembled);
    }

    [Fact]
    public async Task FloodOfPartialFragments_StaysWithinBounds_AndAGoodDatagramStillArrives()
    {
        await using var net = new StationTestNetwork();
        net.Network.ReceiveQueueCapacity = 20_000;
        var b = net.AddStation(o =>
        {
            o.Datagrams.MaxPartialDatagrams = 16;
            o.Datagrams.MaxReassemblyBytes = 64 * 1024;
        });
        var bob = await net.Register(b, "BOB");
        using var atBob = b.Datagrams.Subscribe(DatagramReceiveFilter.ForName(bob));
        await using var raw = net.AddRawHost(out var rawAddress);
        var source = new IPEndPoint(rawAddress, 138);
        var target = new IPEndPoint(b.Address, 138);
        long maxPending = 0;
        long maxBytes = 0;
        for (int i = 0; i < 5000; i++)
        {
            // First fragments of datagrams that never complete, each claiming more to come.
            var first = UserDatagram.Fragment(DatagramMessageType.DirectUnique, (ushort)i, source, NetBiosName.Create("RAW", 0), bob, new byte[1400],
                maxPacketLength: 1000)[0];
            await raw.SendToAsync(first.ToArray(), target, TestContext.Current.CancellationToken);
            if (i % 500 == 499)
            {
                await SyncAsync(net, raw, rawAddress, bob, target, atBob);
                maxPending = Math.Max(maxPending, b.Datagrams.PendingReassemblies);
                maxBytes = Math.Max(maxBytes, b.Datagrams.ReassemblyBytes);
            }
        }

        byte[] good = Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray();
        foreach (var fragment in UserDatagram.Fragment(DatagramMessageType.DirectUnique, 60_000, source, NetBiosName.Create("RAW", 0), bob, good, 600))
        {
            await raw.SendToAsync(fragment.ToArray(), target, TestContext.Current.CancellationToken);
        }

        Assert.Equal(good, (await StationTestNetwork.Next(atBob)).Data.ToArray());
        Assert.InRange(maxPending, 1, 16);
        Assert.InRange(maxBytes, 1, 64 * 1024);
        Assert.True(b.Datagrams.Statistics.PartialsDropped >= 5000 - 16);
    }

    [Fact]
    public async Task OverlappingOrOutOfRangeFragments_AreRejected()
    {
        await using var net = new StationTestNetwork();
        var b = net.AddStation(o => o.Datagrams.MaxReceiveLength = 4000);
        var bob = await net.Register(b, "BOB");
        using var atBob = b.Datagrams.Subscribe(DatagramReceiveFilter.ForName(bob));
        await using var raw = net.AddRawHost(out var rawAddress);
        var source = new IPEndPoint(rawAddress, 138);
        var target = new IPEndPoint(b.Address, 138);
        var rawName = NetBiosName.Create("RAW", 0);
        UserDatagram Piece(ushort id, DatagramFlags flags, int offset, int length) =>
            new(new DatagramHeader(DatagramMessageType.DirectUnique, flags, id, rawAddress, 138), (ushort)offset, rawName, bob, new byte[length]);

        // Overlap: [0,100) then [50,150) as the last fragment.
        await raw.SendToAsync(Piece(1, DatagramFlags.First | DatagramFlags.More, 0, 100).ToArray(), target, TestContext.Current.CancellationToken);
        await raw.SendToAsync(Piece(1, DatagramFlags.None, 50, 100).ToArray(), target, TestContext.Current.CancellationToken);
        // Beyond MaxReceiveLength.
        await raw.SendToAsync(Piece(2, DatagramFlags.None, 3990, 100).ToArray(), target, TestContext.Current.CancellationToken);
        // First fragment that does not start at 0; a middle fragment at 0.
        await raw.SendToAsync(Piece(3, DatagramFlags.First | DatagramFlags.More, 10, 100).ToArray(), target, TestContext.Current.CancellationToken);
        await raw.SendToAsync(Piece(4, DatagramFlags.More, 0, 100).ToArray(), target, TestContext.Current.CancellationToken);
        await SyncAsync(net, raw, rawAddress, bob, target, atBob);

        Assert.Equal(4, b.Datagrams.Statistics.FragmentsRejected);
        Assert.Equal(0, b.Datagrams.Statistics.Reassembled);
        Assert.Equal(0, b.Datagrams.PendingReassemblies);
    }

    [Fact]
    public async Task MalformedFlood_DoesNotStopTheService()
    {
        await using var net = new StationTestNetwork();
        var b = net.AddStation();
        var bob = await net.Register(b, "BOB");
        using var atBob = b.Datagrams.Subscribe(DatagramReceiveFilter.ForName(bob));
        await using var raw = net.AddRawHost(out var rawAddress);
        var target = new IPEndPoint(b.Address, 138);
        var random = new Random(138);
        for (int i = 0; i < 200; i++)
        {
            byte[] junk = new byte[random.Next(0, 700)];
            random.NextBytes(junk);
            if (junk.Length > 0 && i % 2 == 0)
            {
                junk[0] = (byte)(0x10 + (i % 7)); // plausible types, garbage bodies
            }

            await raw.SendToAsync(junk, target, TestContext.Current.CancellationToken);
        }

        await SyncAsync(net, raw, rawAddress, bob, target, atBob);
        Assert.True(b.Datagrams.Statistics.Malformed > 150);
    }

    [Fact]
    public async Task Scope_DatagramsFlowBetweenStationsOfTheSameScope()
    {
        await using var net = new StationTestNetwork("CORP.EXAMPLE");
        var (a, b, alice, bob) = await net.AliceAndBob();
        using var atBob = b.Datagrams.Subscribe(DatagramReceiveFilter.ForName(NetBiosName.Create("BOB", 0)));

        await net.Run(a.Datagrams.SendAsync(NetBiosName.Create("ALICE", 0), NetBiosName.Create("BOB", 0), Text("scoped")));

        var received = await StationTestNetwork.Next(atBob);
        Assert.Equal(alice, received.SourceName);
        Assert.Equal("CORP.EXAMPLE", received.DestinationName.Scope);
        Assert.Equal(bob, received.DestinationName);
    }

    [Fact]
    public async Task SlowReceiver_LosesTheOldestDatagrams_NotTheService()
    {
        await using var net = new StationTestNetwork();
        var a = net.AddStation();
        var b = net.AddStation(o => o.Datagrams.ReceiveQueueCapacity = 4);
        var alice = await net.Register(a, "ALICE");
        var bob = await net.Register(b, "BOB");
        var marker = await net.Register(b, "MARKER");
        using var slow = b.Datagrams.Subscribe(DatagramReceiveFilter.ForName(bob));
        using var atMarker = b.Datagrams.Subscribe(DatagramReceiveFilter.ForName(marker));

        for (int i = 0; i < 10; i++)
        {
            await net.Run(a.Datagrams.SendAsync(alice, bob, Text(i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }

        await net.Run(a.Datagrams.SendAsync(alice, marker, Text("done")));
        await StationTestNetwork.Next(atMarker); // handled in order: the ten are queued (or dropped) by now

        Assert.Equal(["6", "7", "8", "9"], [Text(await StationTestNetwork.Next(slow)), Text(await StationTestNetwork.Next(slow)),
            Text(await StationTestNetwork.Next(slow)), Text(await StationTestNetwork.Next(slow))]);
        Assert.Equal(6, b.Datagrams.Statistics.QueueOverflows);
    }

    [Fact]
    public async Task ReceiveAsync_OneShot_GetsTheNextMatchingDatagram_AndCancellationEndsIt()
    {
        await using var net = new StationTestNetwork();
        var (a, b, alice, bob) = await net.AliceAndBob();
        using var cancelled = new CancellationTokenSource();
        var pendingForever = b.Datagrams.ReceiveAsync(DatagramReceiveFilter.Broadcasts, cancelled.Token);
        var oneShot = b.Datagrams.ReceiveAsync(DatagramReceiveFilter.ForName(bob), TestContext.Current.CancellationToken);

        await net.Run(a.Datagrams.SendAsync(alice, bob, Text("once")));
        await cancelled.CancelAsync();

        Assert.Equal("once", Text(await oneShot));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pendingForever);
    }

    [Fact]
    public async Task WithAnNbdd_GroupAndBroadcastDatagramsGoToIt()
    {
        await using var net = new StationTestNetwork();
        await using var nbdd = net.AddRawHost(out var nbddAddress);
        var a = net.AddStation(o => o.Datagrams.DatagramDistributionServer = new IPEndPoint(nbddAddress, 138));
        var alice = await net.Register(a, "ALICE");

        var group = await net.Run(a.Datagrams.SendAsync(alice, NetBiosName.Create("TEAM", 0), Text("g"), DatagramDestinationKind.Group));
        var broadcast = await net.Run(a.Datagrams.SendBroadcastAsync(alice, Text("b")));
        var packet = await StationTestNetwork.NextPacket(nbdd);

        Assert.Equal(new IPEndPoint(nbddAddress, 138), Assert.Single(group.Destinations));
        Assert.Equal(new IPEndPoint(nbddAddress, 138), Assert.Single(broadcast.Destinations));
        var datagram = Assert.IsType<UserDatagram>(packet);
        Assert.Equal(DatagramMessageType.DirectGroup, datagram.Header.Type);
        Assert.Equal(DatagramSourceNodeType.BNode, datagram.Header.SourceNodeType);
        Assert.Equal(NetBiosName.Create("TEAM", 0), datagram.DestinationName);
    }

    [Fact]
    public async Task PNodeWithoutNbdd_SendsAGroupDatagramToEachMemberTheNameServerLists()
    {
        await using var net = new StationTestNetwork();
        await using var memberOne = net.AddRawHost(out var firstAddress);
        await using var memberTwo = net.AddRawHost(out var secondAddress);
        var winsAddress = IPAddress.Parse("10.2.0.200");
        net.Network.AddHost(winsAddress);
        using var wins = new ScriptedResponder(net.Network.CreateDatagramTransport(winsAddress, 137), (r, _) => r.Kind switch
        {
            NameServicePacketKind.NameRegistrationRequest => NameServicePacket.CreatePositiveRegistrationResponse(
                r.Header.TransactionId, r.Questions[0].Name, 3600, NbFlags.None,
                ((NbRecordData)r.Additional[0].Data).Entries[0].Address),
            NameServicePacketKind.NameQueryRequest => NameServicePacket.CreatePositiveQueryResponse(
                r.Header.TransactionId, r.Questions[0].Name, 3600,
                [new(NbFlags.Group, firstAddress), new(NbFlags.Group, secondAddress)]),
            _ => null,
        });
        var a = net.AddStation(o =>
        {
            o.NameService.NodeType = NodeType.P;
            o.NameService.NameServers.Add(new IPEndPoint(winsAddress, 137));
        });
        var alice = await net.Register(a, "ALICE");

        var result = await net.Run(a.Datagrams.SendAsync(alice, NetBiosName.Create("TEAM", 0), Text("members")));

        Assert.Equal(DatagramMessageType.DirectGroup, result.Type);
        Assert.Equal([new IPEndPoint(firstAddress, 138), new IPEndPoint(secondAddress, 138)], result.Destinations);
        foreach (var member in new[] { memberOne, memberTwo })
        {
            var packet = await StationTestNetwork.NextPacket(member);
            Assert.Equal(DatagramSourceNodeType.PNode, Assert.IsType<UserDatagram>(packet).Header.SourceNodeType);
        }

        Assert.DoesNotContain(net.Network.Traffic, d => d.Destination.Address.Equals(net.Segment.BroadcastAddress));
    }

    /// <summary>
    /// Waits until the station has handled everything sent before: sends one more (unfragmented) datagram to
    /// <paramref name="name"/> and waits for it. The receive loop handles packets in order.
    /// </summary>
    private static async Task SyncAsync(StationTestNetwork net, NetBios.Transport.IDatagramTransport raw, IPAddress rawAddress, NetBiosName name,
        IPEndPoint target, DatagramSubscription subscription)
    {
        _ = net;
        byte[] marker = UserDatagram.Create(DatagramMessageType.DirectUnique, 65_535, new IPEndPoint(rawAddress, 138), NetBiosName.Create("RAW", 0),
            name, Text("sync")).ToArray();
        await raw.SendToAsync(marker, target, TestContext.Current.CancellationToken);
        while (Text(await StationTestNetwork.Next(subscription)) != "sync")
        {
            // Skip what arrived before the marker.
        }
    }
}
