using System.Text;
using NetBios.NcbInterface;
using NetBios.Tests.TestCommon;
using Xunit;
using static NetBios.Tests.NcbInterface.NcbTestSupport;

namespace NetBios.Tests.NcbInterface;

/// <summary>NCB name numbers, kept by the NCB layer (<see cref="NcbNameTable"/>): the allocation rules, and names added
/// on a shared station outside the NCB interface, numbered when the NCB layer first sees them.</summary>
public sealed class NcbNameNumberTests
{
    private static NetBiosName Name(string text) => NetBiosName.Create(text, 0x00);

    [Fact]
    public void Number_GoesRoundRobinOver2To254_AndADeletedNumberIsNotReusedAtOnce()
    {
        var table = new NcbNameTable();

        Assert.Equal(2, table.Assign(Name("A"), isPermanent: false));
        Assert.Equal(3, table.Assign(Name("B"), isPermanent: false));
        Assert.Equal(2, table.Assign(Name("A"), isPermanent: false)); // numbered once
        Assert.True(table.Remove(Name("A")));
        Assert.Equal(4, table.Assign(Name("C"), isPermanent: false));
        Assert.Null(table.Find(2));
        Assert.Equal(Name("C"), table.Find(4));

        for (int i = 5; i <= 254; i++)
        {
            Assert.Equal(i, table.Assign(Name($"N{i}"), isPermanent: false));
        }

        Assert.Equal(2, table.Assign(Name("WRAPPED"), isPermanent: false)); // the freed 2, after 254
        Assert.Equal(0, table.Assign(Name("NOROOM"), isPermanent: false)); // 2..254 all taken; 1 is never given to others
        Assert.Null(table.Find(1));
        Assert.Null(table.Find(0xFF));
    }

    [Fact]
    public void Number1_IsThePermanentNameOnly_AndClearStartsAgainAt2()
    {
        var table = new NcbNameTable();
        var permanent = NetBiosName.FromBytes([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x5E, 1, 2, 3]);

        Assert.Equal(2, table.Assign(Name("FIRST"), isPermanent: false, addedHere: true));
        Assert.Equal(NcbNameTable.PermanentNumber, table.Assign(permanent, isPermanent: true));
        Assert.Equal(0, table.Assign(Name("SECONDPRM"), isPermanent: true));
        Assert.Equal(3, table.Assign(Name("OTHER"), isPermanent: false));
        Assert.Equal(1, table.AddedCount);

        Assert.Equal([Name("FIRST")], table.Clear()); // only names added through the interface are for RESET to delete
        Assert.Equal(2, table.Assign(Name("OTHER"), isPermanent: false));
        Assert.Equal(0, table.AddedCount);
    }

    [Fact]
    public async Task NamesAddedOnTheStation_AreNumberedWhenNcbFirstSeesThem_UsableAndNotDeletedByReset()
    {
        await using var net = new StationTestNetwork();
        var a = net.AddStation();
        var b = net.AddStation();
        var nbA = await ResetAsync(net, a);
        var nbB = await ResetAsync(net, b);
        byte mine = await AddAsync(net, nbA, "MINE");
        byte bob = await AddAsync(net, nbB, "BOB");
        await net.Register(a, "OUTSIDE");   // by another program sharing the station
        await net.Register(a, "DATAGRAMS");

        // DATAGRAM RECEIVE to any name: a datagram to DATAGRAMS gives it the next number.
        var any = new Ncb { Command = NcbCommand.DatagramReceive | NcbCommand.Asynchronous, NameNumber = 0xFF, Buffer = new byte[16], Length = 16 };
        nbA.Submit(any);
        var send = Make(NcbCommand.DatagramSend, callName: "DATAGRAMS");
        send.NameNumber = bob;
        send.Buffer = Encoding.ASCII.GetBytes("hi");
        send.Length = 2;
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nbB, send));
        Assert.Equal(NcbReturnCode.GoodReturn, await Completed(net, any));
        Assert.Equal(mine + 1, any.NameNumber);

        // ADAPTER STATUS reports every name of the station in number order, numbering OUTSIDE now.
        var status = Make(NcbCommand.AdapterStatus, callName: "*");
        status.Buffer = new byte[600];
        status.Length = 600;
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nbA, status));
        var entries = Enumerable.Range(0, 3).Select(i => status.Buffer.AsSpan(60 + (i * 18), 18).ToArray()).ToList();
        Assert.Equal(["MINE<00>", "DATAGRAMS<00>", "OUTSIDE<00>"], entries.Select(e => NetBiosName.FromBytes(e.AsSpan(0, 16)).ToString()));
        Assert.Equal([mine, mine + 1, mine + 2], entries.Select(e => (int)e[16]));

        // The number works like any other, and stays the same.
        byte outside = (byte)(mine + 2);
        var fromOutside = new Ncb { Command = NcbCommand.DatagramSendBroadcast, NameNumber = outside, Buffer = new byte[1], Length = 1 };
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nbA, fromOutside));

        // Deleted on the station by its owner: the number names nothing any more.
        Assert.True(await net.Run(a.DeleteNameAsync(Name("OUTSIDE"))));
        Assert.Equal(NcbReturnCode.IllegalNameNumber, await Sync(net, nbA, fromOutside));

        // RESET deletes what the NCB interface added, not the station's other names.
        Assert.Equal(NcbReturnCode.GoodReturn, await Run(net, nbA.ResetAsync(0)));
        Assert.Null(a.GetName(Name("MINE")));
        Assert.NotNull(a.GetName(Name("DATAGRAMS")));
    }

    [Fact]
    public async Task AddDeleteAdd_GivesANewNumber_AndTheOldOneIsIllegal()
    {
        await using var net = new StationTestNetwork();
        var a = net.AddStation();
        var nb = await ResetAsync(net, a);
        byte first = await AddAsync(net, nb, "AGAIN");
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nb, Make(NcbCommand.DeleteName, "AGAIN")));
        byte second = await AddAsync(net, nb, "AGAIN");

        Assert.Equal(2, first);
        Assert.Equal(3, second);
        var old = new Ncb { Command = NcbCommand.DatagramSendBroadcast, NameNumber = first, Buffer = new byte[1], Length = 1 };
        Assert.Equal(NcbReturnCode.IllegalNameNumber, await Sync(net, nb, old));
    }

    [Fact]
    public async Task APermanentNameAddedOnTheStation_IsNumber1_WithOrWithoutNameNumber1()
    {
        await using var net = new StationTestNetwork();
        var a = net.AddStation(o => o.NameService.UnitId = [0x02, 0x00, 0x5E, 0x10, 0x20, 0x30]);
        var permanent = (await net.Run(a.AddPermanentNameAsync())).Name;
        var nb = await ResetAsync(net, a);
        byte first = await AddAsync(net, nb, "FIRST");
        var status = Make(NcbCommand.AdapterStatus, callName: "*");
        status.Buffer = new byte[200];
        status.Length = 200;

        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nb, status));
        Assert.Equal(permanent.ToArray(), status.Buffer.AsSpan(60, 16).ToArray());
        Assert.Equal(1, status.Buffer[60 + 16]);
        Assert.Equal(2, first);

        // RESET with NAME_NUMBER_1 takes the station's permanent name as it is, and keeps it afterwards.
        Assert.Equal(NcbReturnCode.GoodReturn, await Run(net, nb.ResetAsync(0, new NcbResetRequest(NameNumber1: true))));
        Assert.Equal(NcbReturnCode.GoodReturn, await Run(net, nb.ResetAsync(0)));
        Assert.NotNull(a.GetName(permanent));
        Assert.Null(a.GetName(Name("FIRST")));
    }
}
