using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NetBios.Daemon;

/// <summary>Writes the body of an administration request or result (docs/IPC.md "Administration operations"):
/// big-endian integers, IPv4 addresses as 4 bytes, names as their 16 raw bytes and a length-prefixed scope, texts as a
/// u8 length and UTF-8 (at most 255 bytes).</summary>
internal sealed class AdminWireWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    /// <summary>Bytes written so far.</summary>
    public int Length => _buffer.WrittenCount;

    /// <summary>The body written.</summary>
    public ReadOnlyMemory<byte> Written => _buffer.WrittenMemory;

    /// <summary>Writes one byte.</summary>
    public void U8(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    /// <summary>Writes a big-endian u16.</summary>
    public void U16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
    }

    /// <summary>Writes a big-endian u32.</summary>
    public void U32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    /// <summary>Writes a big-endian i32.</summary>
    public void I32(int value) => U32(unchecked((uint)value));

    /// <summary>Writes a big-endian i64.</summary>
    public void I64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    /// <summary>Writes an IPv4 address (0.0.0.0 for none or a non-IPv4 address).</summary>
    public void Address(IPAddress? address)
    {
        var span = _buffer.GetSpan(4)[..4];
        span.Clear();
        if (address is { AddressFamily: AddressFamily.InterNetwork })
        {
            address.TryWriteBytes(span, out _);
        }

        _buffer.Advance(4);
    }

    /// <summary>Writes an IPv4 endpoint: address and u16 port (0.0.0.0:0 for none).</summary>
    public void EndPoint(IPEndPoint? endPoint)
    {
        Address(endPoint?.Address);
        U16((ushort)(endPoint?.Port ?? 0));
    }

    /// <summary>Writes a text: u8 length and UTF-8, cut at 255 bytes on a character boundary.</summary>
    public void Text(string? text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text ?? string.Empty);
        int length = Utf8Text.FitLength(bytes, 255);

        U8((byte)length);
        Raw(bytes.AsSpan(0, length));
    }

    /// <summary>Writes a name: its 16 bytes, then its scope as a u8 length and one byte per character (Latin-1, as
    /// scopes are bytes; at most <see cref="NetBiosName.MaxScopeLength"/>).</summary>
    public void Name(NetBiosName name)
    {
        name.CopyTo(_buffer.GetSpan(NetBiosName.Length));
        _buffer.Advance(NetBiosName.Length);
        Scope(name.Scope);
    }

    /// <summary>Writes a scope: u8 length and one byte per character (Latin-1).</summary>
    public void Scope(string scope)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(scope.Length > NetBiosName.MaxScopeLength ? scope[..NetBiosName.MaxScopeLength] : scope);
        U8((byte)bytes.Length);
        Raw(bytes);
    }

    /// <summary>Writes bytes as they are.</summary>
    public void Raw(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);
}
