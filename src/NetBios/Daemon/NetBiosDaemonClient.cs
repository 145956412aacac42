using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using NetBios.NcbInterface;

namespace NetBios.Daemon;

/// <summary>
/// <see cref="INetBios"/> through a NetBIOS daemon (nbtd) over its Unix domain socket (docs/IPC.md): each NCB's fields
/// and the bytes it sends go to the daemon, which runs it in this client's own NCB interface over the daemon's shared
/// stations, and its result fields and the bytes it received come back. NCB semantics (RESET, name numbers, sessions,
/// limits, CANCEL) live in the daemon; this class only forwards and completes NCBs as <see cref="NetBiosInterface"/>
/// does: <see cref="Ncb.ReturnCode"/>, then <see cref="Ncb.CommandComplete"/> last, then <see cref="Ncb.Event"/>, then
/// <see cref="Ncb.Post"/> (on a pool thread).
/// </summary>
/// <remarks>
/// <para>
/// Everything this client holds in the daemon (names, sessions, pending NCBs) is released by the daemon when the
/// connection closes, also when the process dies. When the daemon goes away every pending NCB completes with
/// <see cref="NcbReturnCode.SystemError"/> (NRC_SYSTEM); the next NCB connects again (a new client: the daemon answers
/// NRC_ENVNOTDEF until the program RESETs), or, when no daemon answers, is refused with
/// <see cref="NcbReturnCode.OpenError"/> (NRC_OPENERR).
/// </para>
/// <para>Thread safety: all members may be called concurrently, also from POST routines.</para>
/// </remarks>
public sealed class NetBiosDaemonClient : INetBios, IAsyncDisposable
{
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private Link? _link;
    private int _disposed;

    private NetBiosDaemonClient(string socketPath) => SocketPath = socketPath;

    /// <summary>The daemon's socket.</summary>
    public string SocketPath { get; }

    /// <summary>True while connected to the daemon.</summary>
    public bool IsConnected => Volatile.Read(ref _link) is { IsAlive: true };

    /// <summary>The LANA numbers the daemon serves (from its last WELCOME).</summary>
    public IReadOnlyList<byte> Lanas => Volatile.Read(ref _link)?.Welcome.Lanas ?? [];

    /// <summary>What the daemon's access policy lets this client do (from its last WELCOME).</summary>
    public NetBiosDaemonPermissions Permissions => Volatile.Read(ref _link)?.Welcome.Permissions ?? NetBiosDaemonPermissions.None;

    /// <summary>The uid the daemon sees for this client (SO_PEERCRED), from its last WELCOME.</summary>
    public uint PeerUserId => Volatile.Read(ref _link)?.Welcome.UserId ?? uint.MaxValue;

    /// <summary>Connects to the daemon and shakes hands.</summary>
    /// <param name="socketPath">The daemon's socket; null for <see cref="NetBiosDaemon.DefaultSocketPath"/>.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>The connected client.</returns>
    /// <exception cref="NetBiosDaemonException">No daemon answers, or it refused this client (the code says why).</exception>
    public static async Task<NetBiosDaemonClient> ConnectAsync(string? socketPath = null, CancellationToken cancellationToken = default)
    {
        var client = new NetBiosDaemonClient(socketPath ?? NetBiosDaemon.DefaultSocketPath);
        client._link = await Link.ConnectAsync(client.SocketPath, cancellationToken).ConfigureAwait(false);
        return client;
    }

    /// <inheritdoc/>
    public NcbReturnCode Submit(Ncb ncb)
    {
        ArgumentNullException.ThrowIfNull(ncb);
        if (!ncb.IsAsynchronous)
        {
            // A wait NCB: the calling thread blocks on the NCB's completion itself (woken by the reactor, no pool hop).
            ncb.ReturnCode = NcbReturnCode.Pending;
            ncb.CommandComplete = NcbReturnCode.Pending;
            var waitLink = GetLink();
            return waitLink is null ? Refuse(ncb, NcbReturnCode.OpenError)
                : waitLink.Send(ncb, noWait: false, post: false).Done.Task.GetAwaiter().GetResult();
        }

        ncb.Event?.Reset();
        ncb.ReturnCode = NcbReturnCode.Pending;
        ncb.CommandComplete = NcbReturnCode.Pending;
        var link = GetLink();
        if (link is null)
        {
            return Refuse(ncb, NcbReturnCode.OpenError);
        }

        var pending = link.Send(ncb, noWait: true, post: true);
        var accepted = pending.Accepted!.Task.GetAwaiter().GetResult();
        return accepted is { } refusal ? Refuse(ncb, refusal) : NcbReturnCode.GoodReturn;
    }

    /// <inheritdoc/>
    public async Task<NcbReturnCode> SubmitAsync(Ncb ncb, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ncb);
        ncb.ReturnCode = NcbReturnCode.Pending;
        ncb.CommandComplete = NcbReturnCode.Pending;
        var link = await GetLinkAsync(cancellationToken).ConfigureAwait(false);
        if (link is null)
        {
            return Refuse(ncb, NcbReturnCode.OpenError);
        }

        var pending = link.Send(ncb, noWait: false, post: false);
        if (!cancellationToken.CanBeCanceled || pending.Done.Task.IsCompleted)
        {
            return await pending.Done.Task.ConfigureAwait(false);
        }

        await using (cancellationToken.Register(() => _ = CancelAsync(ncb)).ConfigureAwait(false))
        {
            return await pending.Done.Task.ConfigureAwait(false);
        }
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
    public async Task<IReadOnlyList<byte>> EnumerateLanasAsync(CancellationToken cancellationToken = default)
    {
        var link = await GetLinkAsync(cancellationToken).ConfigureAwait(false);
        return link?.Welcome.Lanas ?? [];
    }

    /// <summary>
    /// Sends a REQUEST (protocol 1.1, docs/IPC.md "Requests") and waits for its RESPONSE. Cancelling
    /// <paramref name="cancellationToken"/> sends REQUEST CANCEL and ends the wait with
    /// <see cref="OperationCanceledException"/> once the daemon answered.
    /// </summary>
    /// <param name="operation">The operation code.</param>
    /// <param name="body">The operation's request body.</param>
    /// <param name="cancellationToken">Cancels the request in the daemon.</param>
    /// <returns>The daemon's reply (any status).</returns>
    /// <exception cref="NetBiosDaemonException">No daemon answers (NotRunning), or the connection was lost before the
    /// answer (ConnectionLost).</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    internal async ValueTask<DaemonReply> RequestAsync(ushort operation, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var link = await GetLinkAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new NetBiosDaemonException(NetBiosDaemonError.NotRunning, $"No NetBIOS daemon answers on {SocketPath}.");
        var (id, reply) = link.SendRequest(operation, body.Span);
        DaemonReply result;
        if (!cancellationToken.CanBeCanceled || reply.IsCompleted)
        {
            result = await reply.ConfigureAwait(false);
        }
        else
        {
            await using (cancellationToken.Register(static state =>
            {
                var (l, i) = ((Link, uint))state!;
                l.SendRequestCancel(i);
            }, (link, id))
                .ConfigureAwait(false))
            {
                result = await reply.ConfigureAwait(false);
            }
        }

        if (result.Status == NetBiosDaemonRequestStatus.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }

        return result;
    }

    /// <summary>One of the daemon's stations through this connection: the station API (<see cref="Station.INetBiosStation"/>)
    /// of docs/IPC.md "Station operations". The names and sessions made through it belong to this connection; disposing
    /// the station leaves the connection open.</summary>
    /// <param name="lana">The LANA (one of <see cref="Lanas"/>).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The station.</returns>
    /// <exception cref="NetBiosDaemonException">No daemon answers, or it has no such LANA.</exception>
    /// <exception cref="NotSupportedException">The daemon does not know the station operations (protocol 1.0).</exception>
    public Task<NetBiosDaemonStation> GetStationAsync(byte lana, CancellationToken cancellationToken = default) =>
        NetBiosDaemonStation.OpenAsync(this, lana, ownsClient: false, cancellationToken);

    /// <summary>Closes the connection: the daemon releases everything this client held; pending NCBs complete with
    /// <see cref="NcbReturnCode.SystemError"/>.</summary>
    /// <returns>When closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (Interlocked.Exchange(ref _link, null) is { } link)
        {
            await link.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static NcbReturnCode Refuse(Ncb ncb, NcbReturnCode code)
    {
        ncb.ReturnCode = code;
        ncb.CommandComplete = code;
        return code;
    }

    private Link? GetLink()
    {
        var link = Volatile.Read(ref _link);
        return link is { IsAlive: true } ? link : GetLinkAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>The live connection, connecting again when the last one was lost; null when no daemon answers.</summary>
    private async ValueTask<Link?> GetLinkAsync(CancellationToken cancellationToken)
    {
        var link = Volatile.Read(ref _link);
        if (link is { IsAlive: true } || Volatile.Read(ref _disposed) != 0)
        {
            return link is { IsAlive: true } ? link : null;
        }

        await _connectGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            link = Volatile.Read(ref _link);
            if (link is { IsAlive: true })
            {
                return link;
            }

            if (link is not null)
            {
                await link.DisposeAsync().ConfigureAwait(false);
            }

            try
            {
                link = await Link.ConnectAsync(SocketPath, cancellationToken).ConfigureAwait(false);
            }
            catch (NetBiosDaemonException)
            {
                return null;
            }

            Volatile.Write(ref _link, link);
            return link;
        }
        finally
        {
            _connectGate.Release();
        }
    }

    /// <summary>One NCB waiting for the daemon's answer.</summary>
    private sealed class PendingNcb(Ncb ncb, bool post, bool noWait)
    {
        public Ncb Ncb { get; } = ncb;

        public bool Post { get; } = post;

        /// <summary>The final code, once the result fields are written. Completed on the reactor's thread, which runs
        /// no program code: an awaiting continuation runs on the thread pool (and may block without stalling any
        /// connection); a thread blocked on it (a synchronous <c>Submit</c>) is woken directly.</summary>
        public TaskCompletionSource<NcbReturnCode> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>No-wait submits: null once the daemon accepted the NCB, or the code it refused it with.</summary>
        public TaskCompletionSource<NcbReturnCode?>? Accepted { get; } = noWait ? new(TaskCreationOptions.RunContinuationsAsynchronously) : null;
    }

    /// <summary>One connection to the daemon: its socket, pipes, read loop and the NCBs pending on it.</summary>
    private sealed class Link : IAsyncDisposable, IDaemonMessageHandler
    {
        private const uint UnknownTarget = uint.MaxValue;

        /// <summary>Data from which a SUBMIT is sent from the program's buffer rather than copied (docs/IPC.md "Benchmark").</summary>
        private const int DirectSendMinimum = 2048;

        private readonly Socket _socket;
        private readonly PipeWriter _writer;
        private readonly DaemonSocketReader _reader;
        private readonly TaskCompletionSource<DaemonWelcome> _welcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Lock _sendLock = new();
        private readonly byte[] _sendHead = new byte[DaemonProtocol.HeaderLength + DaemonNcbCodec.SubmitHeadLength];
        private readonly byte[] _sendTail = new byte[4];
        private readonly List<ArraySegment<byte>> _segments = new(3);
        private readonly Lock _pendingLock = new();
        private readonly Dictionary<uint, PendingNcb> _pending = [];
        private readonly Dictionary<Ncb, uint> _ids = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<uint, TaskCompletionSource<DaemonReply>> _requests = [];
        private readonly TaskCompletionSource _readLoopEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private uint _nextId;
        private bool _dead;
        private bool _welcomed;
        private Completions _ready;

        private Link(Socket socket)
        {
            _socket = socket;
            var stream = new NetworkStream(socket, ownsSocket: false);
            _writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 4096));
            _reader = new DaemonSocketReader(socket, DaemonProtocol.DefaultMaxMessageLength, "daemon", this);
        }

        public DaemonWelcome Welcome { get; private set; } = null!;

        public bool IsAlive
        {
            get
            {
                lock (_pendingLock)
                {
                    return !_dead;
                }
            }
        }

        /// <summary>Connects, sends HELLO and waits for WELCOME, read (as everything after it) by the
        /// <see cref="DaemonSocketReactor"/>: the socket never waits in .NET's socket engine (docs/IPC.md "Benchmark").</summary>
        public static async Task<Link> ConnectAsync(string path, CancellationToken cancellationToken)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            Link? link = null;
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
                link = new Link(socket);
                link._reader.Start();

                link.Write(DaemonMessageType.Hello, 0, null, DaemonHandshakeCodec.Hello());
                await using (cancellationToken.UnsafeRegister(static s => ((Link)s!)._welcome.TrySetCanceled(), link).ConfigureAwait(false))
                {
                    link.Welcome = await link._welcome.Task.ConfigureAwait(false);
                }

                return link;
            }
            catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException)
            {
                await DisposeFailedAsync(link, socket).ConfigureAwait(false);
                throw new NetBiosDaemonException(NetBiosDaemonError.NotRunning, $"No NetBIOS daemon answers on {path}: {ex.Message}", ex);
            }
            catch
            {
                await DisposeFailedAsync(link, socket).ConfigureAwait(false);
                throw;
            }
        }

        private static async ValueTask DisposeFailedAsync(Link? link, Socket socket)
        {
            if (link is not null)
            {
                await link.DisposeAsync().ConfigureAwait(false);
            }

            socket.Dispose();
        }

        /// <summary>The daemon's answer to HELLO: WELCOME, or ERROR (it refused this client). Under the read gate.</summary>
        /// <returns>False when the answer is neither (the connection ends).</returns>
        private bool HandleWelcome(DaemonMessageType type, ReadOnlySequence<byte> payload)
        {
            if (type == DaemonMessageType.Error && DaemonHandshakeCodec.TryReadError(payload, out var code, out string text))
            {
                _welcome.TrySetException(new NetBiosDaemonException(code, $"The NetBIOS daemon refused this client: {text}"));
                return false;
            }

            if (type != DaemonMessageType.Welcome || !DaemonHandshakeCodec.TryReadWelcome(payload, out var welcome))
            {
                _welcome.TrySetException(new NetBiosDaemonException(NetBiosDaemonError.MalformedMessage, "The NetBIOS daemon's answer to HELLO is not a WELCOME."));
                return false;
            }

            Welcome = welcome;
            _welcomed = true;
            _welcome.TrySetResult(welcome);
            return true;
        }

        /// <summary>Sends NCB SUBMIT and returns the pending entry (completed at once with NRC_SYSTEM when the connection
        /// is lost meanwhile).</summary>
        public PendingNcb Send(Ncb ncb, bool noWait, bool post)
        {
            var pending = new PendingNcb(ncb, post, noWait);
            uint id;
            uint target = 0;
            lock (_pendingLock)
            {
                if (_dead)
                {
                    Fail(pending, NcbReturnCode.SystemError);
                    return pending;
                }

                id = NextId();

                _pending[id] = pending;
                _ids[ncb] = id;
                if (ncb.BaseCommand == NcbCommand.Cancel && ncb.CancelTarget is { } cancelTarget)
                {
                    target = _ids.GetValueOrDefault(cancelTarget, UnknownTarget);
                }
            }

            try
            {
                lock (_sendLock)
                {
                    int length = DaemonNcbCodec.SubmitLength(ncb);
                    if (DaemonNcbCodec.SubmitDataCount(ncb) >= DirectSendMinimum)
                    {
                        SendFromBuffer(ncb, id, length, target, noWait);
                        return pending;
                    }

                    var span = _writer.GetSpan(DaemonProtocol.HeaderLength + length);
                    DaemonProtocol.WriteHeader(span, DaemonMessageType.NcbSubmit, id, length);
                    DaemonNcbCodec.WriteSubmit(span[DaemonProtocol.HeaderLength..], ncb, target, noWait);
                    _writer.Advance(DaemonProtocol.HeaderLength + length);
                    FlushUnderLock();
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
            {
                Lost();
            }

            return pending;
        }

        /// <summary>
        /// SUBMIT of a sending NCB with much data: one gathered write of the header and fields, the program's buffer
        /// where it is, and the tail — no copy of the data into the pipe first. Called under the send lock, with the
        /// pipe writer empty (every write flushes it before the lock is released); blocks until the socket took it all,
        /// as a full pipe flush does.
        /// </summary>
        private void SendFromBuffer(Ncb ncb, uint id, int length, uint target, bool noWait)
        {
            int data = DaemonNcbCodec.SubmitDataCount(ncb);
            int tailLength = DaemonNcbCodec.SubmitTailLength(ncb);
            byte[] head = _sendHead;
            DaemonProtocol.WriteHeader(head, DaemonMessageType.NcbSubmit, id, length);
            DaemonNcbCodec.WriteSubmitHead(head.AsSpan(DaemonProtocol.HeaderLength), ncb, target, noWait);
            byte[] tail = tailLength <= _sendTail.Length ? _sendTail : new byte[tailLength];
            DaemonNcbCodec.WriteSubmitTail(tail, ncb);
            _segments.Clear();
            _segments.Add(new ArraySegment<byte>(head));
            _segments.Add(new ArraySegment<byte>(ncb.Buffer!, 0, data));
            _segments.Add(new ArraySegment<byte>(tail, 0, tailLength));
            int total = head.Length + data + tailLength;
            int sent = _socket.Send(_segments);
            _segments.Clear();
            if (sent != total)
            {
                throw new IOException($"The daemon's socket took {sent} of {total} bytes.");
            }
        }

        /// <summary>Sends REQUEST; the task completes with its RESPONSE, or fails with ConnectionLost.</summary>
        public (uint Id, Task<DaemonReply> Reply) SendRequest(ushort operation, ReadOnlySpan<byte> body)
        {
            var reply = new TaskCompletionSource<DaemonReply>(TaskCreationOptions.RunContinuationsAsynchronously);
            uint id;
            lock (_pendingLock)
            {
                if (_dead)
                {
                    reply.SetException(ConnectionLost());
                    return (0, reply.Task);
                }

                id = NextId();

                _requests[id] = reply;
            }

            Write(DaemonMessageType.Request, id, operation, body);
            return (id, reply.Task);
        }

        /// <summary>Sends REQUEST CANCEL for a pending request (its RESPONSE still comes, status Cancelled).</summary>
        public void SendRequestCancel(uint id)
        {
            bool pending;
            lock (_pendingLock)
            {
                pending = !_dead && _requests.ContainsKey(id);
            }

            if (pending)
            {
                Write(DaemonMessageType.RequestCancel, id, null, []);
            }
        }

        /// <summary>Writes one message (an operation code first when given) and flushes, whole and in order.</summary>
        private void Write(DaemonMessageType type, uint id, ushort? operation, ReadOnlySpan<byte> body)
        {
            int length = (operation is null ? 0 : 2) + body.Length;
            try
            {
                lock (_sendLock)
                {
                    var span = _writer.GetSpan(DaemonProtocol.HeaderLength + length);
                    DaemonProtocol.WriteHeader(span, type, id, length);
                    int at = DaemonProtocol.HeaderLength;
                    if (operation is { } op)
                    {
                        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(span[at..], op);
                        at += 2;
                    }

                    body.CopyTo(span[at..]);
                    _writer.Advance(DaemonProtocol.HeaderLength + length);
                    FlushUnderLock();
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
            {
                Lost();
            }
        }

        /// <summary>A request id free among pending NCBs and requests (≠ 0, ≠ the unknown-target mark). Under the pending lock.</summary>
        private uint NextId()
        {
            uint id;
            do
            {
                id = ++_nextId;
            }
            while (id is 0 or UnknownTarget || _pending.ContainsKey(id) || _requests.ContainsKey(id));

            return id;
        }

        /// <summary>Flushes what was written, waiting under the send lock when the socket is full: messages stay whole
        /// and in order (a full socket is rare locally).</summary>
        private void FlushUnderLock()
        {
            var flush = _writer.FlushAsync();
            if (!flush.IsCompletedSuccessfully)
            {
                flush.AsTask().GetAwaiter().GetResult();
            }
        }

        private static NetBiosDaemonException ConnectionLost() =>
            new(NetBiosDaemonError.ConnectionLost, "The connection to the NetBIOS daemon was lost.");

        /// <summary>
        /// Handles one message from the daemon, in order, on the reactor's thread under the reader's gate. NCB results
        /// are written here and the NCBs completed in <see cref="IDaemonMessageHandler.ReadDone"/>, once the gate is
        /// left: the code awaiting one runs on the thread pool (<see cref="PendingNcb.Done"/>: the reactor runs no
        /// program code, which may block), a thread blocked in <c>Submit</c> is woken directly.
        /// </summary>
        DaemonReadEnd? IDaemonMessageHandler.HandleMessage(DaemonMessageType type, uint requestId, ReadOnlySequence<byte> payload) =>
            (_welcomed ? Handle(type, requestId, payload, ref _ready) : HandleWelcome(type, payload)) ? null : new("the daemon broke or ended the connection");

        /// <inheritdoc/>
        void IDaemonMessageHandler.ReadDone() => _ready.Run();

        /// <summary>The end of the stream or an error ends the connection (pending NCBs: NRC_SYSTEM).</summary>
        void IDaemonMessageHandler.ReadEnded(DaemonReadEnd end)
        {
            _welcome.TrySetException(new NetBiosDaemonException(NetBiosDaemonError.NotRunning, "The NetBIOS daemon closed the connection before its WELCOME."));
            Lost();
        }

        private bool Handle(DaemonMessageType type, uint id, ReadOnlySequence<byte> payload, ref Completions ready)
        {
            switch (type)
            {
                case DaemonMessageType.NcbAccepted:
                    PendingNcb? accepted;
                    lock (_pendingLock)
                    {
                        _pending.TryGetValue(id, out accepted);
                    }

                    accepted?.Accepted?.TrySetResult(null);
                    return true;
                case DaemonMessageType.NcbComplete:
                    PendingNcb? pending;
                    lock (_pendingLock)
                    {
                        if (_pending.Remove(id, out pending))
                        {
                            _ids.Remove(pending.Ncb);
                        }
                    }

                    if (pending is null)
                    {
                        return true; // not ours (any more): ignore
                    }

                    if (!DaemonNcbCodec.TryApplyComplete(payload, pending.Ncb, out var code, out bool refused))
                    {
                        Fail(pending, NcbReturnCode.SystemError);
                        return false;
                    }

                    ready.Add(pending, code, refused);
                    return true;
                case DaemonMessageType.Response:
                    TaskCompletionSource<DaemonReply>? request;
                    lock (_pendingLock)
                    {
                        _requests.Remove(id, out request);
                    }

                    if (request is null)
                    {
                        return true; // not ours (any more): ignore
                    }

                    if (payload.Length < 2)
                    {
                        request.TrySetException(new NetBiosDaemonException(NetBiosDaemonError.MalformedMessage, "The NetBIOS daemon sent a RESPONSE without a status."));
                        return false;
                    }

                    byte[] bytes = payload.ToArray();
                    var status = (NetBiosDaemonRequestStatus)System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(bytes);
                    request.TrySetResult(new DaemonReply(status, bytes.AsMemory(2)));
                    return true;
                case DaemonMessageType.Error:
                    return false; // the daemon ends this client (shutting down): pending NCBs fail below
                default:
                    return true; // a later minor version's message: ignored
            }
        }

        private static void Complete(PendingNcb pending, NcbReturnCode code, bool refused)
        {
            var ncb = pending.Ncb;
            if (refused && pending.Accepted is { } accepted)
            {
                // Refused before it started: Submit returns the code; no event, no POST.
                ncb.ReturnCode = code;
                ncb.CommandComplete = code;
                accepted.TrySetResult(code);
                pending.Done.TrySetResult(code);
                return;
            }

            ncb.ReturnCode = code;
            ncb.CommandComplete = code;
            pending.Accepted?.TrySetResult(null);
            pending.Done.TrySetResult(code);
            if (pending.Post)
            {
                ncb.Event?.Set();
                if (ncb.Post is not null)
                {
                    ThreadPool.UnsafeQueueUserWorkItem(static n => RunPost(n), ncb, preferLocal: false);
                }
            }
        }

        private static void RunPost(Ncb ncb)
        {
            try
            {
                ncb.Post?.Invoke(ncb);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // As NetBiosInterface does: a throwing POST routine does not take anything else down.
                Console.Error.WriteLine($"NetBIOS daemon client: the POST routine of {ncb.BaseCommand} threw: {ex.Message}");
            }
        }

        private static void Fail(PendingNcb pending, NcbReturnCode code)
        {
            if (pending.Accepted is { } accepted && !accepted.Task.IsCompleted)
            {
                pending.Ncb.ReturnCode = code;
                pending.Ncb.CommandComplete = code;
                accepted.TrySetResult(code);
                pending.Done.TrySetResult(code);
                return;
            }

            Complete(pending, code, refused: false);
        }

        /// <summary>The connection is gone: every pending NCB completes with NRC_SYSTEM.</summary>
        private void Lost()
        {
            _reader.Stop(new("the connection was closed"));
            List<PendingNcb> failed;
            List<TaskCompletionSource<DaemonReply>> requests;
            lock (_pendingLock)
            {
                if (_dead)
                {
                    return;
                }

                _dead = true;
                failed = [.. _pending.Values];
                _pending.Clear();
                _ids.Clear();
                requests = [.. _requests.Values];
                _requests.Clear();
            }

            foreach (var request in requests)
            {
                request.TrySetException(ConnectionLost());
            }

            try
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
                // Already closed.
            }
            catch (ObjectDisposedException)
            {
                // Already disposed.
            }

            foreach (var pending in failed)
            {
                Fail(pending, NcbReturnCode.SystemError);
            }
        }

        /// <summary>The NCBs one read completes (their result fields already written), completed once the read gate is
        /// left. The first needs no list.</summary>
        private struct Completions
        {
            private (PendingNcb Pending, NcbReturnCode Code, bool Refused) _first;
            private List<(PendingNcb Pending, NcbReturnCode Code, bool Refused)>? _more;

            public void Add(PendingNcb pending, NcbReturnCode code, bool refused)
            {
                if (_first.Pending is null)
                {
                    _first = (pending, code, refused);
                }
                else
                {
                    (_more ??= []).Add((pending, code, refused));
                }
            }

            public void Run()
            {
                if (_first.Pending is null)
                {
                    return;
                }

                var (first, more) = (_first, _more);
                this = default;
                Complete(first.Pending, first.Code, first.Refused);
                foreach (var (pending, code, refused) in more ?? [])
                {
                    Complete(pending, code, refused);
                }
            }
        }

        public ValueTask DisposeAsync()
        {
            Lost(); // the reactor no longer reads (nor will) once this returns
            lock (_sendLock)
            {
                // The socket is shut down: what a failed flush left in the writer is dropped, not written.
                _writer.Complete(new IOException("The connection has ended."));
            }

            _socket.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
