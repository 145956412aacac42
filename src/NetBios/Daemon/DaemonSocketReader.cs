using System.Net.Sockets;

namespace NetBios.Daemon;

/// <summary>
/// The input side of one IPC connection, either end (docs/IPC.md "Framing"): registered with the
/// <see cref="DaemonSocketReactor"/>, it reads once per readiness (this does not block), hands every whole message
/// (type, request id, payload) to its <see cref="IDaemonMessageHandler"/> in order, keeps the bytes of a message not yet
/// whole for the next read (<see cref="DaemonReceiveBuffer"/>: an idle connection holds no buffer), and ends once — at
/// the end of the stream, on an error, a length outside the limit, when the handler says so, or on
/// <see cref="Stop"/> — telling the handler why.
/// </summary>
internal sealed class DaemonSocketReader
{
    private readonly Socket _socket;
    private readonly int _maxMessageLength;
    private readonly string _peer;
    private readonly IDaemonMessageHandler _handler;
    private readonly DaemonReceiveBuffer _input = new();
    private ulong _token;
    private bool _ended;
    private bool _reading;

    /// <summary>Makes the reader of <paramref name="socket"/> (it reads nothing before <see cref="Start"/>).</summary>
    /// <param name="socket">The connection's socket, open until the reading has ended.</param>
    /// <param name="maxMessageLength">The largest message the peer may send, header included.</param>
    /// <param name="peer">What the peer is, in the end reason's words ("client", "daemon").</param>
    /// <param name="handler">Where the messages go.</param>
    public DaemonSocketReader(Socket socket, int maxMessageLength, string peer, IDaemonMessageHandler handler)
    {
        _socket = socket;
        _maxMessageLength = maxMessageLength;
        _peer = peer;
        _handler = handler;
    }

    /// <summary>Held while messages are handled: state the handler changes there (and reads elsewhere) is safe under it.</summary>
    public Lock Gate { get; } = new();

    /// <summary>Starts reading (nothing when the reading was stopped already).</summary>
    /// <exception cref="SocketException">The reactor could not watch the socket.</exception>
    public void Start()
    {
        lock (Gate)
        {
            if (!_ended)
            {
                _token = DaemonSocketReactor.Shared.Add(_socket, OnReadable);
            }
        }
    }

    /// <summary>Ends the reading (nothing when it has ended already): the handler's <see cref="IDaemonMessageHandler.ReadEnded"/>
    /// runs on this thread. Waits for a read in progress on the reactor's thread.</summary>
    /// <param name="end">Why.</param>
    public void Stop(DaemonReadEnd end)
    {
        lock (Gate)
        {
            if (!TryEnd())
            {
                return;
            }
        }

        _handler.ReadEnded(end);
    }

    /// <summary>Called by the reactor when the socket can be read (bytes, its end or an error).</summary>
    private void OnReadable()
    {
        DaemonReadEnd? end = null;
        lock (Gate)
        {
            if (_ended)
            {
                return;
            }

            _reading = true;
            try
            {
                end = ReadOnce();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                end = new("the connection failed: " + ex.Message);
            }
            finally
            {
                _reading = false;
            }

            if (_ended)
            {
                // Stopped by a handler on this thread: the buffer it was reading from is freed now.
                _input.Release();
                end = null;
            }
            else if (end is not null)
            {
                _ = TryEnd();
            }
        }

        _handler.ReadDone();
        if (end is { } why)
        {
            _handler.ReadEnded(why);
        }
    }

    /// <summary>Reads once and handles every whole message. Under the gate.</summary>
    /// <returns>Null to go on, or why the reading ends.</returns>
    private DaemonReadEnd? ReadOnce()
    {
        if (_input.Receive(_socket, out var error) == 0)
        {
            return error == SocketError.Success ? new("the " + _peer + " closed the connection") : new("the connection failed: " + error);
        }

        var buffer = _input.Bytes;
        while (!_ended)
        {
            var status = DaemonProtocol.TryReadFrame(ref buffer, _maxMessageLength, out var type, out uint id, out var payload);
            if (status == DaemonProtocol.FrameStatus.NeedMoreData)
            {
                _input.KeepRest((int)buffer.Length);
                return null;
            }

            if (status == DaemonProtocol.FrameStatus.InvalidLength)
            {
                return new("a message length outside 6.." + (_maxMessageLength - 4), NetBiosDaemonError.MalformedMessage);
            }

            if (_handler.HandleMessage(type, id, payload) is { } stop)
            {
                return stop;
            }
        }

        return null;
    }

    /// <summary>Marks the reading ended and stops the reactor watching; frees the buffer unless a read is using it. Under the gate.</summary>
    /// <returns>False when it had ended already.</returns>
    private bool TryEnd()
    {
        if (_ended)
        {
            return false;
        }

        _ended = true;
        if (_token != 0)
        {
            DaemonSocketReactor.Shared.Remove(_socket, _token);
        }

        if (!_reading)
        {
            _input.Release();
        }

        return true;
    }
}
