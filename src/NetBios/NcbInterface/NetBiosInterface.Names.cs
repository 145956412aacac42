using NetBios.NameService;

namespace NetBios.NcbInterface;

public sealed partial class NetBiosInterface
{
    /// <summary>NCBADDNAME / NCBADDGRNAME: registers <see cref="Ncb.Name"/>; <see cref="Ncb.NameNumber"/> gets its number.</summary>
    private static async ValueTask<NcbReturnCode> AddNameAsync(NcbLana lana, Ncb ncb, bool group)
    {
        if (ncb.Name[0] is (byte)'*' or 0)
        {
            return NcbReturnCode.NoWildcard;
        }

        var name = NetBiosName.FromBytes(ncb.Name);
        lock (lana.SyncRoot)
        {
            if (lana.Names.Count >= lana.MaxNames)
            {
                return NcbReturnCode.NameTableFull;
            }
        }

        var result = await lana.Station.Names.RegisterAsync(name, group).ConfigureAwait(false);
        switch (result.Outcome)
        {
            case RegistrationOutcome.Registered:
                var entry = lana.Station.Names.Names.Find(result.Name);
                if (entry is null)
                {
                    return NcbReturnCode.NameDeleted; // deleted by someone else in the meantime
                }

                lock (lana.SyncRoot)
                {
                    lana.Names.Add(result.Name);
                }

                ncb.NameNumber = (byte)entry.Number;
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
    /// NCBDELNAME: releases <see cref="Ncb.Name"/> (NRC_NOWILD when it is not in the table). A name with active
    /// sessions answers NRC_ACTSES: it takes no new sessions and is released when the last one ends.
    /// </summary>
    private static async ValueTask<NcbReturnCode> DeleteNameAsync(NcbLana lana, Ncb ncb)
    {
        var name = lana.Station.Names.ApplyScope(NetBiosName.FromBytes(ncb.Name));
        if (lana.Station.Names.Names.Find(name) is not { } entry)
        {
            return NcbReturnCode.NoWildcard;
        }

        if (HasSessions(lana, entry))
        {
            lock (lana.SyncRoot)
            {
                lana.DeletePending.Add(name);
            }

            lana.Station.Names.MarkDeregistering(entry);
            return NcbReturnCode.ActiveSessions;
        }

        await lana.Station.Names.ReleaseAsync(name).ConfigureAwait(false);
        lock (lana.SyncRoot)
        {
            lana.Names.Remove(name);
        }

        return NcbReturnCode.GoodReturn;
    }

    /// <summary>NCBASTAT: this station's status for <c>*</c>, else the remote owner of <see cref="Ncb.CallName"/>'s
    /// (node status request); ADAPTER_STATUS + NAME_BUFFER[], truncated with NRC_INCOMP when the buffer is short.</summary>
    private static async ValueTask<NcbReturnCode> AdapterStatusAsync(NcbLana lana, Ncb ncb, CancellationToken cancellationToken)
    {
        var names = lana.Station.Names;
        byte[] status;
        if (ncb.CallName[0] == (byte)'*')
        {
            var entries = names.Names.Snapshot()
                .Select(n => new NcbStructures.NameEntry(n.Name, (byte)n.Number, NcbStructures.StateFlags(n)))
                .ToList();
            int pendingCommands;
            lock (lana.SyncRoot)
            {
                pendingCommands = lana.PendingCommands;
            }

            status = NcbStructures.AdapterStatus(new NcbStructures.AdapterFigures(
                names.UnitId, (uint)lana.Station.Datagrams.Statistics.Sent, (uint)lana.Station.Datagrams.Statistics.Received,
                (ushort)lana.MaxCommands, (ushort)Math.Max(0, lana.MaxCommands - pendingCommands), (ushort)lana.MaxSessions, 0,
                DatagramService.DatagramServiceOptions.DefaultMaxUserDataLength, ushort.MaxValue), entries);
        }
        else
        {
            var remote = await names.GetNodeStatusAsync(NetBiosName.FromBytes(ncb.CallName), cancellationToken).ConfigureAwait(false);
            if (remote is not { Outcome: QueryOutcome.Found })
            {
                return NcbReturnCode.CommandTimedOut;
            }

            var entries = remote.Names.Select((n, i) => new NcbStructures.NameEntry(n.Name, (byte)(i + 1), NcbStructures.StateFlags(n))).ToList();
            var statistics = remote.Statistics;
            status = NcbStructures.AdapterStatus(new NcbStructures.AdapterFigures(
                remote.MacAddress?.GetAddressBytes() ?? new byte[6], statistics?.GoodSends ?? 0, statistics?.GoodReceives ?? 0,
                statistics?.MaxTotalCommandBlocks ?? 0, statistics?.FreeCommandBlocks ?? 0, statistics?.MaxTotalSessions ?? 0,
                statistics?.PendingSessions ?? 0, DatagramService.DatagramServiceOptions.DefaultMaxUserDataLength,
                statistics?.SessionDataPacketSize ?? 0), entries);
        }

        return WriteBuffer(ncb, status, allowTruncation: true);
    }

    /// <summary>NCBFINDNAME: who owns <see cref="Ncb.CallName"/>: FIND_NAME_HEADER + FIND_NAME_BUFFER per owner.</summary>
    private static async ValueTask<NcbReturnCode> FindNameAsync(NcbLana lana, Ncb ncb, CancellationToken cancellationToken)
    {
        var result = await lana.Station.Names.QueryAsync(NetBiosName.FromBytes(ncb.CallName), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (result.Outcome != QueryOutcome.Found)
        {
            return NcbReturnCode.CommandTimedOut;
        }

        byte[] found = NcbStructures.FindName(result.Addresses, result.Answers.Any(a => a.IsGroup), lana.Station.Names.UnitId);
        return WriteBuffer(ncb, found, allowTruncation: true);
    }

    /// <summary>
    /// The name with number <paramref name="number"/> when it is usable; otherwise the code to answer: NRC_NAMCONF for
    /// a name that went into conflict (another node owns it now), NRC_ILLNN for a number that names nothing.
    /// </summary>
    private static LocalName? FindNumber(NcbLana lana, byte number, out NcbReturnCode refusal)
    {
        var name = lana.Station.Names.Names.Find(number);
        refusal = name?.State == LocalNameState.Conflict ? NcbReturnCode.NameConflict : NcbReturnCode.IllegalNameNumber;
        return name is { State: LocalNameState.Registered or LocalNameState.Deregistered } ? name : null;
    }
}
