using System.Runtime.CompilerServices;
using NetBios.Station;

namespace NetBios.NcbInterface;

/// <summary>
/// Which NCB interfaces over one station added which names (NCB ADD NAME / ADD GROUP NAME, IBM NetBIOS 3.0; [RFC 1001]
/// 15.1.1 name registration by the local node): the station's names are shared, but DATAGRAM RECEIVE for any name
/// (0xFF) of one interface takes only datagrams to the names it added itself, or to names no interface added (those
/// of the station's own API), never those to a name another interface — another nbtd client — added, or that a daemon
/// client added through the station operations (<see cref="Reserve"/>).
/// </summary>
/// <remarks>One per station, shared by every <see cref="NcbNameTable"/> over it. Thread safety: all members may be
/// called concurrently; it calls nothing back.</remarks>
internal sealed class NcbNameClaims
{
    private static readonly ConditionalWeakTable<NetBiosStation, NcbNameClaims> ByStation = new();

    private readonly Lock _lock = new();
    private readonly Dictionary<NetBiosName, Holders> _owners = [];
    private readonly Dictionary<NetBiosName, TaskCompletionSource> _registering = [];
    private readonly HashSet<NetBiosName> _reserved = [];

    /// <summary>The claims of a station, created the first time.</summary>
    /// <param name="station">The station.</param>
    /// <returns>Its claims.</returns>
    public static NcbNameClaims Of(NetBiosStation station) => ByStation.GetValue(station, _ => new NcbNameClaims());

    /// <summary>Records that <paramref name="owner"/> added <paramref name="name"/>: registered it (ADD NAME or the first
    /// ADD GROUP NAME), or joined a group name already on the station.</summary>
    /// <param name="name">The name (scope applied).</param>
    /// <param name="owner">The interface's name table.</param>
    /// <param name="registered">True when the interface registered it (false: joined).</param>
    public void Claim(NetBiosName name, NcbNameTable owner, bool registered)
    {
        lock (_lock)
        {
            if (!_owners.TryGetValue(name, out var holders))
            {
                _owners[name] = holders = new Holders();
            }

            holders.Registered |= registered;
            if (!holders.Owners.Contains(owner))
            {
                holders.Owners.Add(owner);
            }
        }
    }

    /// <summary>Records that <paramref name="name"/> belongs to a holder outside the NCB layer — an nbtd client that
    /// added it through the station operations: no NCB interface's DATAGRAM RECEIVE for any name takes datagrams to it.</summary>
    /// <param name="name">The name (scope applied).</param>
    public void Reserve(NetBiosName name)
    {
        lock (_lock)
        {
            _reserved.Add(name);
        }
    }

    /// <summary>Ends <see cref="Reserve"/>.</summary>
    /// <param name="name">The name.</param>
    public void Unreserve(NetBiosName name)
    {
        lock (_lock)
        {
            _reserved.Remove(name);
        }
    }

    /// <summary>An NCB interface starts registering <paramref name="name"/> (ADD GROUP NAME): an interface that joins
    /// the group meanwhile waits for the outcome (<see cref="RegistrationOf"/>).</summary>
    /// <param name="name">The name (scope applied).</param>
    /// <returns>False when another registration of it is in progress already.</returns>
    public bool BeginRegistration(NetBiosName name)
    {
        lock (_lock)
        {
            return _registering.TryAdd(name, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
    }

    /// <summary>The registration of <paramref name="name"/> has ended (whatever its outcome).</summary>
    /// <param name="name">The name.</param>
    public void EndRegistration(NetBiosName name)
    {
        TaskCompletionSource? done;
        lock (_lock)
        {
            _registering.Remove(name, out done);
        }

        done?.TrySetResult();
    }

    /// <summary>Completes when no NCB interface is registering <paramref name="name"/> (at once when none is); bounded
    /// by the name service's own registration timeouts.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The wait.</returns>
    public Task RegistrationOf(NetBiosName name)
    {
        lock (_lock)
        {
            return _registering.TryGetValue(name, out var done) ? done.Task : Task.CompletedTask;
        }
    }

    /// <summary>Forgets <paramref name="owner"/>'s claim on <paramref name="name"/>.</summary>
    /// <param name="name">The name.</param>
    /// <param name="owner">The interface's name table.</param>
    /// <returns>True when the station should delete the name now: no interface holds it any more and one of them had
    /// registered it (a group name only joined — e.g. one of nbtd's configuration — stays).</returns>
    public bool Release(NetBiosName name, NcbNameTable owner)
    {
        lock (_lock)
        {
            if (!_owners.TryGetValue(name, out var holders))
            {
                return true;
            }

            holders.Owners.Remove(owner);
            if (holders.Owners.Count > 0)
            {
                return false;
            }

            _owners.Remove(name);
            return holders.Registered;
        }
    }

    /// <summary>Whether deleting <paramref name="name"/> on behalf of <paramref name="owner"/> must leave it on the
    /// station: another interface holds it too, or no interface registered it (it was only joined).</summary>
    /// <param name="name">The name.</param>
    /// <param name="owner">The asking interface's name table.</param>
    /// <returns>True when it stays on the station.</returns>
    public bool IsKeptByOthers(NetBiosName name, NcbNameTable owner)
    {
        lock (_lock)
        {
            return _owners.TryGetValue(name, out var holders) && (holders.Owners.Exists(o => o != owner) || !holders.Registered);
        }
    }

    /// <summary>Whether any NCB interface added <paramref name="name"/>.</summary>
    /// <param name="name">The name (scope applied).</param>
    /// <returns>True when an interface holds it.</returns>
    public bool IsClaimed(NetBiosName name)
    {
        lock (_lock)
        {
            return _owners.ContainsKey(name);
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
            return _owners.TryGetValue(name, out var holders) && holders.Owners.Exists(o => o != owner);
        }
    }

    /// <summary>Whether DATAGRAM RECEIVE for any name of <paramref name="owner"/> must leave datagrams to
    /// <paramref name="name"/> alone: another interface added it, or a holder outside the NCB layer (<see cref="Reserve"/>).</summary>
    /// <param name="name">The name.</param>
    /// <param name="owner">The asking interface's name table.</param>
    /// <returns>True when the datagram is someone else's.</returns>
    public bool IsHeldByAnother(NetBiosName name, NcbNameTable owner)
    {
        lock (_lock)
        {
            return _reserved.Contains(name) || IsClaimedByAnother(name, owner);
        }
    }

    /// <summary>The interfaces holding one name, and whether one of them registered it.</summary>
    private sealed class Holders
    {
        public List<NcbNameTable> Owners { get; } = [];

        public bool Registered { get; set; }
    }
}
