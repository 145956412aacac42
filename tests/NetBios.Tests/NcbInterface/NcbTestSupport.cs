using NetBios.NcbInterface;
using NetBios.Station;
using NetBios.Tests.TestCommon;
using Xunit;

namespace NetBios.Tests.NcbInterface;

/// <summary>What the NCB tests share: building NCBs, running them through <see cref="INetBios"/> against stations on a
/// fake clock, waiting for async ones. <see cref="Open"/> is the one place an implementation is chosen.</summary>
internal static class NcbTestSupport
{
    /// <summary>An NCB with its name and call name set from text (<c>*</c> is the wildcard call name).</summary>
    public static Ncb Make(NcbCommand command, string? name = null, string? callName = null, byte lana = 0)
    {
        var ncb = new Ncb { Command = command, LanaNumber = lana };
        if (name is not null)
        {
            ncb.SetName(NetBiosName.Create(name, 0x00));
        }

        if (callName is not null)
        {
            ncb.SetCallName(callName == "*" ? NetBiosName.Wildcard : NetBiosName.Create(callName, 0x00));
        }

        return ncb;
    }

    /// <summary>The NCB interface over stations as LANAs 0, 1, … (not RESET).</summary>
    public static INetBios Open(params NetBiosStation[] stations) => Open(stations.Select((s, i) => ((byte)i, s)).ToArray());

    /// <summary>The NCB interface over stations with the given LANA numbers (not RESET).</summary>
    public static INetBios Open(params (byte Lana, NetBiosStation Station)[] lanas) =>
        new NetBiosInterface(lanas.ToDictionary(l => l.Lana, l => l.Station));

    /// <summary>Runs a synchronous NCB on a pool thread (it blocks) while the fake clock advances.</summary>
    public static Task<NcbReturnCode> Sync(StationTestNetwork net, INetBios netbios, Ncb ncb) =>
        net.Run(new ValueTask<NcbReturnCode>(Task.Run(() => netbios.Submit(ncb))));

    /// <summary>Waits for a Task-form call (<see cref="INetBios.SubmitAsync"/>, <see cref="INetBios.ResetAsync"/>…) while
    /// the fake clock advances.</summary>
    public static Task<NcbReturnCode> Run(StationTestNetwork net, Task<NcbReturnCode> call) => net.Run(new ValueTask<NcbReturnCode>(call));

    /// <summary>An interface over one station as LANA 0, RESET with the given limits (0 = default).</summary>
    public static async Task<INetBios> ResetAsync(StationTestNetwork net, NetBiosStation station, byte sessions = 0, byte commands = 0, byte names = 0)
    {
        var netbios = Open(station);
        Assert.Equal(NcbReturnCode.GoodReturn, await Run(net, netbios.ResetAsync(0, new NcbResetRequest(sessions, commands, names))));
        return netbios;
    }

    /// <summary>ADD NAME (or ADD GROUP NAME), which must succeed; the name number.</summary>
    public static async Task<byte> AddAsync(StationTestNetwork net, INetBios netbios, string name, bool group = false, byte lana = 0)
    {
        var add = Make(group ? NcbCommand.AddGroupName : NcbCommand.AddName, name, lana: lana);
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, netbios, add));
        return add.NameNumber;
    }

    /// <summary>Waits for an asynchronous NCB to complete while the fake clock advances; its final code.</summary>
    public static async Task<NcbReturnCode> Completed(StationTestNetwork net, Ncb ncb, double fakeSeconds = 60)
    {
        await net.Run(new ValueTask<bool>(Task.Run(async () =>
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (ncb.CommandComplete == NcbReturnCode.Pending)
            {
                await Task.Delay(2, timeout.Token);
            }

            return true;
        })), fakeSeconds);
        return ncb.CommandComplete;
    }
}
