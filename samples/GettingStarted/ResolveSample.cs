using System.Net;
using NetBios.NameService;
using NetBios.Station;

namespace NetBios.Samples;

/// <summary>Guide §2: resolve a NetBIOS name to addresses (a name query, RFC 1002 §4.2.12).</summary>
internal static class ResolveSample
{
    /// <summary>Resolves FILESRV (that is FILESRV&lt;00&gt;) and prints every answer.</summary>
    /// <param name="station">A bound station.</param>
    /// <param name="output">Where the sample writes what it finds.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The addresses found (empty when the name is not found).</returns>
    public static async Task<IReadOnlyList<IPAddress>> RunAsync(NetBiosStation station, TextWriter output, CancellationToken cancellationToken)
    {
        // <guide:resolve>
        NetBiosName name = NetBiosName.Parse("FILESRV"); // no suffix: FILESRV<00>; write FILESRV#20 for <20>
        NameQueryResult result = await station.QueryAsync(name, cancellationToken: cancellationToken);
        if (result.Outcome != QueryOutcome.Found)
        {
            output.WriteLine($"{name}: {result.Outcome}"); // NotFound, Timeout, or Conflict (two owners answered)
            return [];
        }

        foreach (NameQueryAnswer answer in result.Answers)
        {
            string kind = answer.IsGroup ? "group" : "unique";
            output.WriteLine($"{name} is {answer.Address} ({kind}, {answer.NodeType}-node, ttl {answer.Ttl.TotalSeconds:F0} s)");
        }
        // </guide:resolve>
        return result.Addresses;
    }
}
