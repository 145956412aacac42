using System.Buffers;
using System.Net;
using NetBios.NameService;
using NetBios.Transport;
using NetBios.Wire.Session;

namespace NetBios.SessionService;

public sealed partial class SessionServiceNode
{
    /// <summary>The called name for a server known only by its address: <c>*SMBSERVER&lt;20&gt;</c>.</summary>
    public static NetBiosName SmbServerName { get; } = NetBiosName.FromBytes("*SMBSERVER     \x20"u8);

    /// <summary>
    /// CALL ([RFC 1002] 5.3.2): resolves <paramref name="calledName"/> to its addresses and tries each in turn until
    /// one answers positively, following RETARGET responses.
    /// </summary>
    /// <param name="callingName">This side's name.</param>
    /// <param name="calledName">The name to call.</param>
    /// <param name="cancellationToken">Cancels the call (<see cref="SessionCallOutcome.Cancelled"/>).</param>
    /// <returns>The session, or the outcome of the last address tried (a negative answer is preferred over no answer).</returns>
    public async ValueTask<SessionCallResult> CallAsync(NetBiosName callingName, NetBiosName calledName, CancellationToken cancellationToken = default)
    {
        NameQueryResult resolved;
        try
        {
            resolved = await _resolver.QueryAsync(calledName, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new SessionCallResult(SessionCallOutcome.Cancelled, null, null, null, 0);
        }

        var addresses = resolved.Addresses;
        if (resolved.Outcome != QueryOutcome.Found || addresses.Count == 0)
        {
            var outcome = resolved.Outcome == QueryOutcome.Conflict ? SessionCallOutcome.ConflictingAnswers : SessionCallOutcome.NameNotFound;
            return new SessionCallResult(outcome, null, null, null, 0);
        }

        return await CallAsync(callingName, calledName, [.. addresses.Select(a => new IPEndPoint(a, Options.RemotePort))], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>CALL ([RFC 1002] 5.3.2) at explicit endpoints, tried in turn, following RETARGET responses.</summary>
    /// <param name="callingName">This side's name.</param>
    /// <param name="calledName">The name to call.</param>
    /// <param name="endPoints">Where to call, in order.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The session, or the outcome of the last endpoint tried (a negative answer is preferred over no answer).</returns>
    public async ValueTask<SessionCallResult> CallAsync(NetBiosName callingName, NetBiosName calledName, IReadOnlyList<IPEndPoint> endPoints,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endPoints);
        SessionCallResult? best = null;
        foreach (var endPoint in endPoints)
        {
            var result = await CallEndPointAsync(callingName, calledName, endPoint, cancellationToken).ConfigureAwait(false);
            if (result.Outcome is SessionCallOutcome.Connected or SessionCallOutcome.Cancelled or SessionCallOutcome.ServiceStopped
                or SessionCallOutcome.LocalSessionTableFull)
            {
                return result;
            }

            if (best is null || result.ErrorCode is not null || best.ErrorCode is null)
            {
                best = result;
            }
        }

        return best ?? new SessionCallResult(SessionCallOutcome.NameNotFound, null, null, null, 0);
    }

    /// <summary>Calls <c>*SMBSERVER&lt;20&gt;</c> at an address, for a caller that knows only the server's IP.</summary>
    /// <param name="callingName">This side's name.</param>
    /// <param name="address">The server.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The session, or why there is none.</returns>
    public ValueTask<SessionCallResult> CallSmbServerAsync(NetBiosName callingName, IPAddress address, CancellationToken cancellationToken = default) =>
        CallAsync(callingName, SmbServerName, [new IPEndPoint(address, Options.RemotePort)], cancellationToken);

    private async Task<SessionCallResult> CallEndPointAsync(NetBiosName callingName, NetBiosName calledName, IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        var visited = new HashSet<IPEndPoint> { endPoint };
        var current = endPoint;
        for (int retargets = 0; ; retargets++)
        {
            var (result, retarget) = await CallOnceAsync(callingName, calledName, current, retargets, cancellationToken).ConfigureAwait(false);
            if (retarget is null)
            {
                if (!result.IsConnected)
                {
                    SessionLog.CallFailed(_context.Logger, callingName, calledName, current, result.Outcome);
                }

                return result;
            }

            SessionLog.Retargeted(_context.Logger, calledName, current, retarget);
            if (retargets >= Options.MaxRetargets || !visited.Add(retarget))
            {
                return new SessionCallResult(SessionCallOutcome.RetargetLoop, null, null, retarget, retargets + 1);
            }

            current = retarget;
        }
    }

    private async Task<(SessionCallResult Result, IPEndPoint? Retarget)> CallOnceAsync(NetBiosName callingName, NetBiosName calledName, IPEndPoint endPoint,
        int retargets, CancellationToken cancellationToken)
    {
        SessionCallResult Outcome(SessionCallOutcome outcome, byte? code = null) => new(outcome, null, code, endPoint, retargets);

        if (!TryReserveSession())
        {
            return (Outcome(_disposed ? SessionCallOutcome.ServiceStopped : SessionCallOutcome.LocalSessionTableFull), null);
        }

        using var timeout = new CancellationTokenSource(Options.CallTimeout, _context.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token, _stopping.Token);
        IStreamConnection? connection = null;
        bool keep = false;
        try
        {
            connection = await _network.ConnectAsync(endPoint, linked.Token).ConfigureAwait(false);
            var output = connection.Transport.Output;
            var request = new SessionRequest(calledName, callingName);
            request.TryEncode(output.GetSpan(request.FrameLength), out int written);
            output.Advance(written);
            await output.FlushAsync(linked.Token).ConfigureAwait(false);

            var input = connection.Transport.Input;
            while (true)
            {
                var read = await input.ReadAsync(linked.Token).ConfigureAwait(false);
                var buffer = read.Buffer;
                var status = HandshakeScanner.TryRead(buffer, out var frame, out SequencePosition consumed, out SequencePosition examined, out _);
                if (status == OperationStatus.NeedMoreData)
                {
                    input.AdvanceTo(consumed, examined);
                    if (read.IsCompleted)
                    {
                        return (Outcome(SessionCallOutcome.Reset), null); // closed without an answer
                    }

                    continue;
                }

                if (status == OperationStatus.InvalidData || !SessionPacket.TryDecode(frame, out var packet, out _))
                {
                    input.AdvanceTo(buffer.Start);
                    return (Outcome(SessionCallOutcome.InvalidResponse), null);
                }

                input.AdvanceTo(consumed);
                switch (packet)
                {
                    case PositiveSessionResponse:
                        keep = true;
                        var session = AddSession(connection, callingName, calledName, isCaller: true);
                        SessionLog.Called(_context.Logger, session.Id, session.LocalName, session.RemoteName, session.RemoteEndPoint);
                        return (new SessionCallResult(SessionCallOutcome.Connected, session, null, endPoint, retargets), null);

                    case NegativeSessionResponse negative:
                        byte code = (byte)negative.ErrorCode;
                        return (Outcome(SessionCallResult.FromErrorCode(code), code), null);

                    case RetargetSessionResponse retarget:
                        return (Outcome(SessionCallOutcome.RetargetLoop), new IPEndPoint(retarget.Address, retarget.Port));

                    case SessionKeepAlive:
                        continue;

                    default:
                        return (Outcome(SessionCallOutcome.InvalidResponse), null);
                }
            }
        }
        catch (TransportConnectException ex)
        {
            return (Outcome(ex.Reason == ConnectFailureReason.Reset ? SessionCallOutcome.Reset : SessionCallOutcome.Unreachable), null);
        }
        catch (OperationCanceledException)
        {
            var outcome = cancellationToken.IsCancellationRequested ? SessionCallOutcome.Cancelled
                : _stopping.IsCancellationRequested ? SessionCallOutcome.ServiceStopped
                : SessionCallOutcome.Timeout;
            return (Outcome(outcome), null);
        }
        catch (Exception ex) when (SocketErrors.IsConnectionFailure(ex) || ex is InvalidOperationException)
        {
            // Connected, then reset (or the pipes failed) before the answer: a result, never an exception (issue 17 item 5).
            return (Outcome(connection is null ? SessionCallOutcome.Unreachable : SessionCallOutcome.Reset), null);
        }
        finally
        {
            if (!keep)
            {
                ReleaseReservation();
                if (connection is not null)
                {
                    connection.Abort();
                    await DisposeQuietlyAsync(connection).ConfigureAwait(false);
                }
            }
        }
    }
}
