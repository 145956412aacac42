using NetBios.NameService;

namespace NetBios.NcbInterface;

public sealed partial class NetBiosInterface
{
    /// <summary>NCBADDNAME / NCBADDGRNAME: registers <see cref="Ncb.Name"/>; <see cref="Ncb.NameNumber"/> gets its number.
    /// ADD GROUP NAME of a group name already on the station (another NCB interface's) joins it (no NRC_DUPNAME).</summary>
    private static async ValueTask<NcbReturnCode> AddNameAsync(NcbLana lana, Ncb ncb, bool group)
    {
        if (ncb.Name[0] is (byte)'*' or 0)
        {
            return NcbReturnCode.NoWildcard;
        }

        var name = NetBiosName.FromBytes(ncb.Name);
        lock (lana.SyncRoot)
        {
            if (lana.Names.AddedCount >= lana.MaxNames)
            {
                return NcbReturnCode.NameTableFull;
            }
        }

        // A group name being registered is announced, so that another interface joining it meanwhile waits for the
        // outcome instead of taking a name that is not registered yet.
        var scoped = lana.Station.Names.ApplyScope(name);
        bool announced = group && lana.Names.Claims is { } claims && claims.BeginRegistration(scoped);
        NameRegistrationResult result;
        try
        {
            result = await lana.Station.AddNameAsync(name, group).ConfigureAwait(false);
            if (result.Outcome == RegistrationOutcome.Registered && lana.Station.GetName(result.Name) is { } registered)
            {
                lana.Names.Assign(registered.Name, registered.IsPermanent, addedHere: true);
            }
        }
        finally
        {
            if (announced)
            {
                lana.Names.Claims!.EndRegistration(scoped);
            }
        }

        if (group && result.Outcome == RegistrationOutcome.Duplicate && lana.Names.Claims is { } others)
        {
            await others.RegistrationOf(result.Name).ConfigureAwait(false);
        }

        switch (result.Outcome)
        {
            case RegistrationOutcome.Registered:
                if (lana.Station.GetName(result.Name) is not { } entry)
                {
                    return NcbReturnCode.NameDeleted; // deleted by someone else in the meantime
                }

                byte number = lana.Names.Assign(entry.Name, entry.IsPermanent, addedHere: true);
                if (number == 0)
                {
                    await lana.Station.DeleteNameAsync(entry.Name).ConfigureAwait(false);
                    return NcbReturnCode.NameTableFull; // every number is taken (by names added outside this interface)
                }

                ncb.NameNumber = number;
                return NcbReturnCode.GoodReturn;
            case RegistrationOutcome.Duplicate when group && lana.Station.GetName(result.Name) is { IsGroup: true, State: LocalNameState.Registered } shared
                && !lana.Names.IsAddedHere(shared.Name):
                // A group name already on the station (another nbtd client's, e.g. a second chat program joining the
                // same group, possibly still registering; or the station's own): this interface joins it, as processes
                // on one Windows host can. It stays on the station until the last interface holding it deletes it
                // (and for good when no interface registered it).
                byte joined = lana.Names.Assign(shared.Name, shared.IsPermanent, addedHere: true, joined: true);
                if (joined == 0)
                {
                    return NcbReturnCode.NameTableFull;
                }

                ncb.NameNumber = joined;
                return NcbReturnCode.GoodReturn;
            case RegistrationOutcome.Duplicate:
                return NcbReturnCode.DuplicateName;
            case RegistrationOutcome.TableFull:
                return NcbReturnCode.NameTableFull;
            case RegistrationOutcome.Conflict or RegistrationOutcome.Refused:
                return NcbReturnCode.NameInUse;
            default:
                return NcbReturnCode.CommandTimedOut; // the name server never answered
        }
    }

    /// <summary>
    /// NCBDELNAME: releases <see cref="Ncb.Name"/> (NRC_NOWILD when it is not in the table). The non-session commands
    /// pending on the name (LISTEN on it; RECEIVE ANY, DATAGRAM RECEIVE, RECEIVE BROADCAST DATAGRAM on its number) end
    /// with NRC_NAMERR before this completes (IBM NetBIOS 3.0 DELETE NAME). A name with active sessions answers
    /// NRC_ACTSES: the station stops answering it and gives it no new sessions, and this layer releases it when the last
    /// session ends; otherwise it is removed at once.
    /// </summary>
    private async ValueTask<NcbReturnCode> DeleteNameAsync(NcbLana lana, Ncb ncb)
    {
        if (lana.Station.GetName(NetBiosName.FromBytes(ncb.Name)) is not { } entry)
        {
            return NcbReturnCode.NoWildcard;
        }

        byte number = lana.Names.NumberOf(entry.Name);
        await EndNonSessionCommandsAsync(lana, ncb.Name, number).ConfigureAwait(false);
        lana.DatagramHandovers.End(DatagramService.DatagramReceiveFilter.ForName(entry.Name));
        if (lana.Names.IsAddedHere(entry.Name) && lana.Names.IsKeptByOthers(entry.Name))
        {
            lana.Names.Remove(entry.Name); // a group name other interfaces joined too: it stays theirs on the station
            return NcbReturnCode.GoodReturn;
        }

        if (number != 0 && HasSessions(lana, number))
        {
            lana.Names.MarkDeletePending(entry.Name);
            lana.Station.MarkNameDeleting(entry.Name);
            ReleaseIfUnused(lana, number); // the last session may have ended since HasSessions looked
            return NcbReturnCode.ActiveSessions;
        }

        await lana.Station.DeleteNameAsync(entry.Name).ConfigureAwait(false);
        lana.Names.Remove(entry.Name);
        return NcbReturnCode.GoodReturn;
    }

    /// <summary>Ends the LISTEN, RECEIVE ANY, DATAGRAM RECEIVE and RECEIVE BROADCAST DATAGRAM commands pending on a name
    /// that is being deleted with NRC_NAMERR, and waits until they have completed.</summary>
    private async Task EndNonSessionCommandsAsync(NcbLana lana, byte[] name, byte number)
    {
        List<PendingCommand> ending;
        lock (_pendingLock)
        {
            ending = [.. _pending.Where(p => p.Value.Lana == lana && WaitsOnName(p.Key, name, number)).Select(p => p.Value)];
        }

        foreach (var pending in ending)
        {
            pending.End(NcbReturnCode.NameDeleted);
        }

        await Task.WhenAll(ending.Select(p => p.Done.Task)).ConfigureAwait(false);
    }

    private static bool WaitsOnName(Ncb pending, byte[] name, byte number) => pending.BaseCommand switch
    {
        NcbCommand.Listen => pending.Name.AsSpan().SequenceEqual(name),
        NcbCommand.ReceiveAny or NcbCommand.DatagramReceive or NcbCommand.DatagramReceiveBroadcast => number != 0 && pending.NameNumber == number,
        _ => false,
    };

    /// <summary>NCBASTAT: this station's status for <c>*</c>, else the remote owner of <see cref="Ncb.CallName"/>'s
    /// (node status request); ADAPTER_STATUS + NAME_BUFFER[], truncated with NRC_INCOMP when the buffer is short.</summary>
    /// <remarks>
    /// Every name on the station is reported, with its number on this LANA (given now to a name added outside this
    /// interface). The figures are measured, not constants (docs/LIBNETBIOS.md "ADAPTER STATUS"): xmit_success and
    /// recv_success count datagram packets (the station's datagram statistics) plus session messages sent and received
    /// through this LANA's NCBs; pending_sess is the LANA's open sessions; free_ncbs, max_ncbs, max_sess are what RESET
    /// allocated; max_dgram_size and max_sess_pkt_size are the station's settings. Link-layer counters that TCP/IP has no
    /// equivalent of (FRMR, I-frame errors, T1/Ti timeouts, buffer shortages) and duration are 0.
    /// </remarks>
    private static async ValueTask<NcbReturnCode> AdapterStatusAsync(NcbLana lana, Ncb ncb, CancellationToken cancellationToken)
    {
        var station = lana.Station;
        byte[] status;
        if (ncb.CallName[0] == (byte)'*')
        {
            var entries = station.GetNames()
                .Select(n => new NcbStructures.NameEntry(n.Name, AssignNumber(lana, n), NcbStructures.StateFlags(n)))
                .Where(e => e.Number != 0)
                .OrderBy(e => e.Number)
                .ToList();
            int pendingCommands, sessions;
            lock (lana.SyncRoot)
            {
                pendingCommands = lana.PendingCommands;
                sessions = lana.Sessions.Count;
            }

            var datagrams = station.Datagrams.Statistics;
            status = NcbStructures.AdapterStatus(new NcbStructures.AdapterFigures(
                station.UnitId.ToArray(), Clamp32(datagrams.Sent + lana.SessionMessagesSent), Clamp32(datagrams.Received + lana.SessionMessagesReceived),
                (ushort)lana.MaxCommands, (ushort)Math.Max(0, lana.MaxCommands - pendingCommands), (ushort)lana.MaxSessions, (ushort)sessions,
                Clamp16(station.MaxDatagramLength), Clamp16(station.Sessions.Options.MaxMessageSize)), entries);
        }
        else
        {
            var remote = await station.GetNodeStatusAsync(NetBiosName.FromBytes(ncb.CallName), cancellationToken).ConfigureAwait(false);
            if (remote is not { Outcome: QueryOutcome.Found })
            {
                return NcbReturnCode.CommandTimedOut;
            }

            var entries = remote.Names.Select((n, i) => new NcbStructures.NameEntry(n.Name, (byte)(i + 1), NcbStructures.StateFlags(n))).ToList();
            var statistics = remote.Statistics;
            status = NcbStructures.AdapterStatus(new NcbStructures.AdapterFigures(
                remote.MacAddress?.GetAddressBytes() ?? new byte[6], statistics?.GoodSends ?? 0, statistics?.GoodReceives ?? 0,
                statistics?.MaxTotalCommandBlocks ?? 0, statistics?.FreeCommandBlocks ?? 0, statistics?.MaxTotalSessions ?? 0,
                statistics?.PendingSessions ?? 0, 0, // node status carries no datagram size: unknown, 0
                statistics?.SessionDataPacketSize ?? 0), entries);
        }

        return WriteBuffer(ncb, status, allowTruncation: true);
    }

    /// <summary>A counter in a DWORD field: wraps as a 32-bit counter does.</summary>
    private static uint Clamp32(long value) => unchecked((uint)value);

    /// <summary>A size in a WORD field: at most 65535.</summary>
    private static ushort Clamp16(int value) => (ushort)Math.Clamp(value, 0, ushort.MaxValue);

    /// <summary>NCBFINDNAME: who owns <see cref="Ncb.CallName"/>: FIND_NAME_HEADER + FIND_NAME_BUFFER per owner.</summary>
    private static async ValueTask<NcbReturnCode> FindNameAsync(NcbLana lana, Ncb ncb, CancellationToken cancellationToken)
    {
        var result = await lana.Station.QueryAsync(NetBiosName.FromBytes(ncb.CallName), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (result.Outcome != QueryOutcome.Found)
        {
            return NcbReturnCode.CommandTimedOut;
        }

        byte[] found = NcbStructures.FindName(result.Addresses, result.Answers.Any(a => a.IsGroup), lana.Station.UnitId.ToArray());
        return WriteBuffer(ncb, found, allowTruncation: true);
    }

    /// <summary>
    /// The name with number <paramref name="number"/> when it is usable (registered, or being deleted with sessions
    /// left); otherwise the code to answer: NRC_NAMCONF for a name that went into conflict (another node owns it now),
    /// NRC_ILLNN for a number that names nothing (a number whose name the station no longer holds is dropped).
    /// </summary>
    private static NcbName? FindNumber(NcbLana lana, byte number, out NcbReturnCode refusal)
    {
        refusal = NcbReturnCode.IllegalNameNumber;
        if (lana.Names.Find(number) is not { } name)
        {
            return null;
        }

        if (lana.Station.GetName(name) is not { } local)
        {
            lana.Names.Remove(name); // deleted on the station by someone else
            return null;
        }

        if (local.State == LocalNameState.Conflict)
        {
            refusal = NcbReturnCode.NameConflict;
        }

        return local.State is LocalNameState.Registered or LocalNameState.Deregistered ? new NcbName(number, local) : null;
    }

    /// <summary>The number of a local name on this LANA, given now when it has none (0 only when every number is taken).</summary>
    private static byte AssignNumber(NcbLana lana, LocalName local) => lana.Names.Assign(local.Name, local.IsPermanent);
}
