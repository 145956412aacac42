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
        foreach (var (to, text) in new[] { ("ALICE", "datagram for alice"), ("BOB", "datagram for bob") })
        {
            var send = Make(NcbCommand.DatagramSend, callName: to);
            send.NameNumber = carolNumber;
            send.Buffer = System.Text.Encoding.ASCII.GetBytes(text);
            send.Length = (ushort)send.Buffer.Length;
            Assert.Equal(NcbReturnCode.GoodReturn, await carol.SubmitAsync(send, TestContext.Current.CancellationToken));
        }

        Assert.Equal(NcbReturnCode.GoodReturn, await bobGotDatagram);
        Assert.Equal("datagram for bob", Text(bobDatagram));
    }
}
