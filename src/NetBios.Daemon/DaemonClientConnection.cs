using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using NetBios.NcbInterface;

namespace NetBios.Daemon;

/// <summary>
/// One client of the daemon (docs/IPC.md): its socket, its own <see cref="NetBiosInterface"/> over the shared stations
/// (so the names, sessions and pending NCBs it creates are its own), the NCBs it has pending by request id, its reading
/// (HELLO, then NCB SUBMITs, in order: on the <see cref="DaemonSocketReactor"/>'s thread, inline, whenever bytes arrive)
/// and its output (WELCOME, NCB ACCEPTED, NCB COMPLETE, RESPONSE, ERROR).
/// </summary>
/// <remarks>
/// When the connection ends — the client closed it or died, it broke the protocol, or the daemon stops — the client's
/// interface is RESET (freed) on every LANA at once: its pending NCBs are cancelled, its sessions aborted and its names
/// released (docs/IPC.md "Lifetime").
/// <para>
/// Output has no queue and no write task: a message is written straight into the socket's pipe writer by the thread
/// that produces it (the read loop for WELCOME and ACCEPTED, the NCB's POST routine for COMPLETE), under a lock, and
/// flushed there — a local socket takes it at once, so an NCB COMPLETE leaves on the thread that completed the NCB.
/// Only while a flush waits (the client does not read) do later messages go into a backlog, which the flush in
/// progress writes when it is done; messages therefore stay whole and in order (docs/IPC.md "Benchmark").
/// </para>
/// </remarks>
internal sealed class DaemonClientConnection : IDisposable, IDaemonMessageHandler
{
    private readonly NetBiosDaemonServer _server;
    private readonly Socket _socket;
    private readonly PipeWriter _writer;
    private readonly DaemonSocketReader _reader;
    private readonly TaskCompletionSource<DaemonReadEnd> _readEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly NetBiosInterface _netbios;
    private readonly Lock _writeLock = new();
    private readonly Lock _ncbsLock = new();
    private readonly Dictionary<uint, Ncb> _ncbs = [];
    private readonly Dictionary<uint, RunningRequest> _requests = [];
    private readonly Dictionary<Type, IAsyncDisposable> _features = [];
    private readonly CancellationTokenSource _closing = new();
    private readonly CancellationTokenSource _handshake;
    private readonly ITimer _handshakeTimer;
    private (NetBiosDaemonError Error, string Text)? _stopReason;
    private Task _run = Task.CompletedTask;
    private Task _flushing = Task.CompletedTask;
    private DaemonOutputBacklog? _backlog;
    private bool _flushPending;
    private bool _outputClosed;
    private bool _welcomed;
    private bool _released;

    public DaemonClientConnection(NetBiosDaemonServer server, Socket socket, PeerCredentials credentials)
    {
        _server = server;
        _socket = socket;
        Credentials = credentials;
        Permissions = server.Options.AccessPolicy.PermissionsFor(credentials.UserId, credentials.GroupId);
        var stream = new NetworkStream(socket, ownsSocket: false);
        _writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 4096));
        _netbios = new NetBiosInterface(server.Stations, server.LoggerFactory.CreateLogger<NetBiosInterface>());
        _reader = new DaemonSocketReader(socket, server.Options.MaxMessageLength, "client", this);

        // The HELLO deadline runs from the accept, not from when the read loop first runs.
        _handshake = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token);
        _handshakeTimer = server.Time.CreateTimer(static s => ((CancellationTokenSource)s!).Cancel(), _handshake,
            server.Options.HandshakeTimeout, Timeout.InfiniteTimeSpan);
    }

    public PeerCredentials Credentials { get; }

    public NetBiosDaemonPermissions Permissions { get; }

    /// <summary>The daemon this client is connected to.</summary>
    public NetBiosDaemonServer Server => _server;

    /// <summary>This client's own NCB interface over the shared stations.</summary>
    public NetBiosInterface NetBios => _netbios;

    /// <summary>
    /// What a kind of operation keeps for this client (its names, sessions, receivers: the station-level state of
    /// protocol 1.1), created on first use and disposed when the connection ends, after its pending requests have
    /// ended and before its NCB interface is RESET (docs/IPC.md "Lifetime").
    /// </summary>
    /// <typeparam name="T">The state's type; one instance per type and client.</typeparam>
    /// <returns>The client's instance, or null when it has none (yet, or any more).</returns>
    public T? FindState<T>() where T : class, IAsyncDisposable
    {
        lock (_ncbsLock)
        {
            return _features.GetValueOrDefault(typeof(T)) as T;
        }
    }

    /// <summary>Per-client state, created on first use (see <see cref="FindState{T}"/>).</summary>
    /// <typeparam name="T">The state's type; one instance per type and client.</typeparam>
    /// <param name="create">Makes it on first use.</param>
    /// <returns>The client's instance.</returns>
    /// <exception cref="ObjectDisposedException">The connection is ending (its state was or is being disposed).</exception>
    public T GetState<T>(Func<DaemonClientConnection, T> create) where T : class, IAsyncDisposable
    {
        lock (_ncbsLock)
        {
            ObjectDisposedException.ThrowIf(_released, this);
            if (!_features.TryGetValue(typeof(T), out var state))
            {
                state = create(this);
                _features[typeof(T)] = state;
            }

            return (T)state;
        }
    }

    public void Start()
    {
        DaemonServerLog.Connected(_server.Logger, Credentials.ProcessId, Credentials.UserId, Credentials.GroupId, Permissions);
        _run = RunAsync();
        _handshake.Token.UnsafeRegister(static s => ((DaemonClientConnection)s!).OnHandshakeTimeout(), this);
        _closing.Token.UnsafeRegister(static s => ((DaemonClientConnection)s!).OnClosing(), this);
        try
        {
            _reader.Start();
        }
        catch (SocketException ex)
        {
            _reader.Stop(new("the connection failed: " + ex.Message));
        }
    }

    /// <summary>Answers ERROR and closes (a client that is not admitted).</summary>
    public async Task RefuseAsync(NetBiosDaemonError error, string text)
    {
        try
        {
            DaemonProtocol.WriteMessage(_writer, DaemonMessageType.Error, 0, DaemonHandshakeCodec.Error(error, text));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken.None);
            using var timer = _server.Time.CreateTimer(static s => ((CancellationTokenSource)s!).Cancel(), timeout, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
            await _writer.FlushAsync(timeout.Token).ConfigureAwait(false);

            // Closing with the client's HELLO unread would reset the connection and lose the ERROR: read to its end
            // first (at most 64 KiB, at most a second).
            _socket.Shutdown(SocketShutdown.Send);
            using var stream = new NetworkStream(_socket, ownsSocket: false);
            byte[] drain = new byte[4096];
            for (long drained = 0; drained < 64 * 1024;)
            {
                int read = await stream.ReadAsync(drain, timeout.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                drained += read;
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // It went away first, or did not close in time.
        }
        finally
        {
            _socket.Dispose();
            Dispose();
        }
    }

    /// <summary>Ends the client (daemon shutdown): ERROR, then the same release as a disconnect.</summary>
    public async Task StopAsync(NetBiosDaemonError error, string text)
    {
        _stopReason = (error, text);
        try
        {
            await _closing.CancelAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // Ended meanwhile.
        }

        await _run.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var (reason, error) = await _readEnded.Task.ConfigureAwait(false);

        // The read loop may have ended inside whatever cancelled it (a handshake timer's callback, StopAsync): the
        // ending — ERROR, release, close — goes on off that thread, as it did behind the former write task.
        await Task.Run(static () => { }).ConfigureAwait(false);
        if (error is { } code)
        {
            Enqueue(DaemonMessageType.Error, 0, DaemonHandshakeCodec.Error(code, reason));
            if (code != NetBiosDaemonError.ShuttingDown && _server.MisbehaviourLog.ShouldLog(out long count))
            {
                DaemonServerLog.Misbehaved(_server.Logger, Credentials.ProcessId, Credentials.UserId, reason, count);
            }
        }

        Task flushing;
        lock (_writeLock)
        {
            _outputClosed = true; // what completes from now on (the RESET below) is not sent
            flushing = _flushing;
        }

        long started = _server.Time.GetTimestamp();
        try
        {
            await ReleaseAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            DaemonServerLog.ReleaseFailed(_server.Logger, ex, Credentials.ProcessId);
        }

        long elapsed = (long)_server.Time.GetElapsedTime(started).TotalMilliseconds;
        DaemonServerLog.Released(_server.Logger, Credentials.ProcessId, Credentials.UserId, reason, elapsed);

        // The flush in progress has sent what was written (the ERROR) unless the peer stopped reading; closing ends it
        // either way.
        using (var drain = new CancellationTokenSource(TimeSpan.FromSeconds(1), _server.Time))
        {
            await Task.WhenAny(flushing, Task.Delay(Timeout.Infinite, drain.Token)).ConfigureAwait(false);
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Gone already.
        }

        _socket.Dispose();
        await flushing.ConfigureAwait(false);
        lock (_writeLock)
        {
            // The socket is closed: what a failed flush left in the writer cannot be sent (an exception makes Complete
            // drop it instead of writing it to the closed socket).
            _writer.Complete(new IOException("The connection has ended."));
        }

        Dispose();
        _server.OnClientEnded(this);
    }

    /// <summary>Frees the handshake timer and the cancellation sources (the connection itself ends in <see cref="StopAsync"/> or by itself).</summary>
    public void Dispose()
    {
        _handshakeTimer.Dispose();
        _handshake.Dispose();
        _closing.Dispose();
    }

    /// <summary>RESET (free) on every LANA of this client's interface: cancels its pending NCBs, aborts its sessions and
    /// releases its names. Their completions are not sent (the output is closed).</summary>
    private async Task ReleaseAsync()
    {
        // Requests first (they may be creating state), then the state they made, then the NCB side.
        Task[] running;
        List<IAsyncDisposable> states;
        lock (_ncbsLock)
        {
            foreach (var request in _requests.Values)
            {
                request.Cancel.Cancel();
            }

            running = [.. _requests.Values.Select(r => r.Task)];
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        lock (_ncbsLock)
        {
            _released = true;
            states = [.. _features.Values];
            _features.Clear();
        }

        foreach (var state in states)
        {
            try
            {
                await state.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                DaemonServerLog.ReleaseFailed(_server.Logger, ex, Credentials.ProcessId);
            }
        }

        foreach (byte lana in _server.LanaNumbers)
        {
            await _netbios.ResetAsync(lana, new NcbResetRequest(Free: true)).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    void IDaemonMessageHandler.ReadDone()
    {
    }

    /// <summary>The reading has ended (once): the connection's ending runs.</summary>
    void IDaemonMessageHandler.ReadEnded(DaemonReadEnd end) => _readEnded.TrySetResult(end);

    private void OnHandshakeTimeout()
    {
        lock (_reader.Gate)
        {
            if (_welcomed)
            {
                return;
            }
        }

        _reader.Stop(new(_stopReason is { } stop ? stop.Text : "no HELLO within " + _server.Options.HandshakeTimeout,
            _stopReason is { } s ? s.Error : NetBiosDaemonError.HandshakeTimeout));
    }

    private void OnClosing()
    {
        if (_stopReason is { } stop)
        {
            _reader.Stop(new(stop.Text, stop.Error));
            return;
        }

        bool welcomed;
        lock (_reader.Gate)
        {
            welcomed = _welcomed;
        }

        _reader.Stop(welcomed ? new("the connection failed")
            : new("no HELLO within " + _server.Options.HandshakeTimeout, NetBiosDaemonError.HandshakeTimeout));
    }

    /// <summary>Handles one message (HELLO first, then SUBMITs and requests), in order, on the reactor's thread, under
    /// the reader's gate.</summary>
    /// <returns>Null to go on, or why the client ends.</returns>
    DaemonReadEnd? IDaemonMessageHandler.HandleMessage(DaemonMessageType type, uint id, ReadOnlySequence<byte> payload)
    {
        if (!_welcomed)
        {
            if (type != DaemonMessageType.Hello || !DaemonHandshakeCodec.TryReadHello(payload, out ushort major, out _))
            {
                return new("the first message is not HELLO", NetBiosDaemonError.MalformedMessage);
            }

            if (major != DaemonProtocol.MajorVersion)
            {
                return new($"protocol version {major} is not supported (the daemon speaks {DaemonProtocol.MajorVersion}.{DaemonProtocol.MinorVersion})",
                    NetBiosDaemonError.UnsupportedVersion);
            }

            Enqueue(DaemonMessageType.Welcome, id, DaemonHandshakeCodec.Welcome(new DaemonWelcome(DaemonProtocol.MajorVersion,
                DaemonProtocol.MinorVersion, _server.Options.MaxMessageLength, _server.Options.MaxPendingNcbsPerClient,
                Credentials.ProcessId, Credentials.UserId, Credentials.GroupId, Permissions, _server.LanaNumbers)));
            _welcomed = true;
            _handshakeTimer.Dispose();
            return null;
        }

        string? why;
        bool wellFormed = type switch
        {
            DaemonMessageType.NcbSubmit => HandleSubmit(id, payload, out why),
            DaemonMessageType.Request => HandleRequest(id, payload, out why),
            DaemonMessageType.RequestCancel => CancelRequest(id, out why),
            _ => Unknown(type, out why),
        };
        return wellFormed ? null : new(why!, NetBiosDaemonError.MalformedMessage);
    }

    /// <summary>
    /// NCB SUBMIT: checks the access policy and the pending limit, then runs the NCB no-wait in this client's interface
    /// with a POST routine that sends NCB COMPLETE. A refusal before it starts is NCB COMPLETE with the refused flag.
    /// </summary>
    /// <returns>False (with the reason) when the message is malformed; the client then ends.</returns>
    private bool HandleSubmit(uint id, ReadOnlySequence<byte> payload, out string? why)
    {
        why = null;
        if (!DaemonNcbCodec.TryReadSubmit(payload, _server.NcbBuffers, out var ncb, out uint targetId, out bool noWait, out bool pooled))
        {
            why = "a malformed NCB SUBMIT";
            return false;
        }

        var command = ncb.BaseCommand;
        NcbReturnCode? refusal = null;
        if (Required(command) is { } needed && (Permissions & needed) == 0)
        {
            DaemonServerLog.Refused(_server.Logger, Credentials.ProcessId, Credentials.UserId, command);
            refusal = NcbReturnCode.NoResourcesAvailable;
        }
        else
        {
            lock (_ncbsLock)
            {
                if (_ncbs.ContainsKey(id))
                {
                    why = $"request id {id} is pending already";
                    return false;
                }

                if (_ncbs.Count >= _server.Options.MaxPendingNcbsPerClient)
                {
                    refusal = NcbReturnCode.TooManyCommands;
                }
                else
                {
                    _ncbs[id] = ncb;
                    if (command == NcbCommand.Cancel && targetId != 0)
                    {
                        // Unknown or finished targets become an NCB that is not pending: NRC_CANOCCR, as embedded.
                        ncb.CancelTarget = _ncbs.GetValueOrDefault(targetId) is { } target && !ReferenceEquals(target, ncb) ? target : new Ncb();
                    }
                }
            }
        }

        if (refusal is { } refused)
        {
            SendComplete(id, ncb, refused, refused: true);
            ReturnBuffer(ncb, pooled);
            return true;
        }

        ncb.Command |= NcbCommand.Asynchronous;
        ncb.Post = pooled ? completed => OnCompletedPooled(id, completed) : completed => OnCompleted(id, completed);
        var code = _netbios.Submit(ncb);
        if (code != NcbReturnCode.GoodReturn)
        {
            // Refused before it started: nothing of the interface holds the buffer.
            Forget(id);
            SendComplete(id, ncb, code, refused: true);
            ReturnBuffer(ncb, pooled);
        }
        else if (noWait)
        {
            Enqueue(DaemonMessageType.NcbAccepted, id, []);
        }

        return true;
    }

    private static bool Unknown(DaemonMessageType type, out string? why)
    {
        why = $"unknown message type 0x{(ushort)type:X4}";
        return false;
    }

    /// <summary>
    /// REQUEST (protocol 1.1): runs the operation on its own task (requests may wait, e.g. for a datagram, while
    /// others run) and answers one RESPONSE. The body is copied out of the read buffer first. A client past its
    /// pending limit (MaxPendingNcbsPerClient, NCBs and requests counted apart) gets status Busy.
    /// </summary>
    /// <returns>False (with the reason) when the message is malformed; the client then ends.</returns>
    private bool HandleRequest(uint id, ReadOnlySequence<byte> payload, out string? why)
    {
        why = null;
        if (payload.Length < 2)
        {
            why = "a REQUEST without an operation code";
            return false;
        }

        Span<byte> code = stackalloc byte[2];
        payload.Slice(0, 2).CopyTo(code);
        ushort operation = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(code);
        RunningRequest running;
        lock (_ncbsLock)
        {
            if (_requests.ContainsKey(id))
            {
                why = $"request id {id} is pending already";
                return false;
            }

            if (_released || _requests.Count >= _server.Options.MaxPendingNcbsPerClient)
            {
                SendReply(id, DaemonReply.Fail(NetBiosDaemonRequestStatus.Busy, $"{_requests.Count} requests are pending already"));
                return true;
            }

            running = new RunningRequest(CancellationTokenSource.CreateLinkedTokenSource(_closing.Token));
            _requests[id] = running;
            running.Task = RunRequestAsync(new DaemonRequest(this, id, operation, payload.Slice(2).ToArray()), running.Cancel);
        }

        return true;
    }

    private async Task RunRequestAsync(DaemonRequest request, CancellationTokenSource cancel)
    {
        await Task.Yield(); // the read loop goes on reading
        DaemonReply reply;
        try
        {
            reply = await DaemonOperations.HandleAsync(request, cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            reply = DaemonReply.Fail(NetBiosDaemonRequestStatus.Cancelled, "cancelled");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            DaemonServerLog.RequestFailed(_server.Logger, ex, Credentials.ProcessId, request.Operation);
            reply = DaemonReply.Fail(NetBiosDaemonRequestStatus.Failed, "the daemon failed to carry out the request: " + ex.Message);
        }

        lock (_ncbsLock)
        {
            _requests.Remove(request.Id);
        }

        cancel.Dispose();
        SendReply(request.Id, reply);
    }

    /// <summary>REQUEST CANCEL: cancels the request if it is pending (its RESPONSE says Cancelled); else nothing.</summary>
    private bool CancelRequest(uint id, out string? why)
    {
        why = null;
        lock (_ncbsLock)
        {
            if (_requests.TryGetValue(id, out var running))
            {
                running.Cancel.Cancel();
            }
        }

        return true;
    }

    private void SendReply(uint id, DaemonReply reply) =>
        WriteMessage(DaemonMessageType.Response, id, 2 + reply.Body.Length, reply, static (destination, r) =>
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)r.Status);
            r.Body.Span.CopyTo(destination[2..]);
        });

    /// <summary>The permission a command needs, or null when every client may run it.</summary>
    private static NetBiosDaemonPermissions? Required(NcbCommand command) => command switch
    {
        NcbCommand.AddName or NcbCommand.AddGroupName => NetBiosDaemonPermissions.AddNames,
        NcbCommand.Listen => NetBiosDaemonPermissions.Listen,
        NcbCommand.DatagramSendBroadcast => NetBiosDaemonPermissions.SendBroadcasts,
        _ => null,
    };

    private void OnCompleted(uint id, Ncb ncb)
    {
        Forget(id);
        SendComplete(id, ncb, ncb.CommandComplete, refused: false);
    }

    /// <summary>POST of an NCB whose buffer came from the pool: COMPLETE copies the received bytes out, then the buffer
    /// goes back when the command ended with its own result (<see cref="DaemonNcbCodec.ReturnsPooledBuffer"/>).</summary>
    private void OnCompletedPooled(uint id, Ncb ncb)
    {
        var code = ncb.CommandComplete;
        Forget(id);
        SendComplete(id, ncb, code, refused: false);
        ReturnBuffer(ncb, DaemonNcbCodec.ReturnsPooledBuffer(ncb, code));
    }

    private void ReturnBuffer(Ncb ncb, bool pooled)
    {
        if (pooled && ncb.Buffer is { } buffer)
        {
            ncb.Buffer = null;
            _server.NcbBuffers.Return(buffer);
        }
    }

    private void Forget(uint id)
    {
        lock (_ncbsLock)
        {
            _ncbs.Remove(id);
        }
    }

    /// <summary>NCB COMPLETE, written straight from the completed NCB (its received bytes are copied once, into the
    /// socket's pipe).</summary>
    private void SendComplete(uint id, Ncb ncb, NcbReturnCode code, bool refused)
    {
        int returned = DaemonNcbCodec.ReturnedCount(ncb, refused);
        WriteMessage(DaemonMessageType.NcbComplete, id, DaemonNcbCodec.CompleteLength(returned), (ncb, code, refused, returned),
            static (destination, c) => DaemonNcbCodec.WriteComplete(destination, c.ncb, c.code, c.refused, c.returned));
    }

    private void Enqueue(DaemonMessageType type, uint id, byte[] payload) =>
        WriteMessage(type, id, payload.Length, payload, static (destination, p) => p.CopyTo(destination));

    /// <summary>
    /// Writes one message: into the pipe writer and flushed at once when no flush is in progress (the usual case: the
    /// local socket takes it, no thread hop), else into the backlog that the flush in progress sends next. Whole and in
    /// order either way; dropped once the output is closed (the connection ends).
    /// </summary>
    private void WriteMessage<TState>(DaemonMessageType type, uint id, int payloadLength, TState state, PayloadWriter<TState> write)
    {
        int total = DaemonProtocol.HeaderLength + payloadLength;
        lock (_writeLock)
        {
            if (_outputClosed)
            {
                return;
            }

            if (_flushPending)
            {
                Put(_backlog ??= new DaemonOutputBacklog(total), type, id, payloadLength, state, write);
            }
            else
            {
                Put(_writer, type, id, payloadLength, state, write);
                Flush();
            }
        }
    }

    private static void Put<TWriter, TState>(TWriter target, DaemonMessageType type, uint id, int payloadLength, TState state,
        PayloadWriter<TState> write) where TWriter : IBufferWriter<byte>
    {
        int total = DaemonProtocol.HeaderLength + payloadLength;
        var span = target.GetSpan(total);
        DaemonProtocol.WriteHeader(span, type, id, payloadLength);
        write(span.Slice(DaemonProtocol.HeaderLength, payloadLength), state);
        target.Advance(total);
    }

    /// <summary>Flushes the pipe writer; when the socket does not take everything at once, the rest is awaited off
    /// this thread (and the backlog sent after it). Called under the write lock.</summary>
    private void Flush()
    {
        try
        {
            var flush = _writer.FlushAsync();
            if (flush.IsCompletedSuccessfully)
            {
                return;
            }

            _flushPending = true;
            _flushing = FinishFlushAsync(flush);
        }
        catch (Exception ex) when (IsConnectionError(ex))
        {
            OnOutputFailed();
        }
    }

    private async Task FinishFlushAsync(ValueTask<FlushResult> flush)
    {
        try
        {
            while (true)
            {
                await flush.ConfigureAwait(false);
                lock (_writeLock)
                {
                    if (_backlog is not { WrittenCount: > 0 } backlog)
                    {
                        _flushPending = false;
                        _backlog?.Release(); // a burst's backlog is not kept by an idle client
                        _backlog = null;
                        return;
                    }

                    _writer.Write(backlog.WrittenSpan);
                    backlog.Clear();
                    flush = _writer.FlushAsync();
                }
            }
        }
        catch (Exception ex) when (IsConnectionError(ex))
        {
            lock (_writeLock)
            {
                OnOutputFailed();
            }
        }
    }

    /// <summary>The client went away while we wrote: nothing more is sent, and the read loop ends (it sees it too).
    /// Called under the write lock.</summary>
    private void OnOutputFailed()
    {
        _outputClosed = true;
        _backlog?.Release();
        _backlog = null;
        _ = CancelClosingAsync();
    }

    private async Task CancelClosingAsync()
    {
        try
        {
            await _closing.CancelAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // Ended meanwhile.
        }
    }

    private static bool IsConnectionError(Exception ex) =>
        ex is IOException or SocketException or ObjectDisposedException or InvalidOperationException or OperationCanceledException;

    /// <summary>Writes a message's payload into its place in the output.</summary>
    private delegate void PayloadWriter<in TState>(Span<byte> destination, TState state);

    /// <summary>A REQUEST being carried out: what cancels it and its task (awaited when the connection ends).</summary>
    private sealed class RunningRequest(CancellationTokenSource cancel)
    {
        public CancellationTokenSource Cancel { get; } = cancel;

        public Task Task { get; set; } = Task.CompletedTask;
    }
}
