using NetBios.NameService;
using NetBios.Station;
using Xunit;

namespace NetBios.Daemon.Tests;

/// <summary>How a test reaches the station: the embedded <see cref="NetBiosStation"/> itself, or a
/// <see cref="NetBiosDaemonStation"/> through <see cref="NetBiosDaemonServer"/> over the same station.</summary>
public enum StationMode
{
    /// <summary>The station object in this process.</summary>
    Embedded,

    /// <summary>A daemon client's station.</summary>
    Daemon,
}

/// <summary>A <see cref="DaemonTestBed"/> with the station under test seen as an <see cref="INetBiosStation"/> (embedded or
/// through the daemon) and a peer station (the bed's observer) holding <see cref="PeerName"/>.</summary>
internal sealed class StationUnderTest : IAsyncDisposable
{
    private StationUnderTest(DaemonTestBed bed, INetBiosStation station)
    {
        Bed = bed;
        Station = station;
    }

    /// <summary>The peer's unique name.</summary>
    public static NetBiosName PeerName { get; } = NetBiosName.Create("PEER", 0x00);

    public DaemonTestBed Bed { get; }

    public INetBiosStation Station { get; }

    public NetBiosStation Peer => Bed.Observer;

    public static async Task<StationUnderTest> StartAsync(StationMode mode, Action<NetBiosDaemonServerOptions>? configure = null)
    {
        var bed = await DaemonTestBed.StartAsync(configure);
        try
        {
            var added = await bed.Observer.AddNameAsync(PeerName, cancellationToken: TestContext.Current.CancellationToken);
            Assert.Equal(RegistrationOutcome.Registered, added.Outcome);
            INetBiosStation station = mode == StationMode.Embedded
                ? bed.Station
                : await (await bed.ConnectAsync()).GetStationAsync(0, TestContext.Current.CancellationToken);
            return new StationUnderTest(bed, station);
        }
        catch
        {
            await bed.DisposeAsync();
            throw;
        }
    }

    /// <summary>Repeats <paramref name="attempt"/> (every 20 ms, at most 10 s) until <paramref name="done"/> has completed:
    /// a receive or listen through the daemon starts when its request arrives, so what should reach it is sent until it does.</summary>
    public static async Task<T> WhileRepeatingAsync<T>(Task<T> done, Func<Task> attempt)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!done.IsCompleted && DateTime.UtcNow < deadline)
        {
            await attempt();
            await Task.WhenAny(done, Task.Delay(20, TestContext.Current.CancellationToken));
        }

        return await done.WaitAsync(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Station is NetBiosDaemonStation daemon)
        {
            await daemon.DisposeAsync();
        }

        await Bed.DisposeAsync();
    }
}
