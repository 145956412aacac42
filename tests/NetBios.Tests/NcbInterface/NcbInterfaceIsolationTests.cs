using System.Text;
using NetBios.NcbInterface;
using NetBios.Station;
using NetBios.Tests.TestCommon;
using Xunit;
using static NetBios.Tests.NcbInterface.NcbTestSupport;

namespace NetBios.Tests.NcbInterface;

/// <summary>
/// Several NCB interfaces over one station (nbtd's clients, or several in one process): RECEIVE ANY ([RFC 1002] 5.3.3)
/// and DATAGRAM RECEIVE for any name ([RFC 1002] 5.3.4, num 0xFF) take only data for the sessions and names of the
/// interface that posted them, as Windows scopes <c>Netbios()</c> per process; with one interface nothing changes.
/// </summary>
public sealed class NcbInterfaceIsolationTests
{
    private static Ncb AnyReceive(NcbCommand command) =>
        new() { Command = command | NcbCommand.Asynchronous, NameNumber = 0xFF, Buffer = new byte[64], Length = 64 };

    private static Ncb Send(byte lsn, string text)
    {
        byte[] data = Encoding.ASCII.GetBytes(text);
        return new Ncb { Command = NcbCommand.Send, LocalSessionNumber = lsn, Buffer = data, Length = (ushort)data.Length };
    }

    private static Ncb Datagram(string to, string text)
    {
        byte[] data = Encoding.ASCII.GetBytes(text);
        var ncb = Make(NcbCommand.DatagramSend, callName: to);
        ncb.NameNumber = 0; // set by the caller
        ncb.Buffer = data;
        ncb.Length = (ushort)data.Length;
        return ncb;
    }

    private static string Text(Ncb ncb) => Encoding.ASCII.GetString(ncb.Buffer!, 0, ncb.Length);

    /// <summary><paramref name="caller"/> calls <paramref name="to"/> on <paramref name="listener"/> from <paramref name="from"/>: the two LSNs.</summary>
    private static async Task<(byte Caller, byte Listener)> ConnectAsync(StationTestNetwork net, INetBios caller, string from, INetBios listener, string to)
    {
        var listen = Make(NcbCommand.Listen | NcbCommand.Asynchronous, to, "*");
        Assert.Equal(NcbReturnCode.GoodReturn, listener.Submit(listen));
        var call = Make(NcbCommand.Call, from, to);
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, caller, call));
        Assert.Equal(NcbReturnCode.GoodReturn, await Completed(net, listen));
        return (call.LocalSessionNumber, listen.LocalSessionNumber);
    }

    [Fact(Timeout = 60_000)]
    public async Task ReceiveAnyForAnyName_TakesOnlyTheSessionsOfItsOwnInterface()
    {
        await using var net = new StationTestNetwork();
        var shared = net.AddStation();
        var alice = await ResetAsync(net, shared);
        var bob = await ResetAsync(net, shared);
        var peer = await ResetAsync(net, net.AddStation());
        await AddAsync(net, alice, "ALICE");
        await AddAsync(net, bob, "BOB");
        await AddAsync(net, peer, "PEER");
        var (toAlice, aliceLsn) = await ConnectAsync(net, peer, "PEER", alice, "ALICE");
        var (toBob, bobLsn) = await ConnectAsync(net, peer, "PEER", bob, "BOB");

        // Bob's RECEIVE ANY for any name is posted first, then Alice's session gets a message: it stays Alice's.
        var bobAny = AnyReceive(NcbCommand.ReceiveAny);
        Assert.Equal(NcbReturnCode.GoodReturn, bob.Submit(bobAny));
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, peer, Send(toAlice, "secret for alice")));
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, peer, Send(toBob, "for bob")));
        Assert.Equal(NcbReturnCode.GoodReturn, await Completed(net, bobAny));
        Assert.Equal(("for bob", bobLsn), (Text(bobAny), bobAny.LocalSessionNumber));

        var aliceAny = AnyReceive(NcbCommand.ReceiveAny);
        Assert.Equal(NcbReturnCode.GoodReturn, alice.Submit(aliceAny));
        Assert.Equal(NcbReturnCode.GoodReturn, await Completed(net, aliceAny));
        Assert.Equal(("secret for alice", aliceLsn), (Text(aliceAny), aliceAny.LocalSessionNumber));

        // SESSION STATUS counts only the interface's own RECEIVE ANYs.
        var bobAgain = AnyReceive(NcbCommand.ReceiveAny);
        Assert.Equal(NcbReturnCode.GoodReturn, bob.Submit(bobAgain));
        var status = Make(NcbCommand.SessionStatus, "ALICE");
        status.Buffer = new byte[100];
        status.Length = 100;
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, alice, status));
        Assert.Equal(0, status.Buffer[3]);

        // Alice's session ending is not reported to Bob's RECEIVE ANY either.
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, peer, new Ncb { Command = NcbCommand.Hangup, LocalSessionNumber = toAlice }));
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, peer, Send(toBob, "still bob")));
        Assert.Equal(NcbReturnCode.GoodReturn, await Completed(net, bobAgain));
        Assert.Equal(("still bob", bobLsn), (Text(bobAgain), bobAgain.LocalSessionNumber));
    }

    [Fact(Timeout = 60_000)]
    public async Task DatagramReceiveForAnyName_TakesOnlyDatagramsToItsOwnNames_AndStationNamesStillCount()
    {
        await using var net = new StationTestNetwork();
        var shared = net.AddStation();
        var alice = await ResetAsync(net, shared);
        var bob = await ResetAsync(net, shared);
        var peer = await ResetAsync(net, net.AddStation());
        await AddAsync(net, alice, "ALICE");
        await AddAsync(net, bob, "BOB");
        byte fromPeer = await AddAsync(net, peer, "PEER");
        Assert.True((await net.Run(shared.AddNameAsync(NetBiosName.Create("STATION", 0)))).Succeeded); // no interface's

        var bobAny = AnyReceive(NcbCommand.DatagramReceive);
        Assert.Equal(NcbReturnCode.GoodReturn, bob.Submit(bobAny));
        var toAlice = Datagram("ALICE", "secret for alice");
        toAlice.NameNumber = fromPeer;
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, peer, toAlice));
        var toBob = Datagram("BOB", "for bob");
        toBob.NameNumber = fromPeer;
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, peer, toBob));
        Assert.Equal(NcbReturnCode.GoodReturn, await Completed(net, bobAny));
        Assert.Equal("for bob", Text(bobAny));

        // A name of the station that no interface added is still every interface's, as with one interface.
        var bobStation = AnyReceive(NcbCommand.DatagramReceive);
        Assert.Equal(NcbReturnCode.GoodReturn, bob.Submit(bobStation));
        var toStation = Datagram("STATION", "to the station");
        toStation.NameNumber = fromPeer;
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, peer, toStation));
        Assert.Equal(NcbReturnCode.GoodReturn, await Completed(net, bobStation));
        Assert.Equal("to the station", Text(bobStation));
        Assert.NotEqual(0, bobStation.NameNumber);

        // Once Alice's interface is RESET (her names released), a name she held is nobody's claim any more.
        Assert.Equal(NcbReturnCode.GoodReturn, await Run(net, alice.ResetAsync(0, new NcbResetRequest(0, 0, 0))));
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, alice, Make(NcbCommand.AddName, "ALICE")));
        var aliceAny = AnyReceive(NcbCommand.DatagramReceive);
        Assert.Equal(NcbReturnCode.GoodReturn, alice.Submit(aliceAny));
        var again = Datagram("ALICE", "again");
        again.NameNumber = fromPeer;
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, peer, again));
        Assert.Equal(NcbReturnCode.GoodReturn, await Completed(net, aliceAny));
        Assert.Equal("again", Text(aliceAny));
    }

    [Fact(Timeout = 60_000)]
    public async Task AGroupNameAddedByTwoInterfaces_IsJoined_AndLeavesTheStationWithTheLastOne()
    {
        await using var net = new StationTestNetwork();
        var shared = net.AddStation();
        var alice = await ResetAsync(net, shared);
        var bob = await ResetAsync(net, shared);
        var peer = await ResetAsync(net, net.AddStation());
        byte fromPeer = await AddAsync(net, peer, "PEER");
        byte aliceGroup = await AddAsync(net, alice, "CHATROOM", group: true);
        byte bobGroup = await AddAsync(net, bob, "CHATROOM", group: true); // joined, not NRC_DUPNAME
        Assert.Equal(NcbReturnCode.DuplicateName, await Sync(net, bob, Make(NcbCommand.AddGroupName, "CHATROOM"))); // twice by one interface
        await AddAsync(net, alice, "ALICE");
        Assert.Equal(NcbReturnCode.DuplicateName, await Sync(net, bob, Make(NcbCommand.AddName, "ALICE")));

        // Both receive a datagram to the group, on its number and for any name.
        var aliceReceive = new Ncb { Command = NcbCommand.DatagramReceive | NcbCommand.Asynchronous, NameNumber = aliceGroup, Buffer = new byte[64], Length = 64 };
        var bobAny = AnyReceive(NcbCommand.DatagramReceive);
        Assert.Equal(NcbReturnCode.GoodReturn, alice.Submit(aliceReceive));
        Assert.Equal(NcbReturnCode.GoodReturn, bob.Submit(bobAny));
        var toGroup = Datagram("CHATROOM", "to the room");
        toGroup.NameNumber = fromPeer;
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, peer, toGroup));
        Assert.Equal(NcbReturnCode.GoodReturn, await Completed(net, aliceReceive));
        Assert.Equal(NcbReturnCode.GoodReturn, await Completed(net, bobAny));
        Assert.Equal(("to the room", "to the room", bobGroup), (Text(aliceReceive), Text(bobAny), bobAny.NameNumber));

        // A group name of the station itself (none of the interfaces registered it) may be joined too, and stays.
        Assert.True((await net.Run(shared.AddNameAsync(NetBiosName.Create("CONFGROUP", 0), isGroup: true))).Succeeded);
        await AddAsync(net, bob, "CONFGROUP", group: true);

        // Alice leaves the group: Bob still holds it; Bob's RESET then deletes it from the station.
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, alice, Make(NcbCommand.DeleteName, "CHATROOM")));
        Assert.NotNull(shared.GetName(NetBiosName.Create("CHATROOM", 0)));
        Assert.Equal(NcbReturnCode.GoodReturn, await Run(net, bob.ResetAsync(0, new NcbResetRequest(0, 0, 0))));
        Assert.Null(shared.GetName(NetBiosName.Create("CHATROOM", 0)));
        Assert.NotNull(shared.GetName(NetBiosName.Create("CONFGROUP", 0)));
    }

    [Fact]
    public void NameClaims_AreReleasedWithTheName_AndGroupNamesMayHaveSeveralOwners()
    {
        var claims = new NcbNameClaims();
        var a = new NcbNameTable(claims);
        var b = new NcbNameTable(claims);
        var group = NetBiosName.Create("GROUP", 0);
        var mine = NetBiosName.Create("MINE", 0);
        Assert.NotEqual(0, a.Assign(mine, isPermanent: false, addedHere: true));
        Assert.False(a.IsKeptByOthers(mine));
        Assert.NotEqual(0, b.Assign(mine, isPermanent: false)); // numbered by b, not added by it
        Assert.True(a.MayReceiveFor(mine));
        Assert.False(b.MayReceiveFor(mine));

        a.Assign(group, isPermanent: false, addedHere: true);
        b.Assign(group, isPermanent: false, addedHere: true);
        Assert.True(a.MayReceiveFor(group) && b.MayReceiveFor(group));

        Assert.True(a.Remove(mine));
        Assert.True(b.MayReceiveFor(mine));
        a.Clear();
        Assert.False(claims.IsClaimedByAnother(group, b));
        Assert.True(claims.IsClaimedByAnother(group, a));
    }
}
