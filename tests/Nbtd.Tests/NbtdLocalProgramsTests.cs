using System.Diagnostics;
using System.Net;
using System.Text;
using NetBios;
using NetBios.Daemon;
using NetBios.NameService;
using NetBios.NcbInterface;
using NetBios.Station;
using Xunit;

namespace Nbtd.Tests;

/// <summary>
/// Issue 15: the real nbtd process serving local programs over its Unix socket. Two clients, each with its own name
/// on the one station, hold a session with each other; the names answer on the wire while held, and a client that
/// disconnects loses its name on the wire at once.
/// </summary>
public sealed class NbtdLocalProgramsTests
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ReleaseBound = TimeSpan.FromSeconds(5);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoLocalPrograms_HoldASessionThroughNbtd_AndADisconnectedOneLosesItsName()
    {
        var ports = FreePorts.Take();
        await using var nbtd = NbtdProcess.Start(FreePorts.LoopbackStation(ports, "NBTDIPC"));
        await nbtd.WaitForOutputAsync("nbtd ready", StartLimit);
        Assert.Contains($"serving local programs on {nbtd.SocketPath}", nbtd.Stdout, StringComparison.Ordinal);

        await using var bob = await NetBiosDaemonClient.ConnectAsync(nbtd.SocketPath!, Ct);
        var alice = await NetBiosDaemonClient.ConnectAsync(nbtd.SocketPath!, Ct);
        try
        {
            Assert.Equal(NcbReturnCode.GoodReturn, await alice.ResetAsync(0));
            Assert.Equal(NcbReturnCode.GoodReturn, await bob.ResetAsync(0));
            Assert.Equal(NcbReturnCode.GoodReturn, await alice.SubmitAsync(Make(NcbCommand.AddName, "ALICE"), Ct));
            Assert.Equal(NcbReturnCode.GoodReturn, await bob.SubmitAsync(Make(NcbCommand.AddName, "BOB"), Ct));

            await using var observer = await NetBiosStation.BindAsync(IPAddress.Loopback,
                new StationOptions { NameService = new NameServiceOptions { RemotePort = ports.Name } }, cancellationToken: Ct);
            Assert.Equal(QueryOutcome.Found, (await QueryAsync(observer, ports, "ALICE")).Outcome);

            // BOB listens, ALICE calls: a session between two programs on one host, through the daemon.
            var listen = Make(NcbCommand.Listen, "BOB", "*");
            var listening = bob.SubmitAsync(listen, Ct);
            var call = Make(NcbCommand.Call, "ALICE", "BOB");
            Assert.Equal(NcbReturnCode.GoodReturn, await alice.SubmitAsync(call, Ct));
            Assert.Equal(NcbReturnCode.GoodReturn, await listening.WaitAsync(TimeSpan.FromSeconds(30), Ct));

            byte[] hello = Encoding.ASCII.GetBytes("hello bob");
            var receive = new Ncb { Command = NcbCommand.Receive, LocalSessionNumber = listen.LocalSessionNumber, Buffer = new byte[64], Length = 64 };
            var receiving = bob.SubmitAsync(receive, Ct);
            Assert.Equal(NcbReturnCode.GoodReturn, await alice.SubmitAsync(
                new Ncb { Command = NcbCommand.Send, LocalSessionNumber = call.LocalSessionNumber, Buffer = hello, Length = (ushort)hello.Length }, Ct));
            Assert.Equal(NcbReturnCode.GoodReturn, await receiving.WaitAsync(TimeSpan.FromSeconds(30), Ct));
            Assert.Equal("hello bob", Encoding.ASCII.GetString(receive.Buffer!, 0, receive.Length));

            // ALICE's program goes away: its session ends for BOB and its name is released on the wire.
            var pending = new Ncb { Command = NcbCommand.Receive, LocalSessionNumber = listen.LocalSessionNumber, Buffer = new byte[64], Length = 64 };
            var bobWaits = bob.SubmitAsync(pending, Ct);
            await alice.DisposeAsync();
            Assert.Contains(await bobWaits.WaitAsync(TimeSpan.FromSeconds(30), Ct), new[] { NcbReturnCode.SessionClosed, NcbReturnCode.SessionAborted });
            // Within the documented bound (docs/IPC.md "Lifetime": the SIGKILL test allows 5 s), not within a fixed
            // number of queries: back-to-back loopback queries can all be answered before a loaded daemon's release.
            var released = Stopwatch.StartNew();
            NameQueryResult gone;
            while ((gone = await QueryAsync(observer, ports, "ALICE")).Outcome == QueryOutcome.Found && released.Elapsed < ReleaseBound)
            {
                await Task.Delay(20, Ct);
            }

            Assert.NotEqual(QueryOutcome.Found, gone.Outcome);
            Assert.Equal(QueryOutcome.Found, (await QueryAsync(observer, ports, "BOB")).Outcome);
        }
        finally
        {
            await alice.DisposeAsync();
        }

        nbtd.Terminate();
        Assert.Equal(0, await nbtd.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.False(File.Exists(nbtd.SocketPath), "the socket is removed at exit");
    }

    private static Ncb Make(NcbCommand command, string name, string? callName = null)
    {
        var ncb = new Ncb { Command = command };
        ncb.SetName(NetBiosName.Create(name, 0x00));
        if (callName is not null)
        {
            ncb.SetCallName(callName == "*" ? NetBiosName.Wildcard : NetBiosName.Create(callName, 0x00));
        }

        return ncb;
    }

    private static async Task<NameQueryResult> QueryAsync(NetBiosStation observer, (int Name, int Datagram, int Session) ports, string name) =>
        await observer.QueryAsync(NetBiosName.Create(name, 0x00),
            new NameQueryOptions { Target = new IPEndPoint(IPAddress.Loopback, ports.Name), UseCache = false }, Ct);
}
