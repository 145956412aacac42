using NetBios.NameService;
using NetBios.SessionService;

namespace NetBios.NcbInterface;

public sealed partial class NetBiosInterface
{
    /// <summary>sizeof(SESSION_HEADER) and sizeof(SESSION_BUFFER).</summary>
    private const int SessionHeaderLength = 4, SessionBufferLength = 36;

    /// <summary>NCBCALL: a session from local <see cref="Ncb.Name"/> to <see cref="Ncb.CallName"/>; <see cref="Ncb.LocalSessionNumber"/> gets its number.</summary>
    private async ValueTask<NcbReturnCode> CallAsync(NcbLana lana, Ncb ncb, CancellationToken cancellationToken)
    {
        if (FindName(lana, ncb.Name) is not { } local)
        {
            return NcbReturnCode.NoWildcard;
        }

        if (!HasSessionRoom(lana))
        {
            return NcbReturnCode.LocalSessionTableFull;
        }

        var result = await lana.Station.CallAsync(local.Name, NetBiosName.FromBytes(ncb.CallName), cancellationToken).ConfigureAwait(false);
        if (!result.IsConnected)
        {
            return result.Outcome switch
            {
                SessionCallOutcome.NotListeningOnCalledName or SessionCallOutcome.NotListeningForCallingName
                    or SessionCallOutcome.InsufficientResources => NcbReturnCode.RemoteSessionTableFull, // STATUS_REMOTE_NOT_LISTENING
                SessionCallOutcome.Timeout => NcbReturnCode.CommandTimedOut,
                SessionCallOutcome.Cancelled => NcbReturnCode.CommandCancelled,
                SessionCallOutcome.LocalSessionTableFull => NcbReturnCode.LocalSessionTableFull,
                SessionCallOutcome.ServiceStopped => NcbReturnCode.SystemError,
                // Connected, then reset or closed before the session response: the session (such as it was) ended
                // abnormally, which Windows reports as NRC_SABORT (STATUS_CONNECTION_RESET), not as "no answer".
                SessionCallOutcome.Reset => NcbReturnCode.SessionAborted,
                // Several nodes claim the called name and none is verified: not a guess at one of them.
                SessionCallOutcome.ConflictingAnswers => NcbReturnCode.NameConflict,
                _ => NcbReturnCode.NoCall, // not found, unreachable, refused, retarget loop, called name not present
            };
        }

        return Admit(lana, ncb, result.Session!, local);
    }

    /// <summary>NCBLISTEN: waits for a call to local <see cref="Ncb.Name"/> from <see cref="Ncb.CallName"/> (<c>*</c>: anyone);
    /// the caller's name is written back into <see cref="Ncb.CallName"/>.</summary>
    private async ValueTask<NcbReturnCode> ListenAsync(NcbLana lana, Ncb ncb, CancellationToken cancellationToken)
    {
        if (FindName(lana, ncb.Name) is not { } local)
        {
            return NcbReturnCode.NoWildcard;
        }

        if (!HasSessionRoom(lana))
        {
            return NcbReturnCode.LocalSessionTableFull;
        }

        NetBiosName? remote = ncb.CallName[0] == (byte)'*' ? null : NetBiosName.FromBytes(ncb.CallName);
        var result = await lana.Station.ListenAsync(local.Name, remote, cancellationToken).ConfigureAwait(false);
        if (!result.IsConnected)
        {
            return result.Outcome == SessionListenOutcome.Cancelled ? NcbReturnCode.CommandCancelled : NcbReturnCode.SystemError;
        }

        result.Session!.RemoteName.CopyTo(ncb.CallName);
        return Admit(lana, ncb, result.Session, local);
    }

    /// <summary>NCBHANGUP: closes the session (pending receives complete with NRC_SCLOSED) and frees its number.</summary>
    private static async ValueTask<NcbReturnCode> HangUpAsync(NcbLana lana, Ncb ncb)
    {
        if (TakeSession(lana, ncb.LocalSessionNumber) is not { } entry)
        {
            return NcbReturnCode.SessionNumberOutOfRange;
        }

        bool wasOpen = entry.Session.State == SessionState.Established;
        await entry.Session.HangUpAsync().ConfigureAwait(false);
        return wasOpen ? NcbReturnCode.GoodReturn : NcbReturnCode.SessionClosed;
    }

    /// <summary>NCBSEND / NCBSENDNA / NCBCHAINSEND / NCBCHAINSENDNA: one message (two buffers for chain sends).</summary>
    private static async ValueTask<NcbReturnCode> SendAsync(NcbLana lana, Ncb ncb, bool chain, CancellationToken cancellationToken)
    {
        if (FindSession(lana, ncb.LocalSessionNumber) is not { } entry)
        {
            return NcbReturnCode.SessionNumberOutOfRange;
        }

        if (!BufferFits(ncb) || (chain && (ncb.ChainBuffer?.Length ?? 0) < ncb.ChainLength))
        {
            return NcbReturnCode.BufferLength;
        }

        var second = chain ? ncb.ChainBuffer.AsMemory(0, ncb.ChainLength) : ReadOnlyMemory<byte>.Empty;
        var status = await entry.Session.SendAsync(ncb.Buffer.AsMemory(0, ncb.Length), second, entry.SendTimeout, cancellationToken).ConfigureAwait(false);
        if (status == SessionIoStatus.Ok)
        {
            lana.OnSessionMessageSent();
        }

        return FromIo(lana, entry, status);
    }

    /// <summary>NCBRECV: the next message or piece of one (NRC_INCOMP: more of the same message remains).</summary>
    private static async ValueTask<NcbReturnCode> ReceiveAsync(NcbLana lana, Ncb ncb, CancellationToken cancellationToken)
    {
        if (FindSession(lana, ncb.LocalSessionNumber) is not { } entry)
        {
            return NcbReturnCode.SessionNumberOutOfRange;
        }

        if (!BufferFits(ncb))
        {
            return NcbReturnCode.BufferLength;
        }

        var result = await entry.Session.ReceiveAsync(ncb.Buffer.AsMemory(0, ncb.Length), entry.ReceiveTimeout, cancellationToken).ConfigureAwait(false);
        ncb.Length = (ushort)result.BytesReceived;
        if (result.Status == SessionIoStatus.Ok)
        {
            lana.OnSessionMessageReceived();
        }

        return FromIo(lana, entry, result.Status);
    }

    /// <summary>NCBRECVANY: the next message on any session of name number <see cref="Ncb.NameNumber"/> (0xFF: of any
    /// name); <see cref="Ncb.LocalSessionNumber"/> says which session it came from. Only the sessions of this interface's
    /// table serve it: another interface over the same station (another nbtd client) keeps its messages.</summary>
    private static async ValueTask<NcbReturnCode> ReceiveAnyAsync(NcbLana lana, Ncb ncb, CancellationToken cancellationToken)
    {
        NetBiosName? name = null;
        if (ncb.NameNumber != 0xFF)
        {
            if (FindNumber(lana, ncb.NameNumber, out var refusal) is not { } local)
            {
                return refusal;
            }

            name = local.Name;
        }

        if (!BufferFits(ncb))
        {
            return NcbReturnCode.BufferLength;
        }

        var result = await lana.ReceiveAnys.ReceiveAsync(name, lana, ncb.Buffer.AsMemory(0, ncb.Length), cancellationToken).ConfigureAwait(false);
        ncb.Length = (ushort)result.BytesReceived;
        NcbSession? entry = null;
        lock (lana.SyncRoot)
        {
            entry = lana.Sessions.Values.FirstOrDefault(s => s.Session == result.Session);
        }

        if (entry is null)
        {
            return result.Status == SessionIoStatus.Cancelled ? NcbReturnCode.CommandCancelled : NcbReturnCode.SessionClosed;
        }

        ncb.LocalSessionNumber = entry.Number;
        ncb.NameNumber = entry.NameNumber;
        if (result.Status == SessionIoStatus.Ok)
        {
            lana.OnSessionMessageReceived();
        }

        return FromIo(lana, entry, result.Status);
    }

    /// <summary>NCBSSTAT: SESSION_HEADER + SESSION_BUFFER[] for local <see cref="Ncb.Name"/> (<c>*</c>: every name). A
    /// buffer too small for the 4-byte SESSION_HEADER is NRC_BUFLEN; one that holds the header but not every
    /// SESSION_BUFFER gets what fits and NRC_INCOMP (IBM NetBIOS 3.0 SESSION STATUS; Win32 NCBSSTAT).</summary>
    private NcbReturnCode SessionStatus(NcbLana lana, Ncb ncb)
    {
        if (ncb.Length < SessionHeaderLength)
        {
            return NcbReturnCode.BufferLength;
        }

        NcbName? local = null;
        if (ncb.Name[0] != (byte)'*' && (local = FindName(lana, ncb.Name)) is null)
        {
            return NcbReturnCode.NoWildcard;
        }

        List<NcbSession> sessions;
        lock (lana.SyncRoot)
        {
            sessions = [.. lana.Sessions.Values.Where(s => local is null || s.NameNumber == local.Number).OrderBy(s => s.Number)];
        }

        int datagramReceives;
        lock (_pendingLock)
        {
            datagramReceives = _pending.Keys.Count(n => n.LanaNumber == lana.Number && n.BaseCommand == NcbCommand.DatagramReceive
                && (local is null || n.NameNumber == local.Number));
        }

        byte[] status = new byte[SessionHeaderLength + (sessions.Count * SessionBufferLength)];
        status[0] = (byte)(local?.Number ?? 0);
        status[1] = (byte)sessions.Count;
        status[2] = (byte)Math.Min(255, datagramReceives);
        status[3] = (byte)Math.Min(255, lana.ReceiveAnys.CountPending(local?.Name, lana));
        for (int i = 0; i < sessions.Count; i++)
        {
            var info = sessions[i].Session.GetStatus();
            var entry = status.AsSpan(SessionHeaderLength + (i * SessionBufferLength), SessionBufferLength);
            entry[0] = sessions[i].Number;
            entry[1] = (byte)info.State;
            info.LocalName.CopyTo(entry[2..]);
            info.RemoteName.CopyTo(entry[18..]);
            entry[34] = (byte)Math.Min(255, info.PendingReceives);
            entry[35] = (byte)Math.Min(255, info.PendingSends);
        }

        return WriteBuffer(ncb, status, allowTruncation: true);
    }

    /// <summary>Whether the name with number <paramref name="nameNumber"/> still has sessions (DELETE NAME answers
    /// NRC_ACTSES then, and releases it when they end).</summary>
    private static bool HasSessions(NcbLana lana, byte nameNumber)
    {
        lock (lana.SyncRoot)
        {
            return lana.Sessions.Values.Any(s => s.NameNumber == nameNumber && s.Session.State is SessionState.Established or SessionState.HangUpPending);
        }
    }

    private static bool HasSessionRoom(NcbLana lana)
    {
        lock (lana.SyncRoot)
        {
            return lana.Sessions.Count < lana.MaxSessions;
        }
    }

    /// <summary>Gives an established session a local session number (1–254, round-robin) and its NCB timeouts.</summary>
    private NcbReturnCode Admit(NcbLana lana, Ncb ncb, NbssSession session, NcbName local)
    {
        NcbSession entry;
        lock (lana.SyncRoot)
        {
            byte number = lana.LastSessionNumber;
            for (int tries = 0; ; tries++)
            {
                number = (byte)(number % 254 + 1);
                if (!lana.Sessions.ContainsKey(number))
                {
                    break;
                }

                if (tries >= 254 || lana.Sessions.Count >= lana.MaxSessions)
                {
                    session.Abort();
                    return NcbReturnCode.LocalSessionTableFull;
                }
            }

            lana.LastSessionNumber = number;
            entry = new NcbSession(number, session, local.Number, NcbSession.Timeout(ncb.ReceiveTimeout), NcbSession.Timeout(ncb.SendTimeout));
            lana.Sessions[number] = entry;
        }

        // A message that arrived before the session was in the table found no RECEIVE ANY of this interface it may
        // serve: its read loop waits to be woken.
        session.WakeReader();
        ncb.LocalSessionNumber = entry.Number;
        _ = session.Completion.ContinueWith(_ => ReleaseIfUnused(lana, entry.NameNumber), TaskScheduler.Default);
        return NcbReturnCode.GoodReturn;
    }

    /// <summary>A session ended (or DELETE NAME found sessions): a name deleted while it had sessions goes once its last
    /// one has ended.</summary>
    private void ReleaseIfUnused(NcbLana lana, byte nameNumber)
    {
        // The name takes no new sessions while its deletion is pending, so once none is left none can come back.
        if (HasSessions(lana, nameNumber) || lana.Names.TakeDeletePending(nameNumber) is not { } name || lana.Names.IsClaimedByAnother(name))
        {
            return;
        }

        _ = lana.Station.DeleteNameAsync(name).AsTask().ContinueWith(t => Log.CommandFailed(_logger, t.Exception!, NcbCommand.DeleteName),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    /// <summary>Maps a send or receive status; a session that has ended leaves the table once its end is reported.</summary>
    private static NcbReturnCode FromIo(NcbLana lana, NcbSession entry, SessionIoStatus status)
    {
        if (status is SessionIoStatus.Closed or SessionIoStatus.Aborted)
        {
            lock (lana.SyncRoot)
            {
                lana.Sessions.Remove(entry.Number);
            }
        }

        return status switch
        {
            SessionIoStatus.Ok => NcbReturnCode.GoodReturn,
            SessionIoStatus.Incomplete => NcbReturnCode.Incomplete,
            SessionIoStatus.Closed => NcbReturnCode.SessionClosed,
            SessionIoStatus.Aborted => NcbReturnCode.SessionAborted,
            SessionIoStatus.TimedOut => NcbReturnCode.CommandTimedOut,
            _ => NcbReturnCode.CommandCancelled,
        };
    }

    private static NcbSession? FindSession(NcbLana lana, byte number)
    {
        lock (lana.SyncRoot)
        {
            return lana.Sessions.GetValueOrDefault(number);
        }
    }

    private static NcbSession? TakeSession(NcbLana lana, byte number)
    {
        lock (lana.SyncRoot)
        {
            return lana.Sessions.Remove(number, out var entry) ? entry : null;
        }
    }

    /// <summary>The local name an NCB's 16 name bytes denote, if registered (and not being deleted), with its number on
    /// this LANA (given now to a name added outside this interface).</summary>
    private static NcbName? FindName(NcbLana lana, byte[] name) =>
        lana.Station.FindName(NetBiosName.FromBytes(name)) is { } local && AssignNumber(lana, local) is var number and not 0
            ? new NcbName(number, local)
            : null;
}
