using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;

namespace NetBios.Daemon;

/// <summary>
/// The input side of one IPC connection, either end (docs/IPC.md "Framing"): registered with the
/// <see cref="DaemonSocketReactor"/>, it reads once per readiness (this does not block), hands every whole message
/// (type, request id, payload) to its <see cref="IDaemonMessageHandler"/> in order, keeps the bytes of a message not yet
/// whole for the next read (<see cref="DaemonReceiveBuffer"/>: an idle connection holds no buffer), and ends once — at
/// the end of the stream, on an error, a length outside the limit, when the handler says so, or on
/// <see cref="Stop"/> — telling the handler why. A large message whose start has arrived may have the rest of its
/// data read straight where the handler wants it (<see cref="IDaemonMessageHandler.BeginDirectRead"/>: a SUBMIT's data
/// into the daemon's NCB buffer, a COMPLETE's into the program's), without passing through the reactor's buffer and
/// a carry buffer.
/// </summary>
internal sealed class DaemonSocketReader
{
    private readonly Socket _socket;
    private readonly int _maxMessageLength;
    private readonly string _peer;
    private readonly IDaemonMessageHandler _handler;
    private readonly DaemonReceiveBuffer _input = new();
    /// <summary>Bytes a message must still be missing for its data to be offered for a direct read: below this the
    /// copy saved costs less than the handler's bookkeeping.</summary>
    public const int DirectReadMinimum = 8 * 1024;

    private ulong _token;
    private ArraySegment<byte> _direct;
    private int _directRest = -1;
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
        int received;
        SocketError error;
        if (_direct.Count > 0)
        {
            received = _input.Receive(_socket, _direct, out int intoDirect, out error);
            _direct = _direct.Slice(intoDirect);
        }
        else
        {
            received = _input.Receive(_socket, out error);
        }

        if (received == 0)
        {
            return error == SocketError.Success ? new("the " + _peer + " closed the connection") : new("the connection failed: " + error);
        }

        var buffer = _input.Bytes;
        if (_directRest >= 0)
        {
            // A message read straight into the handler's buffer: its data is not all there yet, or its last bytes
            // (after the data) are wanted first.
            if (_direct.Count > 0 || buffer.Length < _directRest)
            {
                _input.KeepRest((int)buffer.Length);
                return null;
            }

            var rest = buffer.Slice(0, _directRest);
            buffer = buffer.Slice(_directRest);
            _directRest = -1;
            if (_handler.EndDirectRead(rest) is { } stop)
            {
                return stop;
            }
        }

        while (!_ended)
        {
            var status = DaemonProtocol.TryReadFrame(ref buffer, _maxMessageLength, out var type, out uint id, out var payload);
            if (status == DaemonProtocol.FrameStatus.NeedMoreData)
            {
                if (TryBeginDirect(buffer))
                {
                    buffer = buffer.Slice(buffer.Length);
                }

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

    /// <summary>Offers the message not yet whole at the front of <paramref name="buffer"/> (its length checked by
    /// <see cref="DaemonProtocol.TryReadFrame"/>) for a direct read when enough of it is still to come.</summary>
    /// <returns>True when the handler took it (every byte of <paramref name="buffer"/> is its).</returns>
    private bool TryBeginDirect(ReadOnlySequence<byte> buffer)
    {
        if (buffer.Length < DaemonProtocol.HeaderLength)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[DaemonProtocol.HeaderLength];
        buffer.Slice(0, DaemonProtocol.HeaderLength).CopyTo(header);
        int payloadLength = (int)BinaryPrimitives.ReadUInt32BigEndian(header) - DaemonProtocol.MinLengthField;
        var payloadStart = buffer.Slice(DaemonProtocol.HeaderLength);
        int missing = payloadLength - (int)payloadStart.Length;
        if (missing < DirectReadMinimum)
        {
            return false;
        }

        var target = _handler.BeginDirectRead((DaemonMessageType)BinaryPrimitives.ReadUInt16BigEndian(header[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(header[6..]), payloadStart, payloadLength);
        if (target.Array is null || target.Count == 0)
        {
            return false;
        }

        if (target.Count > missing)
        {
            throw new InvalidOperationException("A direct read's target is larger than the rest of its message.");
        }

        _direct = target;
        _directRest = missing - target.Count;
        return true;
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
        _direct = default;
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
