using System.Collections.Concurrent;
using NetBios.NameServer;
using NetBios.Station;

namespace Nbtd.Hosting;

/// <summary>
/// The stations nbtd has bound, by LANA number, and the WINS server if one runs: one singleton, filled by
/// <see cref="StationBinder"/> before any hosted service starts, so that the services that serve local programs (the
/// IPC server) find every station in <see cref="Stations"/>.
/// </summary>
/// <remarks>Thread safety: all members may be called concurrently.</remarks>
internal sealed class StationRegistry
{
    private readonly ConcurrentDictionary<byte, NetBiosStation> _stations = new();

    /// <summary>The bound stations by LANA (the dictionary the IPC server takes).</summary>
    public IReadOnlyDictionary<byte, NetBiosStation> Stations => _stations;

    /// <summary>The WINS server, when configured and started.</summary>
    public WinsServer? WinsServer { get; private set; }

    /// <summary>The LANA whose endpoint the WINS server shares, when it runs.</summary>
    public byte? WinsLana { get; private set; }

    /// <summary>Adds a bound station.</summary>
    /// <param name="lana">Its LANA.</param>
    /// <param name="station">The station.</param>
    /// <exception cref="InvalidOperationException">The LANA is taken.</exception>
    public void Add(byte lana, NetBiosStation station)
    {
        if (!_stations.TryAdd(lana, station))
        {
            throw new InvalidOperationException($"LANA {lana} is already bound.");
        }
    }

    /// <summary>Records the running WINS server.</summary>
    /// <param name="lana">The LANA whose endpoint it shares.</param>
    /// <param name="server">The server.</param>
    public void SetWinsServer(byte lana, WinsServer server)
    {
        WinsLana = lana;
        WinsServer = server;
    }

    /// <summary>Forgets every station and the server (after they were stopped).</summary>
    public void Clear()
    {
        _stations.Clear();
        WinsServer = null;
        WinsLana = null;
    }
}
