using System.Net;
using NetBios.NameService;
using NetBios.Station;
using NetBios.Testing;
using NetBios.Transport;

namespace NetBios.Samples;

/// <summary>
/// Where the samples run: two NetBIOS nodes on one in-memory broadcast segment (10.0.0.0/24, real clock, no sockets,
/// no privileges). <see cref="Station"/> (10.0.0.1) is "this program"; <see cref="Peer"/> (10.0.0.2) plays the other
/// machine and holds <c>FILESRV&lt;00&gt;</c> and <c>FILESRV&lt;20&gt;</c>. On a real network each would be a
/// <see cref="NetBiosStation"/> bound to a network adapter (see <see cref="BindSample"/>).
/// </summary>
internal sealed class SampleLab : IAsyncDisposable
{
    private SampleLab(InMemoryNetwork network, NetBiosStation station, NetBiosStation peer)
    {
        Network = network;
        Station = station;
        Peer = peer;
    }

    /// <summary>The name the peer holds (as <c>&lt;00&gt;</c> and <c>&lt;20&gt;</c>).</summary>
    public const string PeerName = "FILESRV";

    /// <summary>The in-memory network: one segment, two hosts.</summary>
    public InMemoryNetwork Network { get; }

    /// <summary>The station of "this program" (10.0.0.1).</summary>
    public NetBiosStation Station { get; }

    /// <summary>The other machine (10.0.0.2), holding FILESRV&lt;00&gt; and FILESRV&lt;20&gt;.</summary>
    public NetBiosStation Peer { get; }

    /// <summary>Builds the segment, binds both stations as full B-nodes and registers the peer's names.</summary>
    /// <param name="cancellationToken">Cancels the set-up.</param>
    /// <returns>The lab; dispose it to release the names and stop the stations.</returns>
    public static async Task<SampleLab> CreateAsync(CancellationToken cancellationToken)
    {
        // <guide:lab-network>
        var network = new InMemoryNetwork(TimeProvider.System); // or a FakeTimeProvider
        InMemorySegment segment = network.AddSegment(IPAddress.Parse("10.0.0.0"), 24); // one broadcast domain
        // </guide:lab-network>
        NetBiosStation station = await BindAsync(network, segment, "10.0.0.1", cancellationToken);
        NetBiosStation peer = await BindAsync(network, segment, "10.0.0.2", cancellationToken);
        var lab = new SampleLab(network, station, peer);
        foreach (byte suffix in new byte[] { 0x00, 0x20 })
        {
            NameRegistrationResult result = await peer.AddNameAsync(NetBiosName.Create(PeerName, suffix), cancellationToken: cancellationToken);
            if (!result.Succeeded)
            {
                await lab.DisposeAsync();
                throw new InvalidOperationException($"the lab peer could not register {result.Name}: {result.Outcome}");
            }
        }

        return lab;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await Station.DisposeAsync();
        await Peer.DisposeAsync();
    }

    private static async Task<NetBiosStation> BindAsync(InMemoryNetwork network, InMemorySegment segment, string address, CancellationToken cancellationToken)
    {
        // <guide:lab>
        var ip = IPAddress.Parse(address);
        InMemoryHost host = network.AddHost(ip); // a simulated machine on the segment that holds `ip`
        var options = new StationOptions { Role = StationRole.Node };
        NetworkAdapter adapter = NetworkAdapter.Create(ip, segment.PrefixLength);
        return await NetBiosStation.BindAsync(adapter, options, host, network.TimeProvider, cancellationToken: cancellationToken);
        // </guide:lab>
    }
}
