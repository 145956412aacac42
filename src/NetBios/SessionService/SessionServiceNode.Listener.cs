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
        lock (_gate)
        {
            if (_disposed)
            {
                return new SessionListenResult(SessionListenOutcome.ServiceStopped, null);
            }

            _listens.Add(listen);
        }

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
                var entry = new IncomingConnection(connection) { Deadline = _context.DeadlineAfter(Options.SessionRequestTimeout) };
                string? refusal = null;
                lock (_gate)
                {
                    _perAddress.TryGetValue(remote.Address, out int fromAddress);
                    if (_disposed)
                    {
                        refusal = "stopping";
                    }
                    else if (_incoming.Count >= Options.MaxConnections)
                    {
                        refusal = "connection limit";
                    }
                    else if (fromAddress >= Options.MaxConnectionsPerAddress)
                    {
                        refusal = "per-address connection limit";
                    }
                    else
                    {
                        _incoming.Add(entry);
                        _perAddress[remote.Address] = fromAddress + 1;
                    }
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

    private void ForgetIncoming(IncomingConnection entry)
    {
        lock (_gate)
        {
            if (_incoming.Remove(entry))
            {
                var address = entry.Connection.RemoteEndPoint.Address;
                if (_perAddress.TryGetValue(address, out int count) && count > 1)
                {
                    _perAddress[address] = count - 1;
                }
                else
                {
                    _perAddress.Remove(address);
                }
            }
        }
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
        NbssSession? session = null;
        ListenOperation? listen = null;
        SessionErrorCode? refusal = null;
        bool local = _names.FindRegistered(_names.ApplyScope(request.CalledName)) is not null;
        lock (_gate)
        {
            if (!local)
            {
                refusal = SessionErrorCode.CalledNameNotPresent;
            }
            else if (_disposed || _reservedSessions >= Options.MaxSessions)
            {
                refusal = SessionErrorCode.CalledNamePresentInsufficientResources;
            }
            else
            {
                listen = _listens.FirstOrDefault(l => l.LocalName == request.CalledName && l.Accepts(request.CallingName));
                if (listen is null)
                {
                    refusal = _listens.Any(l => l.LocalName == request.CalledName)
                        ? SessionErrorCode.NotListeningForCallingName
                        : SessionErrorCode.NotListeningOnCalledName;
                }
                else
                {
                    _listens.Remove(listen);
                    _reservedSessions++;
                }
            }
        }

        if (refusal is { } code)
        {
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
        entry.Session = session = AddSession(connection, request.CalledName, request.CallingName, isCaller: false);
        SessionLog.Accepted(_context.Logger, session.Id, session.LocalName, session.RemoteName, session.RemoteEndPoint);
        if (!listen!.Completion.TrySetResult(new SessionListenResult(SessionListenOutcome.Connected, session)))
        {
            session.Abort();
        }

        return session;
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
