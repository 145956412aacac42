using NetBios.NcbInterface;
using NetBios.Station;
using NetBios.Tests.TestCommon;
using Xunit;

namespace NetBios.Tests.NcbInterface;

/// <summary>What the NCB tests share: building NCBs, running them against stations on a fake clock, waiting for async ones.</summary>
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

    /// <summary>Runs a synchronous NCB on a pool thread (it blocks) while the fake clock advances.</summary>
    public static Task<NcbReturnCode> Sync(StationTestNetwork net, NetBiosInterface netbios, Ncb ncb) =>
        net.Run(new ValueTask<NcbReturnCode>(Task.Run(() => netbios.Submit(ncb))));

    /// <summary>An interface over one station as LANA 0, RESET with the given limits (0 = default).</summary>
    public static async Task<NetBiosInterface> ResetAsync(StationTestNetwork net, NetBiosStation station, byte sessions = 0, byte commands = 0, byte names = 0)
    {
        var netbios = new NetBiosInterface(new Dictionary<byte, NetBiosStation> { [0] = station });
        var reset = Make(NcbCommand.Reset);
        reset.CallName[0] = sessions;
        reset.CallName[1] = commands;
        reset.CallName[2] = names;
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, netbios, reset));
        return netbios;
    }

    /// <summary>ADD NAME (or ADD GROUP NAME), which must succeed; the name number.</summary>
    public static async Task<byte> AddAsync(StationTestNetwork net, NetBiosInterface netbios, string name, bool group = false)
    {
        var add = Make(group ? NcbCommand.AddGroupName : NcbCommand.AddName, name);
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
