using System.Net;
using NetBios.NameService;
using NetBios.Station;
using NetBios.Wire.NameService;

namespace NetBios.Samples;

/// <summary>Guide §3: node status, the names a machine holds (RFC 1002 §4.2.17/§4.2.18; what <c>nbtstat -A</c> prints).</summary>
internal static class NodeStatusSample
{
    /// <summary>Asks <paramref name="address"/> for its name table and prints it.</summary>
    /// <param name="station">A bound station.</param>
    /// <param name="address">The machine to ask.</param>
    /// <param name="output">Where the sample writes the table.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The names the machine reported (empty when it did not answer).</returns>
    public static async Task<IReadOnlyList<NetBiosName>> RunAsync(NetBiosStation station, IPAddress address, TextWriter output, CancellationToken cancellationToken)
    {
        // <guide:status>
        NodeStatusResult status = await station.GetNodeStatusAsync(address, cancellationToken: cancellationToken);
        if (status.Outcome != QueryOutcome.Found)
        {
            output.WriteLine($"{address}: {status.Outcome}");
            return [];
        }

        output.WriteLine($"Node status of {address} (MAC {status.MacAddress?.ToString() ?? "unknown"}):");
        foreach (NodeStatusEntry entry in status.Names)
        {
            output.WriteLine($"  {entry.Name,-22} {(entry.IsGroup ? "GROUP " : "UNIQUE")}  {entry.Flags}");
        }
        // </guide:status>
        return [.. status.Names.Select(entry => entry.Name)];
    }
}
