using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace NetBios.Daemon;

/// <summary>Writes the body of a station operation (docs/IPC.md "Station operations"): big-endian integers, names as their
/// 16 raw bytes and a length-prefixed scope, addresses and endpoints length-prefixed, texts as u16 length + UTF-8. The one body encoder of the
/// REQUEST / RESPONSE bodies: the administration operations (<see cref="AdminCodec"/>) use it too.</summary>
internal sealed class StationBodyWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;

    /// <summary>Starts an empty body.</summary>
    /// <param name="capacity">The expected length.</param>
    public StationBodyWriter(int capacity = 64) => _buffer = new ArrayBufferWriter<byte>(Math.Max(16, capacity));

    /// <summary>Bytes written so far.</summary>
    public int Length => _buffer.WrittenCount;

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

    /// <summary>A big-endian i32 (two's complement).</summary>
    /// <param name="value">The value.</param>
    /// <returns>This writer.</returns>
    public StationBodyWriter I32(int value) => U32(unchecked((uint)value));

    /// <summary>A big-endian i64 (two's complement).</summary>
    /// <param name="value">The value.</param>
    /// <returns>This writer.</returns>
    public StationBodyWriter I64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
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

    /// <summary>A name: its 16 raw bytes, then its scope (<see cref="Scope"/>).</summary>
    /// <param name="name">The name.</param>
    /// <returns>This writer.</returns>
    public StationBodyWriter Name(NetBiosName name)
    {
        name.CopyTo(_buffer.GetSpan(NetBiosName.Length));
        _buffer.Advance(NetBiosName.Length);
        return Scope(name.Scope);
    }

    /// <summary>A scope: u8 length, then one byte per character (Latin-1, as scopes are bytes; at most
    /// <see cref="NetBiosName.MaxScopeLength"/>).</summary>
    /// <param name="scope">The scope (empty: none).</param>
    /// <returns>This writer.</returns>
    public StationBodyWriter Scope(string scope)
    {
        var text = scope.AsSpan(0, Math.Min(scope.Length, NetBiosName.MaxScopeLength));
        U8((byte)text.Length);
        int written = Encoding.Latin1.GetBytes(text, _buffer.GetSpan(text.Length));
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

    /// <summary>A text: u16 length, then UTF-8 (cut to 65535 bytes on a character boundary).</summary>
    /// <param name="text">The text (null: empty).</param>
    /// <returns>This writer.</returns>
    public StationBodyWriter Text(string? text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text ?? string.Empty);
        int length = Utf8Text.FitLength(bytes, ushort.MaxValue);
        return U16((ushort)length).Bytes(bytes.AsSpan(0, length));
    }

    /// <summary>The body as a new array.</summary>
    /// <returns>The bytes.</returns>
    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}
