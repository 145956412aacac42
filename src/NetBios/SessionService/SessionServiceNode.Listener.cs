using System.Buffers;
using System.Net;
using NetBios.Transport;
using NetBios.Wire.Session;

namespace NetBios.SessionService;

public sealed partial class SessionServiceNode
{
    // Before the session request only control packets are acceptable: a SESSION MESSAGE of any length is refused
    // from its header (SMBLoris `00 01 FF FF` costs nothing).
    private static readonly NbssFrameScanner HandshakeScanner = new(0);

    /// <summary>
    /// LISTEN ([RFC 1002] 5.3.1): waits for a SESSION REQUEST to <paramref name="localName"/> from
    /// <paramref name="remoteName"/> (or from any caller when null or <c>*</c>), answers it positively and returns the session.
    /// </summary>
    /// <param name="localName">The called name to accept (normally registered on this node).</param>
    /// <param name="remoteName">The caller to accept, or null / a name starting with <c>*</c> for any.</param>
    /// <param name="cancellationToken">Cancels the listen.</param>
    /// <returns>The session, or why there is none.</returns>
    public async ValueTask<SessionListenResult> ListenAsync(NetBiosName localName, NetBiosName? remoteName, CancellationToken cancellationToken = default)
    {
        var listen = new ListenOperation(localName, remoteName);
        QueuedRequest? waiting;
        lock (_gate)
        {
            if (_disposed)
            {
                return new SessionListenResult(SessionListenOutcome.ServiceStopped, null);
            }

            _servedNames.Add(localName);
            waiting = _queued.FirstOrDefault(q => q.CalledName == localName && listen.Accepts(q.CallingName));
            if (waiting is null)
            {
                _listens.Add(listen);
            }
            else
            {
                _queued.Remove(waiting);
            }
        }

        // A request already waiting for a listen gets this one (it completes the listen, or requeues it if it fails).
        waiting?.Completion.TrySetResult(listen);

        listen.Registration = cancellationToken.Register(() =>
        {
            bool removed;
            lock (_gate)
            {
                removed = _listens.Remove(listen);
            }

            if (removed)
            {
                listen.Completion.TrySetResult(new SessionListenResult(SessionListenOutcome.Cancelled, null));
            }
        });
        var result = await listen.Completion.Task.ConfigureAwait(false);
        await listen.Registration.DisposeAsync().ConfigureAwait(false);
        return result;
    }

    private async Task AcceptLoopAsync(IStreamListener listener)
    {
        try
        {
            while (await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false) is { } connection)
            {
                var remote = connection.RemoteEndPoint;
                var entry = new IncomingConnection(connection, _context.Time.GetTimestamp()) { Deadline = _context.DeadlineAfter(Options.SessionRequestTimeout) };
                string? refusal;
                IncomingConnection? victim;
                lock (_gate)
                {
                    refusal = TryAdmit(entry, out victim);
                }

                if (victim is not null)
                {
                    AbortEvicted(victim);
                }

                if (refusal is not null)
                {
                    SessionLog.ConnectionRefused(_context.Logger, remote, refusal);
                    connection.Abort();
                    await DisposeQuietlyAsync(connection).ConfigureAwait(false);
                    continue;
                }

                entry.Handshake = Task.Run(() => HandshakeAsync(entry));
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException)
        {
            SessionLog.AcceptFailed(_context.Logger, ex);
        }
    }

    private static async ValueTask DisposeQuietlyAsync(IStreamConnection connection)
    {
        try
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (SocketErrors.IsConnectionFailure(ex) || ex is InvalidOperationException or OperationCanceledException)
        {
        }
    }

    private async Task HandshakeAsync(IncomingConnection entry)
    {
        var connection = entry.Connection;
        var remote = connection.RemoteEndPoint;
        NbssSession? session = null;
        try
        {
            session = await AnswerRequestAsync(entry).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException)
        {
            SessionLog.HandshakeFailed(_context.Logger, remote, ex);
            connection.Abort();
        }

        if (session is null)
        {
            // Closed gracefully so that a negative response already written reaches the peer before the FIN.
            await DisposeQuietlyAsync(connection).ConfigureAwait(false);
            ForgetIncoming(entry);
            return;
        }

        await session.Completion.ConfigureAwait(false);
        ForgetIncoming(entry);
    }

    /// <summary>Reads frames until the SESSION REQUEST and answers it; the session on a positive answer, else null (close).</summary>
    private async Task<NbssSession?> AnswerRequestAsync(IncomingConnection entry)
    {
        var connection = entry.Connection;
        var input = connection.Transport.Input;
        var remote = connection.RemoteEndPoint;
        while (true)
        {
            var result = await input.ReadAsync(_stopping.Token).ConfigureAwait(false);
            var buffer = result.Buffer;
            var status = HandshakeScanner.TryRead(buffer, out var frame, out SequencePosition consumed, out SequencePosition examined, out var error);
            if (status == OperationStatus.InvalidData)
            {
                input.AdvanceTo(buffer.Start);
                SessionLog.MalformedRequest(_context.Logger, remote, error);
                await SendNegativeAsync(connection, SessionErrorCode.UnspecifiedError).ConfigureAwait(false);
                return null;
            }

            if (status == OperationStatus.NeedMoreData)
            {
                input.AdvanceTo(consumed, examined);
                if (result.IsCompleted)
                {
                    return null;
                }

                continue;
            }

            switch (frame.Type)
            {
                case SessionPacketType.SessionKeepAlive:
                    input.AdvanceTo(consumed);
                    continue;

                case SessionPacketType.LegacyKeepAliveRequest:
                    input.AdvanceTo(consumed);
                    await WriteAsync(connection, SessionKeepAlive.Instance).ConfigureAwait(false);
                    continue;

                case SessionPacketType.SessionRequest:
                    break;

                default:
                    input.AdvanceTo(buffer.Start);
                    SessionLog.UnexpectedBeforeRequest(_context.Logger, frame.Type, remote);
                    await SendNegativeAsync(connection, SessionErrorCode.UnspecifiedError).ConfigureAwait(false);
                    return null;
            }

            bool decoded = SessionPacket.TryDecode(frame, out var packet, out error);
            input.AdvanceTo(consumed);
            if (!decoded || packet is not SessionRequest request)
            {
                SessionLog.MalformedRequest(_context.Logger, remote, error);
                await SendNegativeAsync(connection, SessionErrorCode.UnspecifiedError).ConfigureAwait(false);
                return null;
            }

            return await DecideAsync(entry, request).ConfigureAwait(false);
        }
    }

    private async Task<NbssSession?> DecideAsync(IncomingConnection entry, SessionRequest request)
    {
        var connection = entry.Connection;
        bool local = _names.FindRegistered(_names.ApplyScope(request.CalledName)) is not null;
        QueuedRequest? queued = null;
        ListenOperation? listen = null;
        SessionErrorCode? refusal = null;
        lock (_gate)
        {
            if (!local)
            {
                refusal = SessionErrorCode.CalledNameNotPresent;
            }
            else if (!_disposed)
            {
                listen = TakeListen(request);
                if (listen is null && _servedNames.Contains(request.CalledName) && Options.ListenQueueTimeout > TimeSpan.Zero
                    && _queued.Count < Options.MaxQueuedRequests)
                {
                    queued = new QueuedRequest(request.CalledName, request.CallingName);
                    _queued.Add(queued);
                    entry.Queued = true;
                }
            }
        }

        if (queued is not null)
        {
            SessionLog.RequestQueued(_context.Logger, request.CallingName, request.CalledName, connection.RemoteEndPoint);
            listen = await WaitForListenAsync(queued).ConfigureAwait(false);
        }

        IncomingConnection? victim = null;
        if (refusal is null)
        {
            lock (_gate)
            {
                entry.Queued = false;
                refusal = listen is null ? NotListeningCode(request) : Reserve(connection.RemoteEndPoint.Address, out victim);
            }
        }

        if (victim is not null)
        {
            AbortEvicted(victim);
        }

        if (refusal is { } code)
        {
            if (listen is not null)
            {
                Requeue(listen);
            }

            SessionLog.NegativeSent(_context.Logger, request.CallingName, request.CalledName, connection.RemoteEndPoint, (byte)code);
            await SendNegativeAsync(connection, code).ConfigureAwait(false);
            return null;
        }

        try
        {
            await WriteAsync(connection, PositiveSessionResponse.Instance).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException)
        {
            ReleaseReservation();
            Requeue(listen!);
            throw;
        }

        // The session owns the connection from here; the timer no longer reaps it as a handshake.
        var session = AddSession(connection, request.CalledName, request.CallingName, isCaller: false);
        lock (_gate)
        {
            entry.Session = session;
            StopCountingAsHandshake(entry);
        }

        SessionLog.Accepted(_context.Logger, session.Id, session.LocalName, session.RemoteName, session.RemoteEndPoint);
        if (!listen!.Completion.TrySetResult(new SessionListenResult(SessionListenOutcome.Connected, session)))
        {
            session.Abort();
        }

        return session;
    }

    /// <summary>Removes and returns the first LISTEN that accepts the request, or null. Under <see cref="_gate"/>.</summary>
    private ListenOperation? TakeListen(SessionRequest request)
    {
        var listen = _listens.FirstOrDefault(l => l.LocalName == request.CalledName && l.Accepts(request.CallingName));
        if (listen is not null)
        {
            _listens.Remove(listen);
        }

        return listen;
    }

    /// <summary>0x81 when a LISTEN on the called name waits for another caller, else 0x80. Under <see cref="_gate"/>.</summary>
    private SessionErrorCode NotListeningCode(SessionRequest request) =>
        _listens.Any(l => l.LocalName == request.CalledName)
            ? SessionErrorCode.NotListeningForCallingName
            : SessionErrorCode.NotListeningOnCalledName;

    /// <summary>
    /// Reserves a session-table slot for an accepted request, evicting an idle accepted session when the table is full;
    /// 0x83 when nothing can go. Under <see cref="_gate"/>.
    /// </summary>
    private SessionErrorCode? Reserve(IPAddress caller, out IncomingConnection? victim)
    {
        victim = null;
        if (_disposed)
        {
            return SessionErrorCode.CalledNamePresentInsufficientResources;
        }

        if (_reservedSessions >= Options.MaxSessions)
        {
            victim = CoolingDown(caller) ? null : PickVictim(sessionsOnly: true);
            if (victim is null)
            {
                return SessionErrorCode.CalledNamePresentInsufficientResources;
            }

            Evict(victim);
        }

        _reservedSessions++;
        return null;
    }

    /// <summary>Waits up to <see cref="SessionServiceOptions.ListenQueueTimeout"/> for a LISTEN handed over by <see cref="ListenAsync"/>; null if none came.</summary>
    private async Task<ListenOperation?> WaitForListenAsync(QueuedRequest queued)
    {
        try
        {
            return await queued.Completion.Task.WaitAsync(Options.ListenQueueTimeout, _context.Time, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            lock (_gate)
            {
                if (_queued.Remove(queued))
                {
                    return null;
                }
            }

            // A listen was handed over just as the wait ended: take it (or null if the service stopped).
            return await queued.Completion.Task.ConfigureAwait(false);
        }
    }

    private void Requeue(ListenOperation listen)
    {
        lock (_gate)
        {
            if (!_disposed && !listen.Completion.Task.IsCompleted)
            {
                _listens.Insert(0, listen);
                return;
            }
        }

        listen.Completion.TrySetResult(new SessionListenResult(SessionListenOutcome.ServiceStopped, null));
    }

    private async Task SendNegativeAsync(IStreamConnection connection, SessionErrorCode code)
    {
        try
        {
            await WriteAsync(connection, new NegativeSessionResponse(code)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException)
        {
            // The peer is gone; nothing to tell it.
        }

        // Close gracefully so that the answer is delivered before the FIN.
        await DisposeQuietlyAsync(connection).ConfigureAwait(false);
    }

    private async ValueTask WriteAsync(IStreamConnection connection, SessionPacket packet)
    {
        var output = connection.Transport.Output;
        packet.TryEncode(output.GetSpan(packet.FrameLength), out int written);
        output.Advance(written);
        await output.FlushAsync(_stopping.Token).ConfigureAwait(false);
    }
}
