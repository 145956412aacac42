using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;

namespace NetBios.Daemon;

/// <summary>
/// The input side of one IPC connection read by the <see cref="DaemonSocketReactor"/> (docs/IPC.md "Framing"): each
/// <see cref="Receive"/> reads once into the reactor's shared buffer, or, while a message is not yet whole, into this
/// connection's carry buffer, which <see cref="KeepRest"/> rents (with room for the whole message, whose length
/// <see cref="DaemonProtocol.TryReadFrame"/> has checked) only while such bytes wait: an idle connection holds none.
/// Used only under its connection's read gate, on the reactor's thread.
/// </summary>
internal sealed class DaemonReceiveBuffer
{
    private byte[]? _carry;
    private int _carryCount;
    private byte[] _current = [];
    private int _count;

    /// <summary>Reads once (the reactor saw the socket readable: this does not block).</summary>
    /// <param name="socket">The connection's socket.</param>
    /// <param name="error">The socket's error, or Success.</param>
    /// <returns>The bytes read; 0 at the end of the stream or on an error.</returns>
    public int Receive(Socket socket, out SocketError error)
    {
        _current = _carry ?? DaemonSocketReactor.Shared.ReadBuffer;
        _count = _carry is null ? 0 : _carryCount;
        int received = socket.Receive(_current.AsSpan(_count), SocketFlags.None, out error);
        if (error != SocketError.Success)
        {
            return 0;
        }

        _count += received;
        return received;
    }

    /// <summary>Every byte not yet handled (after <see cref="Receive"/>): the carried part of a message and what arrived.</summary>
    public ReadOnlySequence<byte> Bytes => new(_current, 0, _count);

    /// <summary>Keeps the last <paramref name="rest"/> bytes (a message not yet whole) for the next read, in the carry
    /// buffer; frees the carry buffer when nothing is left.</summary>
    /// <param name="rest">Bytes at the end of <see cref="Bytes"/> not consumed.</param>
    public void KeepRest(int rest)
    {
        if (rest == 0)
        {
            Release();
            return;
        }

        int needed = rest;
        if (rest >= 4)
        {
            // TryReadFrame checked the length field already (at most the largest message).
            needed = 4 + (int)BinaryPrimitives.ReadUInt32BigEndian(_current.AsSpan(_count - rest));
        }

        int capacity = Math.Max(needed, 64 * 1024);
        if (_carry is { } carry && carry.Length >= capacity)
        {
            Array.Copy(_current, _count - rest, carry, 0, rest);
        }
        else
        {
            byte[] bigger = ArrayPool<byte>.Shared.Rent(capacity);
            Array.Copy(_current, _count - rest, bigger, 0, rest);
            Release();
            _carry = bigger;
        }

        _carryCount = rest;
        _current = [];
        _count = 0;
    }

    /// <summary>Frees the carry buffer (the connection ends, or nothing is carried).</summary>
    public void Release()
    {
        _current = [];
        _count = 0;
        if (_carry is { } carry)
        {
            _carry = null;
            _carryCount = 0;
            ArrayPool<byte>.Shared.Return(carry);
        }
    }
}
