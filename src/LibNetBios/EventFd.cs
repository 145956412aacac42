using System.Runtime.InteropServices;

namespace NetBios.Native;

/// <summary>
/// ncb_event on Linux: an eventfd(2) the caller created (docs/LIBNETBIOS.md "ncb_event"). Reset = drain its counter
/// without blocking (poll, then read while readable); signal = write 1 to it.
/// </summary>
internal static partial class EventFd
{
    private const short PollIn = 0x001;

    /// <summary>Makes the eventfd non-signalled: reads it while poll says it is readable (bounded: at most 4 reads).</summary>
    /// <param name="fd">The descriptor; nothing is done for 0 or below.</param>
    public static unsafe void Reset(nint fd)
    {
        if (fd <= 0 || fd > int.MaxValue)
        {
            return;
        }

        ulong value;
        for (int i = 0; i < 4; i++)
        {
            var entry = new PollFd { Fd = (int)fd, Events = PollIn };
            if (Poll(&entry, 1, 0) != 1 || (entry.ReturnedEvents & PollIn) == 0 || Read((int)fd, &value, sizeof(ulong)) != sizeof(ulong))
            {
                return;
            }
        }
    }

    /// <summary>Signals the eventfd: adds 1 to its counter.</summary>
    /// <param name="fd">The descriptor; nothing is done for 0 or below.</param>
    public static unsafe void Signal(nint fd)
    {
        if (fd <= 0 || fd > int.MaxValue)
        {
            return;
        }

        ulong one = 1;
        _ = Write((int)fd, &one, sizeof(ulong));
    }

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static unsafe partial int Poll(PollFd* fds, nuint count, int timeout);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static unsafe partial nint Read(int fd, void* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint Write(int fd, void* buffer, nuint count);

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short ReturnedEvents;
    }
}
