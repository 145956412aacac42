using System.Runtime.CompilerServices;
using NetBios.Station;

namespace NetBios.NcbInterface;

/// <summary>
/// Which NCB interfaces over one station added which names (NCB ADD NAME / ADD GROUP NAME, IBM NetBIOS 3.0; [RFC 1001]
/// 15.1.1 name registration by the local node): the station's names are shared, but DATAGRAM RECEIVE for any name
/// (0xFF) of one interface takes only datagrams to the names it added itself, or to names no interface added (those
/// of the station's own API), never those to a name another interface — another nbtd client — added.
/// </summary>
/// <remarks>One per station, shared by every <see cref="NcbNameTable"/> over it. Thread safety: all members may be
/// called concurrently; it calls nothing back.</remarks>
internal sealed class NcbNameClaims
{
    private static readonly ConditionalWeakTable<NetBiosStation, NcbNameClaims> ByStation = new();

    private readonly Lock _lock = new();
    private readonly Dictionary<NetBiosName, List<NcbNameTable>> _owners = [];

    /// <summary>The claims of a station, created the first time.</summary>
    /// <param name="station">The station.</param>
    /// <returns>Its claims.</returns>
    public static NcbNameClaims Of(NetBiosStation station) => ByStation.GetValue(station, _ => new NcbNameClaims());

    /// <summary>Records that <paramref name="owner"/> added <paramref name="name"/> (a group name may have several).</summary>
    /// <param name="name">The name (scope applied).</param>
    /// <param name="owner">The interface's name table.</param>
    public void Claim(NetBiosName name, NcbNameTable owner)
    {
        lock (_lock)
        {
            if (!_owners.TryGetValue(name, out var owners))
            {
                _owners[name] = owners = [];
            }

            if (!owners.Contains(owner))
            {
                owners.Add(owner);
            }
        }
    }

    /// <summary>Forgets <paramref name="owner"/>'s claim on <paramref name="name"/>.</summary>
    /// <param name="name">The name.</param>
    /// <param name="owner">The interface's name table.</param>
    /// <returns>True when no interface claims the name any more (the caller may delete it from the station).</returns>
    public bool Release(NetBiosName name, NcbNameTable owner)
    {
        lock (_lock)
        {
            if (!_owners.TryGetValue(name, out var owners))
            {
                return true;
            }

            owners.Remove(owner);
            if (owners.Count == 0)
            {
                _owners.Remove(name);
                return true;
            }

            return false;
        }
    }

    /// <summary>Whether an interface other than <paramref name="owner"/> added <paramref name="name"/>.</summary>
    /// <param name="name">The name.</param>
    /// <param name="owner">The asking interface's name table.</param>
    /// <returns>True when another interface holds it.</returns>
    public bool IsClaimedByAnother(NetBiosName name, NcbNameTable owner)
    {
        lock (_lock)
        {
            return _owners.TryGetValue(name, out var owners) && owners.Exists(o => o != owner);
        }
    }
}
