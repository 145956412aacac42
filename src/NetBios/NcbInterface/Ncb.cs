namespace NetBios.NcbInterface;

/// <summary>
/// A Network Control Block (docs/NCB.md §2.2; IBM NetBIOS 3.0; Win32 <c>NCB</c>): the command, its parameters and, once it
/// completes, its results. <see cref="NcbImage"/> converts it to and from the 64-byte real-mode layout.
/// </summary>
/// <remarks>
/// An NCB must not be changed or reused while its command is pending (<see cref="CommandComplete"/> reads
/// <see cref="NcbReturnCode.Pending"/>). Names are 16 raw bytes, as in the NCB; <see cref="SetName"/> and
/// <see cref="SetCallName"/> fill them from a <see cref="NetBiosName"/>.
/// </remarks>
public sealed class Ncb
{
    /// <summary>NCBNAMSZ: bytes in an NCB name field.</summary>
    public const int NameLength = 16;

    private int _returnCode;
    private int _commandComplete;

    /// <summary>Byte 0: the command, with <see cref="NcbCommand.Asynchronous"/> for a no-wait command.</summary>
    public NcbCommand Command { get; set; }

    /// <summary>Byte 1: the immediate return code, then (when it completes) the final one.</summary>
    public NcbReturnCode ReturnCode
    {
        get => (NcbReturnCode)Volatile.Read(ref _returnCode);
        set => Volatile.Write(ref _returnCode, (int)value);
    }

    /// <summary>Byte 2: the local session number (LSN) the command is for, or that CALL / LISTEN returned.</summary>
    public byte LocalSessionNumber { get; set; }

    /// <summary>Byte 3: the name number the command is for, or that ADD NAME returned (0xFF: any, for receives).</summary>
    public byte NameNumber { get; set; }

    /// <summary>Bytes 4–7: the data buffer (in the image, a segment:offset pointer).</summary>
    public byte[]? Buffer { get; set; }

    /// <summary>Bytes 8–9: bytes of <see cref="Buffer"/> to send, or its capacity for a receive and then the bytes received.</summary>
    public ushort Length { get; set; }

    /// <summary>Bytes 10–25: the remote name (CALL, LISTEN, datagram destination), or the source of what was received.
    /// For CHAIN SEND, bytes 0–1 hold the second buffer's length.</summary>
    public byte[] CallName { get; } = new byte[NameLength];

    /// <summary>Bytes 26–41: the local name (ADD NAME, DELETE NAME, CALL, LISTEN).</summary>
    public byte[] Name { get; } = new byte[NameLength];

    /// <summary>Byte 42: receive timeout of a session, in 500 ms units (0: none).</summary>
    public byte ReceiveTimeout { get; set; }

    /// <summary>Byte 43: send timeout of a session, in 500 ms units (0: none).</summary>
    public byte SendTimeout { get; set; }

    /// <summary>Bytes 44–47: the POST routine, called when an asynchronous command completes.</summary>
    public Action<Ncb>? Post { get; set; }

    /// <summary>Byte 48: the LANA (adapter) number.</summary>
    public byte LanaNumber { get; set; }

    /// <summary>Byte 49: <see cref="NcbReturnCode.Pending"/> while an asynchronous command runs, then its final code.</summary>
    public NcbReturnCode CommandComplete
    {
        get => (NcbReturnCode)Volatile.Read(ref _commandComplete);
        set => Volatile.Write(ref _commandComplete, (int)value);
    }

    /// <summary>Bytes 50–63: reserved; kept as given.</summary>
    public byte[] Reserved { get; } = new byte[14];

    /// <summary>Win32 <c>ncb_event</c>: signalled when an asynchronous command completes (instead of, or as well as, POST).</summary>
    public EventWaitHandle? Event { get; set; }

    /// <summary>CANCEL: the pending NCB to cancel (in the image, <see cref="Buffer"/> points at it).</summary>
    public Ncb? CancelTarget { get; set; }

    /// <summary>CHAIN SEND: the second buffer (its length is in <see cref="CallName"/> bytes 0–1).</summary>
    public byte[]? ChainBuffer { get; set; }

    /// <summary>True when bit 7 of the command is set.</summary>
    public bool IsAsynchronous => (Command & NcbCommand.Asynchronous) != 0;

    /// <summary>The command without the ASYNCH bit.</summary>
    public NcbCommand BaseCommand => Command & ~NcbCommand.Asynchronous;

    /// <summary>CHAIN SEND: the second buffer's length, from <see cref="CallName"/> bytes 0–1 (little-endian).</summary>
    public ushort ChainLength
    {
        get => (ushort)(CallName[0] | (CallName[1] << 8));
        set
        {
            CallName[0] = (byte)value;
            CallName[1] = (byte)(value >> 8);
        }
    }

    /// <summary>Writes a name's 16 bytes into <see cref="Name"/>.</summary>
    /// <param name="name">The name.</param>
    public void SetName(NetBiosName name) => name.CopyTo(Name);

    /// <summary>Writes a name's 16 bytes into <see cref="CallName"/>.</summary>
    /// <param name="name">The name.</param>
    public void SetCallName(NetBiosName name) => name.CopyTo(CallName);

    /// <inheritdoc/>
    public override string ToString() => $"NCB {BaseCommand}{(IsAsynchronous ? " (async)" : string.Empty)} lana {LanaNumber} lsn {LocalSessionNumber} num {NameNumber} rc 0x{(byte)ReturnCode:X2}";
}
