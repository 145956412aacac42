using NetBios.NcbInterface;
using Xunit;
using static NetBios.Daemon.Tests.Ncbs;

namespace NetBios.Daemon.Tests;

/// <summary>
/// Clients of one daemon share its stations but not each other's data: RECEIVE ANY for any name (0xFF) and DATAGRAM
/// RECEIVE for any name of one client never take another client's session messages or datagrams (docs/IPC.md
/// "Isolation of any-name receives").
/// </summary>
public sealed class DaemonIsolationTests
{
    private static Ncb AnyName(NcbCommand command) => new() { Command = command, NameNumber = 0xFF, Buffer = new byte[64], Length = 64 };

    [Fact(Timeout = 120_000)]
    public async Task ReceiveAnyForAnyName_OfOneClient_NeverGetsAnotherClientsSessionData()
    {
        await using var bed = await DaemonTestBed.StartAsync();
        await using var alice = await bed.ConnectAndResetAsync();
        await using var bob = await bed.ConnectAndResetAsync();
        await using var carol = await bed.ConnectAndResetAsync();
        await AddAsync(alice, "ALICE");
        await AddAsync(bob, "BOB");
        byte carolNumber = await AddAsync(carol, "CAROL");
        var (toAlice, aliceLsn) = await ConnectAsync(carol, "CAROL", alice, "ALICE");
        var (toBob, bobLsn) = await ConnectAsync(carol, "CAROL", bob, "BOB");

        // Bob's RECEIVE ANY 0xFF waits first; Alice's session gets a message, then Bob's: Bob gets only his.
        var bobAny = AnyName(NcbCommand.ReceiveAny);
        var bobReceived = await StartAsync(bob, bobAny);
        Assert.Equal(NcbReturnCode.GoodReturn, await carol.SubmitAsync(Send(toAlice, "secret for alice"), TestContext.Current.CancellationToken));
        Assert.Equal(NcbReturnCode.GoodReturn, await carol.SubmitAsync(Send(toBob, "for bob"), TestContext.Current.CancellationToken));
        Assert.Equal(NcbReturnCode.GoodReturn, await bobReceived);
        Assert.Equal(("for bob", bobLsn), (Text(bobAny), bobAny.LocalSessionNumber));

        var aliceAny = AnyName(NcbCommand.ReceiveAny);
        Assert.Equal(NcbReturnCode.GoodReturn, await alice.SubmitAsync(aliceAny, TestContext.Current.CancellationToken));
        Assert.Equal(("secret for alice", aliceLsn), (Text(aliceAny), aliceAny.LocalSessionNumber));

        // The same for DATAGRAM RECEIVE for any name.
        var bobDatagram = AnyName(NcbCommand.DatagramReceive);
        var bobGotDatagram = await StartAsync(bob, bobDatagram);
        await SendDatagramsAsync(carol, carolNumber, ("ALICE", "datagram for alice"), ("BOB", "datagram for bob"));

        Assert.Equal(NcbReturnCode.GoodReturn, await bobGotDatagram);
        Assert.Equal("datagram for bob", Text(bobDatagram));
    }

    /// <summary>A name one client added through the station operations is that client's too: another client's NCB
    /// DATAGRAM RECEIVE for any name does not take datagrams to it (it did before: the NCB layer did not see such names).</summary>
    [Fact(Timeout = 120_000)]
    public async Task DatagramReceiveForAnyName_NeverGetsDatagramsToANameAnotherClientAddedThroughTheStationApi()
    {
        await using var bed = await DaemonTestBed.StartAsync();
        await using var alice = await bed.ConnectAsync();
        await using var bob = await bed.ConnectAndResetAsync();
        await using var carol = await bed.ConnectAndResetAsync();
        var aliceStation = await alice.GetStationAsync(0, TestContext.Current.CancellationToken);
        Assert.True((await aliceStation.AddNameAsync(NetBiosName.Create("ALICESTA", 0x00), cancellationToken: TestContext.Current.CancellationToken)).Succeeded);
        await AddAsync(bob, "BOB");
        byte carolNumber = await AddAsync(carol, "CAROL");

        var bobDatagram = AnyName(NcbCommand.DatagramReceive);
        var bobGotDatagram = await StartAsync(bob, bobDatagram);
        await SendDatagramsAsync(carol, carolNumber, ("ALICESTA", "datagram for alice"), ("BOB", "datagram for bob"));

        Assert.Equal(NcbReturnCode.GoodReturn, await bobGotDatagram);
        Assert.Equal("datagram for bob", Text(bobDatagram));
    }

    /// <summary>NcbChat's pattern through the daemon: both clients ADD GROUP NAME the same group (the second joins it)
    /// and keep a DATAGRAM RECEIVE on it, re-armed in POST; each line sent to the group reaches both.</summary>
    [Fact(Timeout = 120_000)]
    public async Task TwoClientsInOneGroup_EachGetsTheOthersGroupDatagrams_ReArmedInPost()
    {
        await using var bed = await DaemonTestBed.StartAsync();
        await using var left = await bed.ConnectAndResetAsync();
        await using var right = await bed.ConnectAndResetAsync();
        byte leftNick = await AddAsync(left, "LEFTCHAT");
        byte rightNick = await AddAsync(right, "RIGHTCHAT");
        var leftGroup = Make(NcbCommand.AddGroupName, "ROOM");
        var rightGroup = Make(NcbCommand.AddGroupName, "ROOM");
        Assert.Equal(NcbReturnCode.GoodReturn, await left.SubmitAsync(leftGroup, TestContext.Current.CancellationToken));
        Assert.Equal(NcbReturnCode.GoodReturn, await right.SubmitAsync(rightGroup, TestContext.Current.CancellationToken));

        var rearmed = new int[2];
        var leftLines = System.Threading.Channels.Channel.CreateUnbounded<string>();
        var rightLines = System.Threading.Channels.Channel.CreateUnbounded<string>();
        foreach (var (client, number, lines, index) in new[] { (left, leftGroup.NameNumber, leftLines, 0), (right, rightGroup.NameNumber, rightLines, 1) })
        {
            var receive = new Ncb { Command = NcbCommand.DatagramReceive | NcbCommand.Asynchronous, NameNumber = number, Buffer = new byte[512], Length = 512 };
            receive.Post = n =>
            {
                if (n.CommandComplete != NcbReturnCode.GoodReturn)
                {
                    return;
                }

                lines.Writer.TryWrite(NetBiosName.FromBytes(n.CallName).ToString().Trim() + ": " + Text(n));
                n.Length = 512;
                if (client.Submit(n) == NcbReturnCode.GoodReturn)
                {
                    Interlocked.Increment(ref rearmed[index]);
                }
            };
            Assert.Equal(NcbReturnCode.GoodReturn, await Task.Run(() => client.Submit(receive), TestContext.Current.CancellationToken));
        }

        // Each line is sent once both have received the one before and re-armed their receive in POST (a DATAGRAM
        // RECEIVE only gets what arrives while it is pending).
        var gotLeft = new List<string>();
        var gotRight = new List<string>();
        int sent = 0;
        foreach (var (client, nick, text) in new[] { (left, leftNick, "one"), (right, rightNick, "two"), (left, leftNick, "three"), (right, rightNick, "four") })
        {
            var send = Make(NcbCommand.DatagramSend, callName: "ROOM");
            send.NameNumber = nick;
            send.Buffer = System.Text.Encoding.ASCII.GetBytes(text);
            send.Length = (ushort)send.Buffer.Length;
            Assert.Equal(NcbReturnCode.GoodReturn, await Task.Run(() => client.Submit(send), TestContext.Current.CancellationToken)); // as NcbChat: a wait NCB
            sent++;
            await EventuallyAsync(() =>
            {
                while (leftLines.Reader.TryRead(out var l))
                {
                    gotLeft.Add(l);
                }

                while (rightLines.Reader.TryRead(out var r))
                {
                    gotRight.Add(r);
                }

                return gotLeft.Count == sent && gotRight.Count == sent && Volatile.Read(ref rearmed[0]) == sent && Volatile.Read(ref rearmed[1]) == sent;
            });
        }

        Assert.True(gotLeft.Count == 4 && gotRight.Count == 4, $"left got [{string.Join(", ", gotLeft)}], right got [{string.Join(", ", gotRight)}]");
        Assert.Equal(gotLeft, gotRight);
    }

    /// <summary>SEND DATAGRAM of each text to its name, from the sender's name number, in order.</summary>
    private static async Task SendDatagramsAsync(NetBiosDaemonClient sender, byte nameNumber, params (string To, string Text)[] datagrams)
    {
        foreach (var (to, text) in datagrams)
        {
            var send = Make(NcbCommand.DatagramSend, callName: to);
            send.NameNumber = nameNumber;
            send.Buffer = System.Text.Encoding.ASCII.GetBytes(text);
            send.Length = (ushort)send.Buffer.Length;
            Assert.Equal(NcbReturnCode.GoodReturn, await sender.SubmitAsync(send, TestContext.Current.CancellationToken));
        }
    }
}
