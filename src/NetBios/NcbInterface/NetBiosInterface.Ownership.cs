using NetBios.SessionService;

namespace NetBios.NcbInterface;

/// <summary>What this interface holds on each LANA, for the daemon's administration operations (docs/IPC.md
/// "Administration operations"): which names of the shared station and which sessions are this client's.</summary>
public sealed partial class NetBiosInterface
{
    /// <summary>The names added through this interface on a LANA (ADD NAME / ADD GROUP NAME), still held.</summary>
    /// <param name="lana">The LANA number.</param>
    /// <returns>The names (scope applied); empty for a LANA this interface does not have.</returns>
    internal IReadOnlyList<NetBiosName> NamesAddedOn(byte lana) =>
        _lanas.TryGetValue(lana, out var state) ? state.Names.AddedNames() : [];

    /// <summary>The sessions this interface has on a LANA (CALL / LISTEN).</summary>
    /// <param name="lana">The LANA number.</param>
    /// <returns>The sessions; empty for a LANA this interface does not have.</returns>
    internal IReadOnlyList<NbssSession> SessionsOn(byte lana)
    {
        if (!_lanas.TryGetValue(lana, out var state))
        {
            return [];
        }

        lock (state.SyncRoot)
        {
            return [.. state.Sessions.Values.Select(s => s.Session)];
        }
    }
}
