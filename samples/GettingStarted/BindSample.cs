using System.Net;
using NetBios.Station;
using NetBios.Transport;

namespace NetBios.Samples;

/// <summary>Guide §1: a station on a real network adapter (run here on loopback as a client, which needs no privileges).</summary>
internal static class BindSample
{
    /// <summary>Binds a client station to <paramref name="address"/>, prints its endpoints and disposes it.</summary>
    /// <param name="address">The local address, e.g. 127.0.0.1 (the tests) or the machine's LAN address.</param>
    /// <param name="output">Where the sample writes what it does.</param>
    /// <param name="cancellationToken">Cancels binding.</param>
    /// <returns>The name service endpoint the station had.</returns>
    public static async Task<IPEndPoint> RunAsync(IPAddress address, TextWriter output, CancellationToken cancellationToken)
    {
        // <guide:bind>
        // A client binds ephemeral UDP ports (no root needed) and no session listener; StationRole.Node binds
        // 137/138/139 (root or CAP_NET_BIND_SERVICE), answers for its names and accepts sessions.
        NetworkAdapter adapter = NetworkAdapter.Create(address, prefixLength: 8);
        var options = new StationOptions { Role = StationRole.Client };
        await using NetBiosStation station = await NetBiosStation.BindAsync(adapter, options, cancellationToken: cancellationToken);
        output.WriteLine($"bound: name service {station.NameServiceEndPoint}, datagrams {station.DatagramEndPoint}, node type {station.NodeType}");
        // </guide:bind>
        return station.NameServiceEndPoint;
    }
}
