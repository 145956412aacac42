using NetBios.NameService;
using NetBios.SessionService;
using NetBios.Station;

namespace NetBios.Daemon;

/// <summary>
/// Operations 0x0200-0x02FF of protocol 1.1 (docs/IPC.md "Administration operations (0x0200-0x02FF)"): what the
/// daemon's stations hold (STATIONS, NAMES, SESSIONS, CACHE, STATS), nbtstat -R (CACHE PURGE, ManageStation), and names
/// the daemon holds itself for <c>nbt register</c> (HOLD NAME, AddNames; RELEASE HELD NAME, the uid that held it or root),
/// and the WINS server's database (<see cref="WinsOperations"/>).
/// Bodies are read with <see cref="AdminCodec"/>, which never throws: a body without the layout is Malformed and the
/// client goes on.
/// </summary>
internal static class AdminOperations
{
    /// <summary>Carries out one request of this range.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">REQUEST CANCEL, or the connection ending.</param>
    /// <returns>The reply to send.</returns>
    public static ValueTask<DaemonReply> HandleAsync(DaemonRequest request, CancellationToken cancellationToken) => request.Operation switch
    {
        AdminOperationCode.Stations => ValueTask.FromResult(Stations(request)),
        AdminOperationCode.Names => ValueTask.FromResult(WithLanas(request, lanas => DaemonReply.Ok(AdminCodec.Names(AdminSnapshot.Names(request.Client.Server, lanas))))),
        AdminOperationCode.Sessions => ValueTask.FromResult(WithLanas(request, lanas => DaemonReply.Ok(AdminCodec.Sessions(AdminSnapshot.Sessions(request.Client.Server, lanas))))),
        AdminOperationCode.Cache => ValueTask.FromResult(WithLanas(request, lanas => DaemonReply.Ok(AdminCodec.Cache(AdminSnapshot.Cache(request.Client.Server, lanas))))),
        AdminOperationCode.CachePurge => ValueTask.FromResult(CachePurge(request)),
        AdminOperationCode.Stats => ValueTask.FromResult(Stats(request)),
        AdminOperationCode.HoldName => HoldAsync(request, cancellationToken),
        AdminOperationCode.ReleaseHeldName => ReleaseAsync(request, cancellationToken),
        AdminOperationCode.WinsList or AdminOperationCode.WinsShow or AdminOperationCode.WinsDelete => WinsOperations.HandleAsync(request, cancellationToken),
        _ => ValueTask.FromResult(DaemonOperations.Unknown(request)),
    };

    private static DaemonReply Stations(DaemonRequest request)
    {
        if (!request.Body.IsEmpty)
        {
            return Malformed("STATIONS has no body");
        }

        var server = request.Client.Server;
        var list = server.LanaNumbers.Select(lana =>
        {
            var station = server.Stations[lana];
            return new NetBiosDaemonStationInfo(lana, station.Address, station.NodeType, station.Names.ApplyScope(NetBiosName.Wildcard).Scope,
                Convert.ToHexString(station.UnitId.Span), station.GetNames().Count, station.GetSessions().Count(s => s.State == SessionState.Established));
        }).ToList();
        return DaemonReply.Ok(AdminCodec.Stations(list));
    }

    private static DaemonReply CachePurge(DaemonRequest request) =>
        (request.Client.Permissions & NetBiosDaemonPermissions.ManageStation) == 0
            ? DaemonReply.Fail(NetBiosDaemonRequestStatus.AccessDenied, $"uid {request.Client.Credentials.UserId} may not purge the name cache (Ipc:AccessPolicy:ManageStation; root may)")
            : WithLanas(request, lanas =>
            {
                var results = new List<NetBiosDaemonCachePurgeResult>();
                foreach (byte lana in lanas)
                {
                    var (purged, preloaded, problem) = request.Client.Server.Stations[lana].Names.PurgeCache();
                    if (problem is not null)
                    {
                        AdminLog.LmhostsNotReloaded(request.Client.Server.Logger, lana, problem);
                    }

                    AdminLog.CachePurged(request.Client.Server.Logger, lana, request.Client.Credentials.UserId, purged, preloaded);
                    results.Add(new NetBiosDaemonCachePurgeResult(lana, purged, preloaded));
                }

                return DaemonReply.Ok(AdminCodec.CachePurge(results));
            });

    private static DaemonReply Stats(DaemonRequest request) =>
        request.Body.IsEmpty ? DaemonReply.Ok(AdminCodec.Stats(request.Client.Server.EffectiveMetrics.GetSnapshot())) : Malformed("STATS has no body");

    private static async ValueTask<DaemonReply> HoldAsync(DaemonRequest request, CancellationToken cancellationToken)
    {
        if (!AdminCodec.TryReadHoldRequest(request.Body.Span, out byte lana, out var name, out bool isGroup))
        {
            return Malformed("HOLD NAME is lana (u8) | flags (u8) | name (16 bytes, scope)");
        }

        var client = request.Client;
        if ((client.Permissions & NetBiosDaemonPermissions.AddNames) == 0)
        {
            return DaemonReply.Fail(NetBiosDaemonRequestStatus.AccessDenied, $"uid {client.Credentials.UserId} may not add names (Ipc:AccessPolicy:AddNames)");
        }

        if (!client.Server.Stations.TryGetValue(lana, out var station))
        {
            return NoLana(lana);
        }

        name = station.Names.ApplyScope(name);
        var registry = client.Server.HeldNames;
        if (!registry.TryBeginChange(lana, name))
        {
            return DaemonReply.Fail(NetBiosDaemonRequestStatus.Busy, $"{name} is being held or released by another request");
        }

        try
        {
            var result = await station.AddNameAsync(name, isGroup, cancellationToken).ConfigureAwait(false);
            if (result.Succeeded)
            {
                registry.Add(new HeldName(lana, name, isGroup, client.Credentials.UserId, client.Credentials.ProcessId));
            }

            AdminLog.Held(client.Server.Logger, name, lana, client.Credentials.UserId, client.Credentials.ProcessId, result.Outcome);
            return DaemonReply.Ok(AdminCodec.Hold(result));
        }
        finally
        {
            registry.EndChange(lana, name);
        }
    }

    private static async ValueTask<DaemonReply> ReleaseAsync(DaemonRequest request, CancellationToken cancellationToken)
    {
        if (!AdminCodec.TryReadReleaseRequest(request.Body.Span, out byte lana, out var name))
        {
            return Malformed("RELEASE HELD NAME is lana (u8) | name (16 bytes, scope)");
        }

        var client = request.Client;
        if (!client.Server.Stations.TryGetValue(lana, out var station))
        {
            return NoLana(lana);
        }

        name = station.Names.ApplyScope(name);
        var registry = client.Server.HeldNames;
        var waiting = registry.FindRetrying(lana, name);
        if ((registry.Find(lana, name) ?? waiting) is not { } held)
        {
            return DaemonReply.Fail(NetBiosDaemonRequestStatus.NotFound, $"the daemon does not hold {name} on LANA {lana}");
        }

        uint uid = client.Credentials.UserId;
        if (uid != 0 && uid != held.UserId)
        {
            return DaemonReply.Fail(NetBiosDaemonRequestStatus.AccessDenied, $"{name} is held for uid {held.UserId}: only that user or root may release it");
        }

        if (ReferenceEquals(held, waiting))
        {
            // Still waiting for its name server since the daemon started: registered nowhere, so only forgotten.
            registry.Remove(lana, name);
            AdminLog.ReleasedHeld(client.Server.Logger, name, lana, held.UserId, ReleaseOutcome.Broadcast);
            return DaemonReply.Ok(AdminCodec.Release(new NameReleaseResult(name, ReleaseOutcome.Broadcast, null, null)));
        }

        if (!registry.TryBeginChange(lana, name))
        {
            return DaemonReply.Fail(NetBiosDaemonRequestStatus.Busy, $"{name} is being held or released by another request");
        }

        try
        {
            // Once begun the station forgets the name even if the request is cancelled: so does the registry.
            NameReleaseResult result;
            try
            {
                result = await ReleaseFromStationAsync(station, held, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                registry.Remove(lana, name);
            }

            AdminLog.ReleasedHeld(client.Server.Logger, name, lana, held.UserId, result.Outcome);
            return DaemonReply.Ok(AdminCodec.Release(result));
        }
        finally
        {
            registry.EndChange(lana, name);
        }
    }

    /// <summary>A registered name stops being defended at once, then is released as <c>nbt release</c> does (the name
    /// server's answer, or a broadcast release); a name no longer registered (lost in a conflict) is only removed.</summary>
    private static async ValueTask<NameReleaseResult> ReleaseFromStationAsync(NetBiosStation station, HeldName held, CancellationToken cancellationToken)
    {
        if (station.GetName(held.Name) is { State: LocalNameState.Registered })
        {
            station.AbandonName(held.Name);
            return await station.ReleaseUnheldNameAsync(held.Name, held.IsGroup, cancellationToken).ConfigureAwait(false);
        }

        await station.DeleteNameAsync(held.Name, cancellationToken).ConfigureAwait(false);
        return new NameReleaseResult(held.Name, ReleaseOutcome.Broadcast, null, null);
    }

    private static DaemonReply WithLanas(DaemonRequest request, Func<IReadOnlyList<byte>, DaemonReply> run)
    {
        if (!AdminCodec.TryReadLanaRequest(request.Body.Span, out byte lana))
        {
            return Malformed("the body is one LANA byte (0xFF: every LANA)");
        }

        var server = request.Client.Server;
        if (lana == AdminOperationCode.AllLanas)
        {
            return run(server.LanaNumbers);
        }

        return server.Stations.ContainsKey(lana) ? run([lana]) : NoLana(lana);
    }

    private static DaemonReply NoLana(byte lana) => DaemonReply.Fail(NetBiosDaemonRequestStatus.NotFound, $"the daemon has no LANA {lana}");

    private static DaemonReply Malformed(string text) => DaemonReply.Fail(NetBiosDaemonRequestStatus.Malformed, text);
}
