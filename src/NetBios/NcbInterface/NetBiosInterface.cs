using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetBios.Station;

namespace NetBios.NcbInterface;

/// <summary>
/// The NetBIOS programming interface of the seed (docs/NCB.md §1.3, §2) and of Win32 <c>Netbios()</c> over stations in this
/// process (<see cref="INetBios"/>): NCBs in, station operations, NCB fields and NRC_* codes out. The protocol lives
/// in the stations; this layer keeps what only NCBs know of: name numbers, session numbers, deletion pending while
/// sessions are open, pending commands and the limits RESET sets.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Submit"/> is <c>Netbios(ncb)</c> (see <see cref="INetBios.Submit"/>). A POST routine may submit further
/// asynchronous commands (the seed's chat re-arms its receive there). Pending commands are tasks, not threads.
/// </para>
/// <para>
/// The stations are shared: names added on them by other programs are reported and usable here too, numbered the first
/// time this interface reports or uses them (see <see cref="NcbNameTable"/>); RESET deletes only the names added
/// through this interface.
/// </para>
/// <para>
/// Every LANA must be RESET before use (else <see cref="NcbReturnCode.EnvironmentNotDefined"/>); RESET tears down what
/// the NCB interface created on the LANA: its pending commands (completed with
/// <see cref="NcbReturnCode.CommandCancelled"/>), its sessions (aborted) and its names.
/// </para>
/// </remarks>
public sealed partial class NetBiosInterface : INetBios
{
    private readonly Dictionary<byte, NcbLana> _lanas;
    private readonly ILogger _logger;
    private readonly Dictionary<Ncb, PendingCommand> _pending = new(ReferenceEqualityComparer.Instance);
    private readonly Lock _pendingLock = new();

    /// <summary>Creates the interface over stations, one per LANA number.</summary>
    /// <param name="lanas">LANA number → station (already started; the caller owns and disposes them).</param>
    /// <param name="logger">Where POST routine failures and command traces go.</param>
    /// <exception cref="ArgumentException">A LANA number is 0xFF (reserved) or there is none.</exception>
    public NetBiosInterface(IReadOnlyDictionary<byte, NetBiosStation> lanas, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(lanas);
        if (lanas.Count == 0 || lanas.ContainsKey(0xFF))
        {
            throw new ArgumentException("Give at least one LANA, numbered 0-254.", nameof(lanas));
        }

        _lanas = lanas.ToDictionary(l => l.Key, l => new NcbLana(l.Key, l.Value));
        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// A no-wait command that is refused before it starts (no such LANA, RESET missing, too many commands, an illegal
    /// command, a buffer length its buffer does not hold) returns that code here, with <see cref="Ncb.ReturnCode"/> and
    /// <see cref="Ncb.CommandComplete"/> set to it; its POST routine is not called and its event not touched. An
    /// accepted one has its <see cref="Ncb.Event"/> reset to non-signalled before this returns
    /// <see cref="NcbReturnCode.GoodReturn"/>, and set when it completes.
    /// </remarks>
    public NcbReturnCode Submit(Ncb ncb)
    {
        ArgumentNullException.ThrowIfNull(ncb);
        if (!ncb.IsAsynchronous)
        {
            return RunAsync(ncb, post: false, CancellationToken.None).GetAwaiter().GetResult();
        }

        var pending = Admit(ncb, CancellationToken.None, out var refusal);
        if (pending is null)
        {
            ncb.ReturnCode = refusal;
            ncb.CommandComplete = refusal;
            return refusal;
        }

        ncb.Event?.Reset();
        ncb.ReturnCode = NcbReturnCode.Pending;
        ncb.CommandComplete = NcbReturnCode.Pending;
        _ = RunAdmittedAsync(ncb, pending, post: true);
        return NcbReturnCode.GoodReturn;
    }

    /// <inheritdoc/>
    public Task<NcbReturnCode> SubmitAsync(Ncb ncb, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ncb);
        ncb.ReturnCode = NcbReturnCode.Pending;
        ncb.CommandComplete = NcbReturnCode.Pending;
        return RunAsync(ncb, post: false, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<NcbReturnCode> CancelAsync(Ncb target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return SubmitAsync(new Ncb { Command = NcbCommand.Cancel, LanaNumber = target.LanaNumber, CancelTarget = target });
    }

    /// <inheritdoc/>
    public Task<NcbReturnCode> ResetAsync(byte lana, NcbResetRequest request = default) => SubmitAsync(request.ToNcb(lana));

    /// <inheritdoc/>
    public Task<IReadOnlyList<byte>> EnumerateLanasAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<byte>>([.. _lanas.Keys.Order()]);

    private Task<NcbReturnCode> RunAsync(Ncb ncb, bool post, CancellationToken cancellationToken)
    {
        var pending = Admit(ncb, cancellationToken, out var refusal);
        if (pending is null)
        {
            ncb.ReturnCode = refusal;
            ncb.CommandComplete = refusal;
            return Task.FromResult(refusal);
        }

        return RunAdmittedAsync(ncb, pending, post);
    }

    /// <summary>Runs an admitted command to its end: executes it, unregisters it, writes the codes (command complete
    /// last), then sets the event and calls POST (no-wait commands).</summary>
    private async Task<NcbReturnCode> RunAdmittedAsync(Ncb ncb, PendingCommand pending, bool post)
    {
        NcbReturnCode code;
        try
        {
            code = await ExecuteAsync(ncb, pending.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (pending.Token.IsCancellationRequested)
        {
            code = NcbReturnCode.CommandCancelled;
        }
        catch (Exception ex)
        {
            Log.CommandFailed(_logger, ex, ncb.BaseCommand);
            code = NcbReturnCode.SystemError;
        }
        finally
        {
            Unregister(ncb, pending);
        }

        if (code == NcbReturnCode.CommandCancelled && pending.EndCode is { } end)
        {
            code = end; // ended by DELETE NAME (NRC_NAMERR) rather than by CANCEL or RESET
        }

        ncb.ReturnCode = code;
        ncb.CommandComplete = code;
        pending.Done.TrySetResult(code);
        if (post)
        {
            ncb.Event?.Set();
            if (ncb.Post is { } routine)
            {
                try
                {
                    routine(ncb);
                }
                catch (Exception ex)
                {
                    Log.PostFailed(_logger, ex, ncb.BaseCommand);
                }
            }
        }

        return code;
    }

    /// <summary>
    /// The checks every command passes before it starts (IBM NetBIOS 3.0 and Win32 <c>Netbios()</c> report them as the
    /// immediate return code of a no-wait NCB): a known command (NRC_ILLCMD), a buffer length its buffer holds
    /// (NRC_BUFLEN), then the LANA, RESET and command limit (<see cref="Register"/>).
    /// </summary>
    private PendingCommand? Admit(Ncb ncb, CancellationToken cancellationToken, out NcbReturnCode refusal)
    {
        var command = ncb.BaseCommand;
        if (!IsKnown(command))
        {
            refusal = NcbReturnCode.IllegalCommand;
            return null;
        }

        if (command == NcbCommand.Action)
        {
            refusal = Action(ncb); // never succeeds over TCP/IP: its answer is known before it starts
            return null;
        }

        if (UsesBuffer(command) && !BufferFits(ncb))
        {
            refusal = NcbReturnCode.BufferLength;
            return null;
        }

        return Register(ncb, cancellationToken, out refusal);
    }

    /// <summary>The commands of NetBIOS 3.0 and Win32 nb30.h.</summary>
    private static bool IsKnown(NcbCommand command) => command is NcbCommand.Call or NcbCommand.Listen or NcbCommand.Hangup
        or NcbCommand.Send or NcbCommand.Receive or NcbCommand.ReceiveAny or NcbCommand.ChainSend or NcbCommand.DatagramSend
        or NcbCommand.DatagramReceive or NcbCommand.DatagramSendBroadcast or NcbCommand.DatagramReceiveBroadcast
        or NcbCommand.AddName or NcbCommand.DeleteName or NcbCommand.Reset or NcbCommand.AdapterStatus or NcbCommand.SessionStatus
        or NcbCommand.Cancel or NcbCommand.AddGroupName or NcbCommand.Enumerate or NcbCommand.Unlink or NcbCommand.SendNoAck
        or NcbCommand.ChainSendNoAck or NcbCommand.LanStatusAlert or NcbCommand.Action or NcbCommand.FindName or NcbCommand.Trace;

    /// <summary>The commands whose <see cref="Ncb.Buffer"/> and <see cref="Ncb.Length"/> carry data.</summary>
    private static bool UsesBuffer(NcbCommand command) => command is NcbCommand.Send or NcbCommand.SendNoAck or NcbCommand.ChainSend
        or NcbCommand.ChainSendNoAck or NcbCommand.Receive or NcbCommand.ReceiveAny or NcbCommand.DatagramSend
        or NcbCommand.DatagramSendBroadcast or NcbCommand.DatagramReceive or NcbCommand.DatagramReceiveBroadcast
        or NcbCommand.AdapterStatus or NcbCommand.SessionStatus or NcbCommand.FindName or NcbCommand.Enumerate;

    private async ValueTask<NcbReturnCode> ExecuteAsync(Ncb ncb, CancellationToken cancellationToken)
    {
        var command = ncb.BaseCommand;
        if (command == NcbCommand.Enumerate)
        {
            return WriteBuffer(ncb, NcbStructures.LanaEnum(_lanas.Keys.Order()), allowTruncation: false);
        }

        var lana = _lanas[ncb.LanaNumber]; // checked in Register
        if (command == NcbCommand.Reset)
        {
            return await ResetLanaAsync(lana, ncb).ConfigureAwait(false);
        }

        return command switch
        {
            NcbCommand.Cancel => await CancelTargetAsync(ncb).ConfigureAwait(false),
            NcbCommand.AddName => await AddNameAsync(lana, ncb, group: false).ConfigureAwait(false),
            NcbCommand.AddGroupName => await AddNameAsync(lana, ncb, group: true).ConfigureAwait(false),
            NcbCommand.DeleteName => await DeleteNameAsync(lana, ncb).ConfigureAwait(false),
            NcbCommand.AdapterStatus => await AdapterStatusAsync(lana, ncb, cancellationToken).ConfigureAwait(false),
            NcbCommand.FindName => await FindNameAsync(lana, ncb, cancellationToken).ConfigureAwait(false),
            NcbCommand.DatagramSend => await DatagramSendAsync(lana, ncb, broadcast: false).ConfigureAwait(false),
            NcbCommand.DatagramSendBroadcast => await DatagramSendAsync(lana, ncb, broadcast: true).ConfigureAwait(false),
            NcbCommand.DatagramReceive => await DatagramReceiveAsync(lana, ncb, broadcast: false, cancellationToken).ConfigureAwait(false),
            NcbCommand.DatagramReceiveBroadcast => await DatagramReceiveAsync(lana, ncb, broadcast: true, cancellationToken).ConfigureAwait(false),
            NcbCommand.Call => await CallAsync(lana, ncb, cancellationToken).ConfigureAwait(false),
            NcbCommand.Listen => await ListenAsync(lana, ncb, cancellationToken).ConfigureAwait(false),
            NcbCommand.Hangup => await HangUpAsync(lana, ncb).ConfigureAwait(false),
            NcbCommand.Send or NcbCommand.SendNoAck => await SendAsync(lana, ncb, chain: false, cancellationToken).ConfigureAwait(false),
            NcbCommand.ChainSend or NcbCommand.ChainSendNoAck => await SendAsync(lana, ncb, chain: true, cancellationToken).ConfigureAwait(false),
            NcbCommand.Receive => await ReceiveAsync(lana, ncb, cancellationToken).ConfigureAwait(false),
            NcbCommand.ReceiveAny => await ReceiveAnyAsync(lana, ncb, cancellationToken).ConfigureAwait(false),
            NcbCommand.SessionStatus => SessionStatus(lana, ncb),
            // Windows NT (netbios.sys NbDeviceControl): "No-operations that return success for compatibility".
            NcbCommand.Unlink or NcbCommand.Trace => NcbReturnCode.GoodReturn,
            NcbCommand.LanStatusAlert => await LanStatusAlertAsync(cancellationToken).ConfigureAwait(false),
            _ => NcbReturnCode.IllegalCommand, // not reached: Admit refuses unknown commands and ACTION
        };
    }

    /// <summary>
    /// NCBLANSTALERT: as on Windows NT, the NCB is kept until the adapter reports a LAN status alert. TCP/IP adapters
    /// raise none, so it stays pending until cancelled (CANCEL, RESET), completing with NRC_CMDCAN.
    /// </summary>
    private static async ValueTask<NcbReturnCode> LanStatusAlertAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        return NcbReturnCode.GoodReturn; // not reached: only cancellation ends the wait
    }

    /// <summary>
    /// NCBACTION: a transport-specific extension (ACTION_HEADER: transport_id, action_code, reserved). The checks are
    /// Windows NT's (NbAction): a session and a name at once is NRC_ILLCMD, a buffer shorter than the 8-byte header
    /// NRC_BUFLEN; NetBIOS over TCP/IP defines no actions, so every well-formed request is NRC_ILLCMD.
    /// </summary>
    private static NcbReturnCode Action(Ncb ncb)
    {
        const int actionHeaderLength = 8;
        if (ncb.LocalSessionNumber != 0 && ncb.NameNumber != 0)
        {
            return NcbReturnCode.IllegalCommand;
        }

        return !BufferFits(ncb) || ncb.Length < actionHeaderLength ? NcbReturnCode.BufferLength : NcbReturnCode.IllegalCommand;
    }

    /// <summary>
    /// Admits a command: checks the LANA, the RESET state and the command limit, and records it as pending (for
    /// CANCEL and RESET). Null with <paramref name="refusal"/> when refused.
    /// </summary>
    private PendingCommand? Register(Ncb ncb, CancellationToken cancellationToken, out NcbReturnCode refusal)
    {
        refusal = NcbReturnCode.GoodReturn;
        var command = ncb.BaseCommand;
        NcbLana? lana = null;
        if (command != NcbCommand.Enumerate)
        {
            if (!_lanas.TryGetValue(ncb.LanaNumber, out lana))
            {
                refusal = NcbReturnCode.InvalidLana;
                return null;
            }

            if (command != NcbCommand.Reset && !lana.IsReset)
            {
                refusal = NcbReturnCode.EnvironmentNotDefined;
                return null;
            }
        }

        var pending = new PendingCommand(lana, IsCancellable(command), cancellationToken);
        if (lana is not null && command is not (NcbCommand.Reset or NcbCommand.Cancel))
        {
            lock (lana.SyncRoot)
            {
                if (lana.PendingCommands >= lana.MaxCommands)
                {
                    refusal = NcbReturnCode.TooManyCommands;
                    pending.Dispose();
                    return null;
                }

                lana.PendingCommands++;
                pending.Counted = true;
            }
        }

        lock (_pendingLock)
        {
            _pending[ncb] = pending;
        }

        return pending;
    }

    private void Unregister(Ncb ncb, PendingCommand pending)
    {
        lock (_pendingLock)
        {
            _pending.Remove(ncb);
        }

        if (pending.Counted && pending.Lana is { } lana)
        {
            lock (lana.SyncRoot)
            {
                lana.PendingCommands--;
            }
        }

        pending.Dispose();
    }

    /// <summary>The commands CANCEL may end (IBM NetBIOS 3.0; Win32): the waits. Not ADD/DELETE NAME, RESET, CANCEL,
    /// datagram sends, HANGUP, ENUM or the maintenance commands.</summary>
    private static bool IsCancellable(NcbCommand command) => command is NcbCommand.AdapterStatus or NcbCommand.Call or NcbCommand.Listen
        or NcbCommand.Receive or NcbCommand.ReceiveAny or NcbCommand.DatagramReceive or NcbCommand.DatagramReceiveBroadcast
        or NcbCommand.Send or NcbCommand.SendNoAck or NcbCommand.ChainSend or NcbCommand.ChainSendNoAck or NcbCommand.SessionStatus
        or NcbCommand.FindName or NcbCommand.LanStatusAlert;

    /// <summary>NCBCANCEL: cancels <see cref="Ncb.CancelTarget"/> and waits until it has completed.</summary>
    private async ValueTask<NcbReturnCode> CancelTargetAsync(Ncb ncb)
    {
        if (ncb.CancelTarget is not { } target || ReferenceEquals(target, ncb))
        {
            return NcbReturnCode.BadBufferAddress;
        }

        PendingCommand? pending;
        lock (_pendingLock)
        {
            _pending.TryGetValue(target, out pending);
        }

        if (pending is null)
        {
            return NcbReturnCode.CancelOccurred; // not pending: it completed (or never ran)
        }

        if (!pending.Cancellable)
        {
            return NcbReturnCode.NotCancellable;
        }

        pending.Cancel();
        var final = await pending.Done.Task.ConfigureAwait(false);
        return final == NcbReturnCode.CommandCancelled ? NcbReturnCode.GoodReturn : NcbReturnCode.CancelOccurred;
    }

    /// <summary>
    /// NCBRESET: <see cref="Ncb.LocalSessionNumber"/> 0 allocates (CallName[0] sessions, [1] commands, [2] names; 0 =
    /// default; [3] non-zero asks for NAME_NUMBER_1, the permanent node name), anything else frees. Either way the
    /// LANA's NCB names are deleted, its sessions aborted and its pending commands cancelled.
    /// </summary>
    private async ValueTask<NcbReturnCode> ResetLanaAsync(NcbLana lana, Ncb ncb)
    {
        List<PendingCommand> toCancel;
        lock (_pendingLock)
        {
            toCancel = _pending.Where(p => p.Value.Lana == lana && !ReferenceEquals(p.Key, ncb)).Select(p => p.Value).ToList();
        }

        foreach (var pending in toCancel)
        {
            pending.Cancel();
        }

        await Task.WhenAll(toCancel.Select(p => p.Done.Task)).ConfigureAwait(false);
        lana.DatagramHandovers.Clear();
        NcbSession[] sessions;
        lock (lana.SyncRoot)
        {
            sessions = [.. lana.Sessions.Values];
            lana.Sessions.Clear();
        }

        foreach (var session in sessions)
        {
            session.Session.Abort(); // RESET ends every session at once
        }

        foreach (var name in lana.Names.Clear())
        {
            await lana.Station.DeleteNameAsync(name).ConfigureAwait(false);
        }

        bool free = ncb.LocalSessionNumber != 0;
        if (!free && ncb.CallName[3] != 0)
        {
            // NAME_NUMBER_1: the permanent node name (ten zero bytes and the adapter's MAC) as name number 1. It is the
            // station's, not this interface's: a later RESET does not delete it.
            var permanent = lana.Station.GetNames().FirstOrDefault(n => n.IsPermanent)?.Name;
            if (permanent is null)
            {
                var result = await lana.Station.AddPermanentNameAsync().ConfigureAwait(false);
                if (!result.Succeeded)
                {
                    return NcbReturnCode.NameInUse;
                }

                permanent = result.Name;
            }

            lana.Names.Assign(permanent.Value, isPermanent: true);
        }

        lock (lana.SyncRoot)
        {
            lana.IsReset = !free;
            lana.MaxSessions = ncb.CallName[0] == 0 ? NcbLana.DefaultSessions : ncb.CallName[0];
            lana.MaxCommands = ncb.CallName[1] == 0 ? NcbLana.DefaultCommands : ncb.CallName[1];
            lana.MaxNames = ncb.CallName[2] == 0 ? NcbLana.DefaultNames : ncb.CallName[2];
        }

        return NcbReturnCode.GoodReturn;
    }

    /// <summary>
    /// Copies a result into the NCB's buffer: <see cref="NcbReturnCode.BufferLength"/> when the NCB's length does not
    /// fit its buffer; with <paramref name="allowTruncation"/>, as much as fits and <see cref="NcbReturnCode.Incomplete"/>.
    /// </summary>
    private static NcbReturnCode WriteBuffer(Ncb ncb, ReadOnlySpan<byte> result, bool allowTruncation)
    {
        if (!BufferFits(ncb))
        {
            return NcbReturnCode.BufferLength;
        }

        int copied = Math.Min(ncb.Length, result.Length);
        if (copied < result.Length && !allowTruncation)
        {
            return NcbReturnCode.BufferLength;
        }

        result[..copied].CopyTo(ncb.Buffer);
        ncb.Length = (ushort)copied;
        return copied < result.Length ? NcbReturnCode.Incomplete : NcbReturnCode.GoodReturn;
    }

    /// <summary>False when <see cref="Ncb.Length"/> claims more than <see cref="Ncb.Buffer"/> holds (NRC_BUFLEN).</summary>
    private static bool BufferFits(Ncb ncb) => ncb.Buffer is null ? ncb.Length == 0 : ncb.Length <= ncb.Buffer.Length;

    /// <summary>One command in progress: how to cancel it and when it finished.</summary>
    private sealed class PendingCommand(NcbLana? lana, bool cancellable, CancellationToken external) : IDisposable
    {
        private readonly CancellationTokenSource _cancel = CancellationTokenSource.CreateLinkedTokenSource(external);

        public NcbLana? Lana { get; } = lana;

        public bool Cancellable { get; } = cancellable;

        public bool Counted { get; set; }

        public CancellationToken Token => _cancel.Token;

        public TaskCompletionSource<NcbReturnCode> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The code a cancelled command completes with instead of NRC_CMDCAN (DELETE NAME: NRC_NAMERR).</summary>
        public NcbReturnCode? EndCode { get; private set; }

        /// <summary>Ends the command with <paramref name="code"/> (set before cancelling, so the runner sees it).</summary>
        public void End(NcbReturnCode code)
        {
            EndCode ??= code;
            Cancel();
        }

        public void Cancel()
        {
            try
            {
                _cancel.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Completed meanwhile.
            }
        }

        public void Dispose() => _cancel.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "NCB {Command} failed unexpectedly")]
        public static partial void CommandFailed(ILogger logger, Exception exception, NcbCommand command);

        [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "The POST routine of NCB {Command} threw")]
        public static partial void PostFailed(ILogger logger, Exception exception, NcbCommand command);
    }
}
