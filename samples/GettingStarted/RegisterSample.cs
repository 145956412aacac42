using NetBios.NameService;
using NetBios.Station;

namespace NetBios.Samples;

/// <summary>Guide §4: add names (registration, RFC 1002 §4.2.2; conflict, §4.2.6) and delete them again.</summary>
internal static class RegisterSample
{
    /// <summary>Registers MYHOST&lt;00&gt; and the group WORKGROUP&lt;00&gt;, then tries FILESRV&lt;00&gt;, which the peer holds.</summary>
    /// <param name="station">A bound station.</param>
    /// <param name="output">Where the sample writes the outcomes.</param>
    /// <param name="cancellationToken">Cancels the registrations.</param>
    /// <returns>The outcomes of the three registrations, in order.</returns>
    public static async Task<IReadOnlyList<RegistrationOutcome>> RunAsync(NetBiosStation station, TextWriter output, CancellationToken cancellationToken)
    {
        // <guide:register>
        NameRegistrationResult mine = await station.AddNameAsync(NetBiosName.Parse("MYHOST"), cancellationToken: cancellationToken);
        output.WriteLine($"{mine.Name}: {mine.Outcome}"); // MYHOST<00>: Registered

        NameRegistrationResult group = await station.AddNameAsync(NetBiosName.Parse("WORKGROUP"), isGroup: true, cancellationToken);
        output.WriteLine($"{group.Name} (group): {group.Outcome}");

        // A unique name another node holds: that node defends it, and the station does not get it.
        NameRegistrationResult taken = await station.AddNameAsync(NetBiosName.Parse("FILESRV"), cancellationToken: cancellationToken);
        output.WriteLine($"{taken.Name}: {taken.Outcome}, owner {taken.Owner}"); // FILESRV<00>: Conflict, owner 10.0.0.2

        // The names stay registered (and defended) until deleted or the station is disposed.
        await station.DeleteNameAsync(mine.Name, cancellationToken);
        // </guide:register>
        return [mine.Outcome, group.Outcome, taken.Outcome];
    }
}
