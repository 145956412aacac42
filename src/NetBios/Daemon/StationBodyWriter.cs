using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace NetBios.Daemon;

/// <summary>Writes the body of a station operation (docs/IPC.md "Station operations"): big-endian integers, names as their
/// 16 raw bytes and a length-prefixed scope, addresses and endpoints length-prefixed, texts as u16 length + UTF-8.</summary>
internal sealed class StationBodyWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;

    /// <summary>Starts an empty body.</summary>
    /// <param name="capacity">The expected length.</param>
    public StationBodyWriter(int capacity = 64) => _buffer = new ArrayBufferWriter<byte>(Math.Max(16, capacity));

    /// <summary>The bytes written.</summary>
    public ReadOnlyMemory<byte> Written => _buffer.WrittenMemory;

    /// <summary>One byte.</summary>
    /// <param name="value">The value.</param>
    /// <returns>This writer.</returns>
    public StationBodyWriter U8(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
        return this;
    }

    /// <summary>A big-endian u16.</summary>
    /// <param name="value">The value.</param>
    /// <returns>This writer.</returns>
    public StationBodyWriter U16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
        return this;
    }

    /// <summary>A big-endian u32.</summary>
    /// <param name="value">The value.</param>
    /// <returns>This writer.</returns>
    public StationBodyWriter U32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
        return this;
    }

    /// <summary>A flag byte (1 true, 0 false).</summary>
    /// <param name="value">The value.</param>
    /// <returns>This writer.</returns>
    public StationBodyWriter Bool(bool value) => U8(value ? (byte)1 : (byte)0);

    /// <summary>Raw bytes, no length (the rest of a body).</summary>
    /// <param name="bytes">The bytes.</param>
    /// <returns>This writer.</returns>
    public StationBodyWriter Bytes(ReadOnlySpan<byte> bytes)
    {
        _buffer.Write(bytes);
        return this;
    }

    /// <summary>A name: its 16 raw bytes, then u8 scope length and the scope's bytes (Latin-1).</summary>
    /// <param name="name">The name.</param>
    /// <returns>This writer.</returns>
    public StationBodyWriter Name(NetBiosName name)
    {
        name.CopyTo(_buffer.GetSpan(NetBiosName.Length));
        _buffer.Advance(NetBiosName.Length);
        string scope = name.Scope;
        U8((byte)scope.Length);
        var span = _buffer.GetSpan(scope.Length);
        int written = Encoding.Latin1.GetBytes(scope, span);
        _buffer.Advance(written);
        return this;
    }

    /// <summary>An optional name: a flag, then the name.</summary>
    /// <param name="name">The name or null.</param>
    /// <returns>This writer.</returns>
    public StationBodyWriter OptionalName(NetBiosName? name) => name is { } n ? Bool(true).Name(n) : Bool(false);

    /// <summary>An address: u8 length (0 none, 4 IPv4, 16 IPv6), then its bytes.</summary>
    /// <param name="address">The address or null.</param>
    /// <returns>This writer.</returns>
    public StationBodyWriter Address(IPAddress? address)
    {
        if (address is null)
        {
            return U8(0);
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int length);
        return U8((byte)length).Bytes(bytes[..length]);
    }

    /// <summary>An endpoint: its address (as <see cref="Address"/>), then u16 port when there is one.</summary>
    /// <param name="endPoint">The endpoint or null.</param>
    /// <returns>This writer.</returns>
    public StationBodyWriter EndPoint(IPEndPoint? endPoint) => endPoint is null ? U8(0) : Address(endPoint.Address).U16((ushort)endPoint.Port);

    /// <summary>A text: u16 length, then UTF-8 (cut to 65535 bytes).</summary>
    /// <param name="text">The text.</param>
    /// <returns>This writer.</returns>
    public StationBodyWriter Text(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        int length = Math.Min(bytes.Length, ushort.MaxValue);
        return U16((ushort)length).Bytes(bytes.AsSpan(0, length));
    }

    /// <summary>The body as a new array.</summary>
    /// <returns>The bytes.</returns>
    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}
