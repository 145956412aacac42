using System.Runtime.InteropServices;

namespace NetBios.Native;

/// <summary>
/// The Win32 <c>NCB</c> (nb30.h) as Windows x64 lays it out, which is also how include/nb30.h lays it out for 64-bit
/// Linux: natural alignment, 8-byte pointers, 96 bytes (docs/LIBNETBIOS.md "NCB"). The caller owns the memory.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
internal unsafe struct NativeNcb
{
    /// <summary>sizeof(NCB) on Windows x64.</summary>
    public const int Size = 96;

    /// <summary>NCBNAMSZ.</summary>
    public const int NameLength = 16;

    /// <summary>ncb_command (0).</summary>
    [FieldOffset(0)]
    public byte Command;

    /// <summary>ncb_retcode (1).</summary>
    [FieldOffset(1)]
    public byte ReturnCode;

    /// <summary>ncb_lsn (2).</summary>
    [FieldOffset(2)]
    public byte LocalSessionNumber;

    /// <summary>ncb_num (3).</summary>
    [FieldOffset(3)]
    public byte NameNumber;

    /// <summary>ncb_buffer (8): PUCHAR.</summary>
    [FieldOffset(8)]
    public byte* Buffer;

    /// <summary>ncb_length (16): WORD.</summary>
    [FieldOffset(16)]
    public ushort Length;

    /// <summary>ncb_callname (18): UCHAR[16]. CHAIN SEND: bytes 0–1 the second buffer's length, 2–9 its address.</summary>
    [FieldOffset(18)]
    public fixed byte CallName[NameLength];

    /// <summary>ncb_name (34): UCHAR[16].</summary>
    [FieldOffset(34)]
    public fixed byte Name[NameLength];

    /// <summary>ncb_rto (50).</summary>
    [FieldOffset(50)]
    public byte ReceiveTimeout;

    /// <summary>ncb_sto (51).</summary>
    [FieldOffset(51)]
    public byte SendTimeout;

    /// <summary>ncb_post (56): <c>void (*)(NCB *)</c>.</summary>
    [FieldOffset(56)]
    public delegate* unmanaged<NativeNcb*, void> Post;

    /// <summary>ncb_lana_num (64).</summary>
    [FieldOffset(64)]
    public byte LanaNumber;

    /// <summary>ncb_cmd_cplt (65).</summary>
    [FieldOffset(65)]
    public byte CommandComplete;

    /// <summary>ncb_reserve (66): UCHAR[18].</summary>
    [FieldOffset(66)]
    public fixed byte Reserved[18];

    /// <summary>ncb_event (88): HANDLE-sized; on Linux an eventfd descriptor, or 0 for none.</summary>
    [FieldOffset(88)]
    public nint Event;
}
