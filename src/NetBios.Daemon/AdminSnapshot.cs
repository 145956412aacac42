using NetBios.NameService;

namespace NetBios.Daemon;

/// <summary>What the daemon's stations hold now, with who holds it (docs/IPC.md "Administration operations"): a name or
/// session a connected client made through its NCB interface or the station operations is that client's; a name in the held-name registry is the
/// daemon's; anything else is the station's own (nbtd's configured names).</summary>
internal static class AdminSnapshot
{
    /// <summary>NAMES: every name of the stations, in table order.</summary>
    public static IReadOnlyList<NetBiosDaemonNameInfo> Names(NetBiosDaemonServer server, IReadOnlyList<byte> lanas)
    {
        var clients = server.ClientsSnapshot();
        var held = server.HeldNames.Snapshot();
        var now = server.Time.GetUtcNow();
        var list = new List<NetBiosDaemonNameInfo>();
        foreach (byte lana in lanas)
        {
            var owners = new Dictionary<NetBiosName, DaemonClientConnection>();
            foreach (var client in clients)
            {
                foreach (var name in client.NetBios.NamesAddedOn(lana))
                {
                    owners.TryAdd(name, client);
                }
            }

            foreach (var local in server.Stations[lana].GetNames())
            {
                if (server.NameClaims.OwnerOf(lana, local.Name) is { } claimant)
                {
                    owners.TryAdd(local.Name, claimant.Client);
                }

                var (holder, pid, uid) = held.FirstOrDefault(h => h.Lana == lana && h.Name == local.Name) is { } h
                    ? (NetBiosDaemonNameHolder.Daemon, 0, h.UserId)
                    : owners.TryGetValue(local.Name, out var owner)
                        ? (NetBiosDaemonNameHolder.Client, owner.Credentials.ProcessId, owner.Credentials.UserId)
                        : (NetBiosDaemonNameHolder.Station, 0, 0u);
                bool live = local.State == LocalNameState.Registered && local.RegisteredWithNameServer;
                list.Add(new NetBiosDaemonNameInfo(lana, local.Name, local.IsGroup, local.IsPermanent, local.State, local.Ttl, local.ConflictOwner,
                    holder, pid, uid, live ? Until(local.ExpiresAt, now) : null, live ? Until(local.RefreshDueAt, now) : null));
            }
        }

        return list;
    }

    /// <summary>SESSIONS: every session of the stations.</summary>
    public static IReadOnlyList<NetBiosDaemonSessionInfo> Sessions(NetBiosDaemonServer server, IReadOnlyList<byte> lanas)
    {
        var clients = server.ClientsSnapshot();
        var list = new List<NetBiosDaemonSessionInfo>();
        foreach (byte lana in lanas)
        {
            var owners = new Dictionary<SessionService.NbssSession, DaemonClientConnection>(ReferenceEqualityComparer.Instance);
            foreach (var client in clients)
            {
                foreach (var session in client.NetBios.SessionsOn(lana))
                {
                    owners.TryAdd(session, client);
                }
            }

            foreach (var session in server.Stations[lana].GetSessions())
            {
                var status = session.GetStatus();
                bool owned = owners.TryGetValue(session, out var owner);
                if (!owned && clients.FirstOrDefault(c => c.FindState<StationClientState>()?.HoldsSession(session) == true) is { } holder)
                {
                    (owned, owner) = (true, holder);
                }

                list.Add(new NetBiosDaemonSessionInfo(lana, status.Id, status.LocalName, status.RemoteName, status.RemoteEndPoint, status.State,
                    status.IsCaller, status.PendingReceives, status.PendingSends,
                    owned ? NetBiosDaemonNameHolder.Client : NetBiosDaemonNameHolder.Station,
                    owner?.Credentials.ProcessId ?? 0, owner?.Credentials.UserId ?? 0,
                    session.Traffic.MessagesSent, session.Traffic.BytesSent, session.Traffic.MessagesReceived, session.Traffic.BytesReceived));
            }
        }

        return list;
    }

    /// <summary>Time from <paramref name="now"/> to <paramref name="at"/> (zero once past), or null.</summary>
    private static TimeSpan? Until(DateTimeOffset? at, DateTimeOffset now) => at is { } when ? (when > now ? when - now : TimeSpan.Zero) : null;

    /// <summary>CACHE: every unexpired cache entry of the stations, by name.</summary>
    public static IReadOnlyList<NetBiosDaemonCacheEntry> Cache(NetBiosDaemonServer server, IReadOnlyList<byte> lanas)
    {
        var now = server.Time.GetUtcNow();
        var list = new List<NetBiosDaemonCacheEntry>();
        foreach (byte lana in lanas)
        {
            foreach (var (name, answers, expires, permanent) in server.Stations[lana].Names.Cache.Snapshot().OrderBy(e => e.Name.ToString(), StringComparer.Ordinal))
            {
                list.Add(new NetBiosDaemonCacheEntry(lana, name, answers ?? [], answers is null, permanent,
                    permanent ? TimeSpan.MaxValue : expires - now));
            }
        }

        return list;
    }
}
