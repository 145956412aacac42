using System.Net;
using NetBios.SessionService;
using NetBios.Station;

namespace NetBios.Daemon;

/// <summary>
/// A session of a daemon's station (docs/IPC.md "Station operations"): each operation is a REQUEST on the client's
/// connection naming the session by its handle. A session the daemon no longer knows (hung up, or the connection was
/// lost) answers as an ended session: <see cref="SessionIoStatus.Closed"/> / <see cref="SessionIoStatus.Aborted"/>.
/// </summary>
internal sealed class NetBiosDaemonSession : INetBiosSession
{
    private readonly NetBiosDaemonClient _client;
    private readonly uint _handle;
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state;
    private int _waiting;

    /// <summary>A session a CALL or LISTEN result described.</summary>
    /// <param name="client">The connection.</param>
    /// <param name="info">The session.</param>
    public NetBiosDaemonSession(NetBiosDaemonClient client, StationSessionInfo info)
    {
        _client = client;
        _handle = info.Handle;
        LocalName = info.LocalName;
        RemoteName = info.RemoteName;
        IsCaller = info.IsCaller;
        RemoteEndPoint = info.RemoteEndPoint;
        _state = (int)info.State;
    }

    /// <inheritdoc/>
    public int Id => (int)_handle;

    /// <inheritdoc/>
    public NetBiosName LocalName { get; }

    /// <inheritdoc/>
    public NetBiosName RemoteName { get; }

    /// <inheritdoc/>
    public bool IsCaller { get; }

    /// <inheritdoc/>
    public IPEndPoint RemoteEndPoint { get; }

    /// <inheritdoc/>
    public SessionState State => (SessionState)Volatile.Read(ref _state);

    /// <summary>Completes when the session has ended; the first read asks the daemon to say when (SESSION WAIT).</summary>
    public Task Completion
    {
        get
        {
            if (Interlocked.Exchange(ref _waiting, 1) == 0 && !_ended.Task.IsCompleted)
            {
                _ = WaitAsync();
            }

            return _ended.Task;
        }
    }

    /// <inheritdoc/>
    public async ValueTask<SessionIoStatus> SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(message.Length, StationSessionCodec.MaxMessageLength, nameof(message));
        if (EndStatus() is { } ended)
        {
            return ended;
        }

        var writer = new StationBodyWriter(8 + message.Length).U32(_handle).Bytes(message.Span);
        var (reply, lost) = await RequestAsync(StationOperation.SessionSend, writer.Written, cancellationToken).ConfigureAwait(false);
        if (lost is { } status)
        {
            return status;
        }

        var body = NetBiosDaemonStation.Check(reply, StationOperation.SessionSend);
        if (body.Length != 1 || !Enum.IsDefined((SessionIoStatus)body.Span[0]))
        {
            throw NetBiosDaemonStation.BadAnswer(StationOperation.SessionSend);
        }

        return Observe((SessionIoStatus)body.Span[0]);
    }

    /// <inheritdoc/>
    public async ValueTask<SessionReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (EndStatus() is { } ended)
        {
            return new SessionReceiveResult(ended, 0, null);
        }

        int max = Math.Min(buffer.Length, StationSessionCodec.MaxMessageLength);
        var writer = new StationBodyWriter(8).U32(_handle).U32((uint)max);
        var (reply, lost) = await RequestAsync(StationOperation.SessionReceive, writer.Written, cancellationToken).ConfigureAwait(false);
        if (lost is { } status)
        {
            return new SessionReceiveResult(status, 0, null);
        }

        var body = NetBiosDaemonStation.Check(reply, StationOperation.SessionReceive);

        // The daemon says how many bytes came by sending them: never more than asked for, checked before copying.
        if (body.Length < 1 || body.Length - 1 > max || !Enum.IsDefined((SessionIoStatus)body.Span[0]))
        {
            throw NetBiosDaemonStation.BadAnswer(StationOperation.SessionReceive);
        }

        body.Span[1..].CopyTo(buffer.Span);
        return new SessionReceiveResult(Observe((SessionIoStatus)body.Span[0]), body.Length - 1, null);
    }

    /// <inheritdoc/>
    public async ValueTask<SessionState> HangUpAsync()
    {
        if (State is SessionState.Closed or SessionState.Aborted)
        {
            return State;
        }

        var (reply, _) = await RequestAsync(StationOperation.HangUp, Handle(), CancellationToken.None).ConfigureAwait(false);
        if (reply.Status == NetBiosDaemonRequestStatus.Ok && reply.Body.Length == 1 && Enum.IsDefined((SessionState)reply.Body.Span[0]))
        {
            End((SessionState)reply.Body.Span[0]);
        }
        else
        {
            End(State == SessionState.Aborted ? SessionState.Aborted : SessionState.Closed);
        }

        return State;
    }

    /// <inheritdoc/>
    public void Abort()
    {
        if (State is SessionState.Closed or SessionState.Aborted)
        {
            return;
        }

        End(SessionState.Aborted);
        _ = AbortInDaemonAsync();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await HangUpAsync().ConfigureAwait(false);

    private async Task AbortInDaemonAsync()
    {
        // Not awaited by anyone: RequestAsync turns a lost connection into a result, and nothing else throws.
        await RequestAsync(StationOperation.SessionAbort, Handle(), CancellationToken.None).ConfigureAwait(false);
    }

    private async Task WaitAsync()
    {
        var (reply, _) = await RequestAsync(StationOperation.SessionWait, Handle(), CancellationToken.None).ConfigureAwait(false);
        End(reply.Status == NetBiosDaemonRequestStatus.Ok && reply.Body.Length == 1 && Enum.IsDefined((SessionState)reply.Body.Span[0])
            ? (SessionState)reply.Body.Span[0]
            : SessionState.Closed);
    }

    private byte[] Handle() => new StationBodyWriter(4).U32(_handle).ToArray();

    /// <summary>Sends a request; a lost connection ends the session (Aborted), a session the daemon does not know any more
    /// answers as ended, a cancelled one as <see cref="SessionIoStatus.Cancelled"/> — as the embedded session does.</summary>
    private async ValueTask<(DaemonReply Reply, SessionIoStatus? Status)> RequestAsync(StationOperation operation, ReadOnlyMemory<byte> body,
        CancellationToken cancellationToken)
    {
        try
        {
            var reply = await _client.RequestAsync((ushort)operation, body, cancellationToken).ConfigureAwait(false);
            if (reply.Status == NetBiosDaemonRequestStatus.NotFound)
            {
                End(State == SessionState.Aborted ? SessionState.Aborted : SessionState.Closed);
                return (reply, EndStatus());
            }

            return (reply, null);
        }
        catch (Exception ex) when (ex is NetBiosDaemonException or ObjectDisposedException)
        {
            End(SessionState.Aborted);
            return (DaemonReply.Fail(NetBiosDaemonRequestStatus.Failed, "the connection to the daemon was lost"), SessionIoStatus.Aborted);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (DaemonReply.Fail(NetBiosDaemonRequestStatus.Cancelled, "cancelled"), SessionIoStatus.Cancelled);
        }
    }

    private SessionIoStatus Observe(SessionIoStatus status)
    {
        if (status == SessionIoStatus.Closed)
        {
            End(SessionState.Closed);
        }
        else if (status == SessionIoStatus.Aborted)
        {
            End(SessionState.Aborted);
        }

        return status;
    }

    private SessionIoStatus? EndStatus() => State switch
    {
        SessionState.Closed => SessionIoStatus.Closed,
        SessionState.Aborted => SessionIoStatus.Aborted,
        _ => null,
    };

    private void End(SessionState state)
    {
        int current = Volatile.Read(ref _state);
        if (current is (int)SessionState.Closed or (int)SessionState.Aborted)
        {
            return;
        }

        Interlocked.CompareExchange(ref _state, (int)state, current);
        _ended.TrySetResult();
    }
}
