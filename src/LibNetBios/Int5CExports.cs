using System.Runtime.InteropServices;
using NetBios.NcbInterface;

namespace NetBios.Native;

/// <summary>
/// INT 5Ch for DOS emulators in C (docs/LIBNETBIOS.md "INT 5Ch"): <see cref="Int5CBridge"/> over the emulator's memory
/// callbacks. The emulator calls <c>netbios_int5c_interrupt</c> for INT 5Ch (ES:BX → AL) and
/// <c>netbios_int5c_deliver</c> from its main loop, which applies finished no-wait NCBs and calls its POST callback on
/// the emulator's own thread.
/// </summary>
internal static unsafe class Int5CExports
{
    /// <summary>
    /// <c>netbios_int5c *netbios_int5c_create(void *context, uint32_t memory_size, read, write, post)</c>: read/write
    /// copy bytes at a linear address (segment × 16 + offset); post runs a DOS POST routine (routine segment and offset,
    /// ES, BX, AL). Null when a callback is missing or the size is not 1 KiB–16 MiB.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "netbios_int5c_create")]
    public static nint Create(nint context, uint memorySize,
        delegate* unmanaged<nint, uint, byte*, uint, void> read,
        delegate* unmanaged<nint, uint, byte*, uint, void> write,
        delegate* unmanaged<nint, ushort, ushort, ushort, ushort, byte, void> post)
    {
        if (read is null || write is null || post is null || memorySize is < 1024 or > 16 * 1024 * 1024)
        {
            return 0;
        }

        var memory = new NativeRealModeMemory(context, (int)memorySize, read, write);
        var bridge = new Int5CBridge(new LazyNetBios(), memory, (routine, es, bx, al) => post(context, routine.Segment, routine.Offset, es, bx, al));
        return GCHandle.ToIntPtr(GCHandle.Alloc(bridge));
    }

    /// <summary><c>UCHAR netbios_int5c_interrupt(netbios_int5c *bridge, uint16_t es, uint16_t bx)</c>: INT 5Ch; returns AL.</summary>
    [UnmanagedCallersOnly(EntryPoint = "netbios_int5c_interrupt")]
    public static byte Interrupt(nint bridge, ushort es, ushort bx)
    {
        try
        {
            return bridge == 0 ? (byte)NcbReturnCode.NotLoaded : ((Int5CBridge)GCHandle.FromIntPtr(bridge).Target!).Interrupt(es, bx);
        }
#pragma warning disable CA1031 // nothing may unwind into C
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine($"libnetbios: int5c: {ex.Message}");
            return (byte)NcbReturnCode.SystemError;
        }
    }

    /// <summary><c>int netbios_int5c_deliver(netbios_int5c *bridge)</c>: applies finished no-wait NCBs (NCB and buffer
    /// write-back, then POST) on the caller's thread; returns how many.</summary>
    [UnmanagedCallersOnly(EntryPoint = "netbios_int5c_deliver")]
    public static int Deliver(nint bridge)
    {
        try
        {
            return bridge == 0 ? 0 : ((Int5CBridge)GCHandle.FromIntPtr(bridge).Target!).DeliverCompletions();
        }
#pragma warning disable CA1031 // nothing may unwind into C
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine($"libnetbios: int5c: {ex.Message}");
            return -1;
        }
    }

    /// <summary><c>void netbios_int5c_destroy(netbios_int5c *bridge)</c>: forgets the bridge (pending NCBs keep running;
    /// their completions are dropped).</summary>
    [UnmanagedCallersOnly(EntryPoint = "netbios_int5c_destroy")]
    public static void Destroy(nint bridge)
    {
        if (bridge != 0)
        {
            GCHandle.FromIntPtr(bridge).Free();
        }
    }
}
