using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace NetBios.Daemon;

/// <summary>
/// Reads the body of a station operation (the layout <see cref="StationBodyWriter"/> writes). Never throws: a read past
/// the end or a value out of range clears <see cref="Ok"/>, and every later read answers a default; callers check
/// <see cref="Ok"/> (and <see cref="Remaining"/>) once at the end. Nothing is allocated from a length before the
/// bytes it counts are known to be there.
/// </summary>
internal ref struct StationBodyReader
{
    private ReadOnlySpan<byte> _rest;

    /// <summary>Reads <paramref name="body"/>.</summary>
    /// <param name="body">The body.</param>
    public StationBodyReader(ReadOnlySpan<byte> body)
    {
        _rest = body;
        Ok = true;
    }

    /// <summary>False once a read failed.</summary>
    public bool Ok { get; private set; }

    /// <summary>Bytes not read yet.</summary>
    public readonly int Remaining => _rest.Length;

    /// <summary>True when every read succeeded and nothing is left.</summary>
    public readonly bool Complete => Ok && _rest.IsEmpty;

    /// <summary>Marks the body bad (a value out of range).</summary>
    public void Fail() => Ok = false;

    /// <summary>One byte.</summary>
    /// <returns>The value, or 0.</returns>
    public byte U8()
    {
        var b = Take(1);
        return b.Length == 1 ? b[0] : (byte)0;
    }

    /// <summary>A big-endian u16.</summary>
    /// <returns>The value, or 0.</returns>
    public ushort U16()
    {
        var b = Take(2);
        return b.Length == 2 ? BinaryPrimitives.ReadUInt16BigEndian(b) : (ushort)0;
    }

    /// <summary>A big-endian u32.</summary>
    /// <returns>The value, or 0.</returns>
    public uint U32()
    {
        var b = Take(4);
        return b.Length == 4 ? BinaryPrimitives.ReadUInt32BigEndian(b) : 0u;
    }

    /// <summary>A big-endian i32 (two's complement).</summary>
    /// <returns>The value, or 0.</returns>
    public int I32() => unchecked((int)U32());

    /// <summary>A big-endian i64 (two's complement).</summary>
    /// <returns>The value, or 0.</returns>
    public long I64()
    {
        var b = Take(8);
        return b.Length == 8 ? BinaryPrimitives.ReadInt64BigEndian(b) : 0L;
    }

    /// <summary>A flag byte: 0 or 1, anything else fails.</summary>
    /// <returns>The value.</returns>
    public bool Bool()
    {
        byte value = U8();
        if (value > 1)
        {
            Fail();
        }

        return value == 1;
    }

    /// <summary>A byte that must be a defined value of <typeparamref name="TEnum"/>.</summary>
    /// <typeparam name="TEnum">An enum.</typeparam>
    /// <returns>The value, or the default.</returns>
    public TEnum Enum<TEnum>() where TEnum : struct, Enum
    {
        byte raw = U8();
        var value = (TEnum)System.Enum.ToObject(typeof(TEnum), raw);
        if (!System.Enum.IsDefined(value))
        {
            Fail();
            return default;
        }

        return value;
    }

    /// <summary>The next <paramref name="count"/> bytes (a slice of the body, not a copy).</summary>
    /// <param name="count">How many.</param>
    /// <returns>The bytes, or empty after a failure.</returns>
    public ReadOnlySpan<byte> Take(int count)
    {
        if (!Ok || count < 0 || count > _rest.Length)
        {
            Ok = false;
            return [];
        }

        var taken = _rest[..count];
        _rest = _rest[count..];
        return taken;
    }

    /// <summary>Everything not read yet.</summary>
    /// <returns>The bytes.</returns>
    public ReadOnlySpan<byte> Rest() => Take(_rest.Length);

    /// <summary>A name: 16 raw bytes, then its scope (<see cref="Scope"/>; [RFC 1001] 14.1).</summary>
    /// <returns>The name, or the default.</returns>
    public NetBiosName Name()
    {
        var raw = Take(NetBiosName.Length);
        string scope = Scope();
        return Ok ? NetBiosName.FromBytesUnchecked(raw, scope.Length == 0 ? null : scope) : default;
    }

    /// <summary>A scope: u8 length, then its bytes (Latin-1); empty, or a valid scope ([RFC 1001] 14.1), anything else
    /// fails.</summary>
    /// <returns>The scope, or empty.</returns>
    public string Scope()
    {
        int length = U8();
        if (length > NetBiosName.MaxScopeLength)
        {
            Fail();
        }

        var bytes = Take(length);
        if (!Ok || length == 0)
        {
            return string.Empty;
        }

        string scope = Encoding.Latin1.GetString(bytes);
        if (NetBiosName.ValidateScope(scope) is not null)
        {
            Fail();
            return string.Empty;
        }

        return scope;
    }

    /// <summary>An optional name: a flag, then the name.</summary>
    /// <returns>The name or null.</returns>
    public NetBiosName? OptionalName() => Bool() ? Name() : null;

    /// <summary>An address: u8 length 0, 4 or 16, then the bytes.</summary>
    /// <returns>The address or null (length 0, or after a failure).</returns>
    public IPAddress? Address()
    {
        int length = U8();
        if (length is not (0 or 4 or 16))
        {
            Fail();
            return null;
        }

        var bytes = Take(length);
        return Ok && length > 0 ? new IPAddress(bytes) : null;
    }

    /// <summary>An endpoint: an address, then u16 port when the address is there.</summary>
    /// <returns>The endpoint or null.</returns>
    public IPEndPoint? EndPoint()
    {
        var address = Address();
        if (address is null)
        {
            return null;
        }

        ushort port = U16();
        return Ok ? new IPEndPoint(address, port) : null;
    }

    /// <summary>A text: u16 length, then UTF-8 (invalid sequences replaced).</summary>
    /// <returns>The text, or empty.</returns>
    public string Text()
    {
        int length = U16();
        var bytes = Take(length);
        return Ok ? Encoding.UTF8.GetString(bytes) : string.Empty;
    }
}
