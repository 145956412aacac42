using System.Net;

namespace NetBios.Samples;

/// <summary>The samples' command line: <c>netbios-samples [bind|resolve|status|register|datagram|session|ncb|all]</c>.</summary>
internal static class SampleRunner
{
    /// <summary>The sample names, in the guide's order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["bind", "resolve", "status", "register", "datagram", "session", "ncb"];

    /// <summary>Runs one sample (or all, each in a fresh lab) and returns the process exit code.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="output">Where the samples write.</param>
    /// <param name="cancellationToken">Cancels the samples.</param>
    /// <returns>0 when every sample ran, 2 for a usage error.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        string which = args.Length == 0 ? "all" : args[0];
        if (args.Length > 1 || (which != "all" && !Names.Contains(which)))
        {
            output.WriteLine($"usage: netbios-samples [{string.Join('|', Names)}|all]");
            return 2;
        }

        foreach (string name in which == "all" ? Names : [which])
        {
            output.WriteLine($"== {name}");
            await RunOneAsync(name, output, cancellationToken);
        }

        return 0;
    }

    /// <summary>Runs one sample: <c>bind</c> on loopback, the others in a fresh <see cref="SampleLab"/>.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="output">Where the sample writes.</param>
    /// <param name="cancellationToken">Cancels the sample.</param>
    /// <returns>What the sample returned, for the tests to check.</returns>
    public static async Task<object> RunOneAsync(string name, TextWriter output, CancellationToken cancellationToken)
    {
        if (name == "bind")
        {
            return await BindSample.RunAsync(IPAddress.Loopback, output, cancellationToken);
        }

        await using SampleLab lab = await SampleLab.CreateAsync(cancellationToken);
        return name switch
        {
            "resolve" => await ResolveSample.RunAsync(lab.Station, output, cancellationToken),
            "status" => await NodeStatusSample.RunAsync(lab.Station, lab.Peer.Address, output, cancellationToken),
            "register" => await RegisterSample.RunAsync(lab.Station, output, cancellationToken),
            "datagram" => await DatagramSample.RunAsync(lab.Station, lab.Peer, output, cancellationToken),
            "session" => await SessionSample.RunAsync(lab.Station, lab.Peer, output, cancellationToken),
            "ncb" => await NcbSample.RunAsync(lab.Station, lab.Peer, output, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a sample"),
        };
    }
}
