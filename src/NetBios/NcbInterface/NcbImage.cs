using System.Buffers.Binary;

namespace NetBios.NcbInterface;

/// <summary>
/// The seed's 64-byte NCB (docs/NCB.md §2.2, the IBM NetBIOS / DOS layout, little-endian): what a real-mode program passes in
/// ES:BX to INT 5Ch. An exact codec: every byte read is written back unchanged unless a field was changed.
/// </summary>
/// <remarks>
/// <code>
///  0 command          1 return code      2 local session    3 name number
///  4–7 buffer address (offset, segment)   8–9 buffer length
/// 10–25 call name     26–41 name         42 receive timeout 43 send timeout
/// 44–47 POST address (offset, segment)    48 LANA number     49 command complete
/// 50–63 reserved
/// </code>
/// </remarks>
public sealed class NcbImage
{
    /// <summary>Bytes in an NCB image.</summary>
    public const int Length = 64;

    private readonly byte[] _bytes = new byte[Length];

    /// <summary>The 64 bytes (a copy).</summary>
    public byte[] ToArray() => (byte[])_bytes.Clone();

    /// <summary>Reads an image; false when fewer than 64 bytes are given.</summary>
    /// <param name="source">The bytes (only the first 64 are used).</param>
    /// <param name="image">The image.</param>
    public static bool TryRead(ReadOnlySpan<byte> source, out NcbImage image)
    {
        image = new NcbImage();
        if (source.Length < Length)
        {
            return false;
        }

        source[..Length].CopyTo(image._bytes);
        return true;
    }

    /// <summary>Writes the 64 bytes.</summary>
    /// <param name="destination">At least 64 bytes.</param>
    /// <exception cref="ArgumentException">Fewer than 64 bytes.</exception>
    public void Write(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException("An NCB image is 64 bytes.", nameof(destination));
        }

        _bytes.CopyTo(destination);
    }

    /// <summary>Byte 0.</summary>
    public byte Command { get => _bytes[0]; set => _bytes[0] = value; }

    /// <summary>Byte 1.</summary>
    public byte ReturnCode { get => _bytes[1]; set => _bytes[1] = value; }

    /// <summary>Byte 2.</summary>
    public byte LocalSessionNumber { get => _bytes[2]; set => _bytes[2] = value; }

    /// <summary>Byte 3.</summary>
    public byte NameNumber { get => _bytes[3]; set => _bytes[3] = value; }

    /// <summary>Bytes 4–7.</summary>
    public RealModeAddress Buffer { get => RealModeAddress.Read(_bytes.AsSpan(4)); set => value.Write(_bytes.AsSpan(4)); }

    /// <summary>Bytes 8–9.</summary>
    public ushort BufferLength
    {
        get => BinaryPrimitives.ReadUInt16LittleEndian(_bytes.AsSpan(8));
        set => BinaryPrimitives.WriteUInt16LittleEndian(_bytes.AsSpan(8), value);
    }

    /// <summary>Bytes 10–25.</summary>
    public Span<byte> CallName => _bytes.AsSpan(10, Ncb.NameLength);

    /// <summary>Bytes 26–41.</summary>
    public Span<byte> Name => _bytes.AsSpan(26, Ncb.NameLength);

    /// <summary>Byte 42, in 500 ms units.</summary>
    public byte ReceiveTimeout { get => _bytes[42]; set => _bytes[42] = value; }

    /// <summary>Byte 43, in 500 ms units.</summary>
    public byte SendTimeout { get => _bytes[43]; set => _bytes[43] = value; }

    /// <summary>Bytes 44–47 (0000:0000: no POST routine).</summary>
    public RealModeAddress Post { get => RealModeAddress.Read(_bytes.AsSpan(44)); set => value.Write(_bytes.AsSpan(44)); }

    /// <summary>Byte 48.</summary>
    public byte LanaNumber { get => _bytes[48]; set => _bytes[48] = value; }

    /// <summary>Byte 49.</summary>
    public byte CommandComplete { get => _bytes[49]; set => _bytes[49] = value; }

    /// <summary>Bytes 50–63.</summary>
    public Span<byte> Reserved => _bytes.AsSpan(50, 14);

    /// <summary>CHAIN SEND: the second buffer's address, in call name bytes 2–5.</summary>
    public RealModeAddress ChainBuffer => RealModeAddress.Read(_bytes.AsSpan(12));

    /// <summary>Copies the plain fields into a managed NCB (buffers, POST and CANCEL targets are the bridge's job).</summary>
    /// <param name="ncb">The NCB to fill.</param>
    public void CopyTo(Ncb ncb)
    {
        ArgumentNullException.ThrowIfNull(ncb);
        ncb.Command = (NcbCommand)Command;
        ncb.ReturnCode = (NcbReturnCode)ReturnCode;
        ncb.LocalSessionNumber = LocalSessionNumber;
        ncb.NameNumber = NameNumber;
        ncb.Length = BufferLength;
        CallName.CopyTo(ncb.CallName);
        Name.CopyTo(ncb.Name);
        ncb.ReceiveTimeout = ReceiveTimeout;
        ncb.SendTimeout = SendTimeout;
        ncb.LanaNumber = LanaNumber;
        ncb.CommandComplete = (NcbReturnCode)CommandComplete;
        Reserved.CopyTo(ncb.Reserved);
    }

    /// <summary>Copies the fields a command may change back from a managed NCB (pointers are left as they are).</summary>
    /// <param name="ncb">The NCB after (or during) execution.</param>
    public void CopyFrom(Ncb ncb)
    {
        ArgumentNullException.ThrowIfNull(ncb);
        Command = (byte)ncb.Command;
        ReturnCode = (byte)ncb.ReturnCode;
        LocalSessionNumber = ncb.LocalSessionNumber;
        NameNumber = ncb.NameNumber;
        BufferLength = ncb.Length;
        ncb.CallName.CopyTo(CallName);
        ncb.Name.CopyTo(Name);
        ReceiveTimeout = ncb.ReceiveTimeout;
        SendTimeout = ncb.SendTimeout;
        LanaNumber = ncb.LanaNumber;
        CommandComplete = (byte)ncb.CommandComplete;
        ncb.Reserved.CopyTo(Reserved);
    }
}
