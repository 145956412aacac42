using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace NetBios.Daemon;

/// <summary>Reads an administration body (docs/IPC.md "Administration operations") without ever throwing: every read
/// checks the bytes left first and answers false when they are missing or invalid (the caller answers Malformed, or
/// the client reports a daemon it does not understand). Nothing is allocated from a length before it is checked.</summary>
internal ref struct AdminWireReader(ReadOnlySpan<byte> body)
{
    private ReadOnlySpan<byte> _rest = body;

    /// <summary>Bytes not read yet.</summary>
    public readonly int Remaining => _rest.Length;

    /// <summary>Reads one byte.</summary>
    public bool U8(out byte value)
    {
        value = 0;
        if (_rest.Length < 1)
        {
            return false;
        }

        value = _rest[0];
        _rest = _rest[1..];
        return true;
    }

    /// <summary>Reads a big-endian u16.</summary>
    public bool U16(out ushort value)
    {
        value = 0;
        if (_rest.Length < 2)
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt16BigEndian(_rest);
        _rest = _rest[2..];
        return true;
    }

    /// <summary>Reads a big-endian u32.</summary>
    public bool U32(out uint value)
    {
        value = 0;
        if (_rest.Length < 4)
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt32BigEndian(_rest);
        _rest = _rest[4..];
        return true;
    }

    /// <summary>Reads a big-endian i32.</summary>
    public bool I32(out int value)
    {
        bool ok = U32(out uint raw);
        value = unchecked((int)raw);
        return ok;
    }

    /// <summary>Reads a big-endian i64.</summary>
    public bool I64(out long value)
    {
        value = 0;
        if (_rest.Length < 8)
        {
            return false;
        }

        value = BinaryPrimitives.ReadInt64BigEndian(_rest);
        _rest = _rest[8..];
        return true;
    }

    /// <summary>Reads an IPv4 address (4 bytes).</summary>
    public bool Address(out IPAddress address)
    {
        address = IPAddress.Any;
        if (_rest.Length < 4)
        {
            return false;
        }

        address = new IPAddress(_rest[..4]);
        _rest = _rest[4..];
        return true;
    }

    /// <summary>Reads an IPv4 endpoint; 0.0.0.0:0 reads as null.</summary>
    public bool EndPoint(out IPEndPoint? endPoint)
    {
        endPoint = null;
        if (!Address(out var address) || !U16(out ushort port))
        {
            return false;
        }

        if (port != 0 || !address.Equals(IPAddress.Any))
        {
            endPoint = new IPEndPoint(address, port);
        }

        return true;
    }

    /// <summary>Reads a text (u8 length, UTF-8).</summary>
    public bool Text(out string text)
    {
        text = string.Empty;
        if (!U8(out byte length) || _rest.Length < length)
        {
            return false;
        }

        text = Encoding.UTF8.GetString(_rest[..length]);
        _rest = _rest[length..];
        return true;
    }

    /// <summary>Reads a scope: u8 length and its bytes (Latin-1); empty, or a valid scope.</summary>
    public bool Scope(out string scope)
    {
        scope = string.Empty;
        if (!U8(out byte length) || length > NetBiosName.MaxScopeLength || _rest.Length < length)
        {
            return false;
        }

        string text = Encoding.Latin1.GetString(_rest[..length]);
        if (text.Length > 0 && NetBiosName.ValidateScope(text) is not null)
        {
            return false;
        }

        _rest = _rest[length..];
        scope = text;
        return true;
    }

    /// <summary>Reads a name: 16 bytes, then a u8 length and the scope's bytes (Latin-1), which must be a valid scope.</summary>
    public bool Name(out NetBiosName name)
    {
        name = default;
        if (_rest.Length < NetBiosName.Length)
        {
            return false;
        }

        var raw = _rest[..NetBiosName.Length];
        _rest = _rest[NetBiosName.Length..];
        if (!Scope(out string scope))
        {
            return false;
        }

        name = NetBiosName.FromBytesUnchecked(raw, scope.Length == 0 ? null : scope);
        return true;
    }
}
