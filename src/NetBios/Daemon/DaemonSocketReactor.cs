using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace NetBios.Daemon;

/// <summary>
/// The reader of the IPC sockets (docs/IPC.md), both ends: one thread per process waiting in <c>epoll_wait</c> on every
/// connection's Unix socket for <c>EPOLLIN</c> only (level-triggered), and calling that connection's read handler inline
/// — the handler reads what is there once, without blocking, and handles the messages it completes (in the daemon an
/// NCB SUBMIT starts its NCB on this thread; in a client an NCB COMPLETE completes the NCB: no thread-pool hop between
/// the socket and the NCB).
/// </summary>
/// <remarks>
/// Why not <c>Socket.ReceiveAsync</c>: .NET registers a socket that waited for an asynchronous operation in its own
/// epoll with <c>EPOLLIN | EPOLLOUT</c>, edge-triggered, so every read by the peer (which frees send space) wakes the
/// socket engine's thread for an <c>EPOLLOUT</c> nobody waits for, and each message took a wake-up of the engine's
/// thread and then of a pool thread, plus a zero-byte read and a read that found nothing (docs/IPC.md "Benchmark").
/// Handlers must not block: a handler that does blocks every client's reading. Linux only, as the daemon is. The thread runs no program code: a client hands awaiting code to the thread pool.
/// </remarks>
internal sealed partial class DaemonSocketReactor
{
    private const int EpollCtlAdd = 1;
    private const int EpollCtlDel = 2;
    private const uint EpollIn = 0x001;
    private const uint EpollRdHup = 0x2000;
    private const int EpollCloExec = 0x80000;
    private const int MaxEvents = 64;

    private static readonly Lazy<DaemonSocketReactor> s_shared = new(() => new DaemonSocketReactor(), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>x86-64 packs <c>struct epoll_event</c> (12 bytes: the data at offset 4); other architectures align it (16, at 8).</summary>
    private static readonly bool s_packed = RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86;

    private readonly int _epoll;
    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, Action> _handlers = [];
    private ulong _nextToken;

    private DaemonSocketReactor()
    {
        _epoll = EpollCreate1(EpollCloExec);
        if (_epoll < 0)
        {
            throw new SocketException(Marshal.GetLastPInvokeError());
        }

        var thread = new Thread(Run) { IsBackground = true, Name = "NetBIOS IPC reader" };
        thread.Start();
    }

    /// <summary>The process's reactor (its thread starts on first use and lives as long as the process).</summary>
    public static DaemonSocketReactor Shared => s_shared.Value;

    /// <summary>Where handlers read into (used only on the reactor's thread, one handler at a time): bytes of a message
    /// not yet whole are copied out of it into the connection's own carry buffer (<see cref="DaemonReceiveBuffer"/>).</summary>
    public byte[] ReadBuffer { get; } = GC.AllocateUninitializedArray<byte>(256 * 1024);

    /// <summary>Starts watching <paramref name="socket"/>: <paramref name="onReadable"/> runs on the reactor's thread
    /// whenever bytes (or the end, or an error) can be read, until <see cref="Remove"/>.</summary>
    /// <param name="socket">A connected socket; it must stay open until <see cref="Remove"/>.</param>
    /// <param name="onReadable">Reads once without blocking; must not throw or block.</param>
    /// <returns>The registration, for <see cref="Remove"/>.</returns>
    public unsafe ulong Add(Socket socket, Action onReadable)
    {
        ulong token;
        lock (_lock)
        {
            token = ++_nextToken;
            _handlers[token] = onReadable;
        }

        byte* ev = stackalloc byte[16];
        WriteEvent(ev, EpollIn | EpollRdHup, token);
        if (EpollCtl(_epoll, EpollCtlAdd, (int)socket.SafeHandle.DangerousGetHandle(), ev) != 0)
        {
            int error = Marshal.GetLastPInvokeError();
            lock (_lock)
            {
                _handlers.Remove(token);
            }

            throw new SocketException(error);
        }

        return token;
    }

    /// <summary>Stops watching (before the socket is closed). A handler already called may still be running, and one
    /// whose event was already taken may still be called once: handlers check their own state.</summary>
    /// <param name="socket">The socket given to <see cref="Add"/>, still open.</param>
    /// <param name="token">What <see cref="Add"/> returned.</param>
    public unsafe void Remove(Socket socket, ulong token)
    {
        lock (_lock)
        {
            if (!_handlers.Remove(token))
            {
                return;
            }
        }

        byte* ev = stackalloc byte[16];
        try
        {
            _ = EpollCtl(_epoll, EpollCtlDel, (int)socket.SafeHandle.DangerousGetHandle(), ev);
        }
        catch (ObjectDisposedException)
        {
            // Closed already: the kernel dropped it from the epoll set itself.
        }
    }

    private unsafe void Run()
    {
        int size = s_packed ? 12 : 16;
        byte* events = (byte*)NativeMemory.Alloc((nuint)(MaxEvents * size));
        var ready = new Action?[MaxEvents];
        while (true)
        {
            int count = EpollWait(_epoll, events, MaxEvents, -1);
            if (count <= 0)
            {
                continue; // EINTR
            }

            lock (_lock)
            {
                for (int i = 0; i < count; i++)
                {
                    ready[i] = _handlers.GetValueOrDefault(ReadToken(events + (i * size)));
                }
            }

            for (int i = 0; i < count; i++)
            {
                try
                {
                    ready[i]?.Invoke();
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // A handler's bug must not end every client's reading.
                    Console.Error.WriteLine($"NetBIOS IPC: a connection's read handler threw: {ex}");
                }

                ready[i] = null;
            }
        }
    }

    private static unsafe void WriteEvent(byte* ev, uint events, ulong data)
    {
        *(uint*)ev = events;
        *(ulong*)(ev + (s_packed ? 4 : 8)) = data;
    }

    private static unsafe ulong ReadToken(byte* ev) => *(ulong*)(ev + (s_packed ? 4 : 8));

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    private static partial int EpollCreate1(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    private static unsafe partial int EpollCtl(int epoll, int operation, int fd, byte* ev);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    private static unsafe partial int EpollWait(int epoll, byte* events, int maxEvents, int timeout);
}
