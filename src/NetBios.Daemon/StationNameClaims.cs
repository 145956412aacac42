using NetBios.Station;

namespace NetBios.Daemon;

/// <summary>
/// Which client added which name of a daemon's stations through the station operations (docs/IPC.md "Station
/// operations"): a name one client added is that client's only; a name the station holds that no client added (nbtd's
/// configured names, names held for <c>nbt register</c>) may be used by every client as a source or calling name.
/// A name a client added through its NCBs (ADD NAME) is that client's too (recorded in the station's
/// <see cref="NcbInterface.NcbNameClaims"/>, which <see cref="MayUse"/> consults). The one record of which client holds
/// which station-operation name: a client's own list is this one's entries for it (<see cref="NamesOf"/>). One instance
/// per daemon (<see cref="NetBiosDaemonServer.NameClaims"/>). Each claimed name is also reserved in the station's
/// <see cref="NcbInterface.NcbNameClaims"/>, so that another client's NCB DATAGRAM RECEIVE for any name does not take
/// datagrams to it (docs/IPC.md "Isolation of any-name receives").
/// </summary>
/// <param name="stations">The daemon's stations by LANA.</param>
internal sealed class StationNameClaims(IReadOnlyDictionary<byte, NetBiosStation> stations)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(byte Lana, NetBiosName Name), StationClientState> _owners = [];

    /// <summary>Claims a name for a client before it is registered.</summary>
    /// <param name="lana">The station.</param>
    /// <param name="name">The name, scope applied.</param>
    /// <param name="owner">The client.</param>
    /// <returns>False when a client (this one or another) has it already.</returns>
    public bool TryClaim(byte lana, NetBiosName name, StationClientState owner)
    {
        lock (_lock)
        {
            if (!_owners.TryAdd((lana, name), owner))
            {
                return false;
            }
        }

        NcbClaimsOf(lana)?.Reserve(name);
        return true;
    }

    /// <summary>Drops a client's claim (an owner that does not hold it changes nothing).</summary>
    /// <param name="lana">The station.</param>
    /// <param name="name">The name, scope applied.</param>
    /// <param name="owner">The client.</param>
    public void Release(byte lana, NetBiosName name, StationClientState owner)
    {
        lock (_lock)
        {
            if (!_owners.TryGetValue((lana, name), out var current) || current != owner)
            {
                return;
            }

            _owners.Remove((lana, name));
        }

        NcbClaimsOf(lana)?.Unreserve(name);
    }

    private NcbInterface.NcbNameClaims? NcbClaimsOf(byte lana) =>
        stations.TryGetValue(lana, out var station) ? NcbInterface.NcbNameClaims.Of(station) : null;

    /// <summary>The client that added a name, if any.</summary>
    /// <param name="lana">The station.</param>
    /// <param name="name">The name, scope applied.</param>
    /// <returns>The owner or null.</returns>
    public StationClientState? OwnerOf(byte lana, NetBiosName name)
    {
        lock (_lock)
        {
            return _owners.GetValueOrDefault((lana, name));
        }
    }

    /// <summary>The names a client holds (claimed, and registered unless a registration of it is in progress).</summary>
    /// <param name="owner">The client.</param>
    /// <returns>Its names, with their stations.</returns>
    public List<(byte Lana, NetBiosName Name)> NamesOf(StationClientState owner)
    {
        lock (_lock)
        {
            return [.. _owners.Where(entry => entry.Value == owner).Select(entry => entry.Key)];
        }
    }

    /// <summary>Whether <paramref name="client"/> may use <paramref name="name"/> as a source, calling or listening name:
    /// it added it, or the station holds it (registered) and no client added it (through the station operations or its
    /// NCBs).</summary>
    /// <param name="client">The client.</param>
    /// <param name="lana">The station's LANA.</param>
    /// <param name="station">The station.</param>
    /// <param name="name">The name (the station's scope applies when it has none).</param>
    /// <returns>True when it may.</returns>
    public bool MayUse(StationClientState client, byte lana, NetBiosStation station, NetBiosName name)
    {
        var scoped = station.Names.ApplyScope(name);
        var owner = OwnerOf(lana, scoped);
        if (owner is not null)
        {
            return owner == client && station.FindName(scoped) is not null;
        }

        return station.FindName(scoped) is not null && !NcbInterface.NcbNameClaims.Of(station).IsClaimed(scoped);
    }
}
