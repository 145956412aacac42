using System.Runtime.InteropServices;

namespace NetBios.Transport;

/// <summary>
/// The few libc calls <see cref="UdpDatagramTransport"/> makes itself on 64-bit Linux: recvmsg(2) and sendmsg(2) with an
/// IP_PKTINFO control message (ip(7)), which .NET does not offer without allocating per datagram and cannot send at all
/// (the source address of an answer), their batched forms recvmmsg(2) and sendmmsg(2) for the receive thread, plus
/// poll(2) and shutdown(2).
/// </summary>
/// <remarks>Layouts are those of glibc and musl on LP64: <c>struct msghdr</c> 56 bytes, <c>struct mmsghdr</c> 64, <c>struct cmsghdr</c> 16,
/// <c>struct in_pktinfo</c> 12, <c>struct sockaddr_in</c> 16.</remarks>
internal static unsafe partial class LinuxUdp
{
    /// <summary>SOL_IP.</summary>
    public const int SolIp = 0;

    /// <summary>IP_PKTINFO.</summary>
    public const int IpPacketInfo = 8;

    /// <summary>AF_INET.</summary>
    public const ushort AfInet = 2;

    /// <summary>MSG_DONTWAIT.</summary>
    public const int DontWait = 0x40;

    /// <summary>MSG_NOSIGNAL.</summary>
    public const int NoSignal = 0x4000;

    /// <summary>MSG_WAITFORONE (recvmmsg(2)): block for the first datagram only, then take what is already queued.</summary>
    public const int WaitForOne = 0x10000;

    /// <summary>MSG_TRUNC in msg_flags: the datagram was longer than the buffer.</summary>
    public const int Truncated = 0x20;

    /// <summary>POLLIN.</summary>
    public const short PollIn = 0x001;

    /// <summary>SHUT_RDWR.</summary>
    public const int ShutdownBoth = 2;

    /// <summary>CMSG_SPACE(sizeof(struct in_pktinfo)): 16-byte header + 12 bytes padded to 8.</summary>
    public const int PacketInfoControlSpace = 32;

    /// <summary>CMSG_LEN(sizeof(struct in_pktinfo)).</summary>
    public const int PacketInfoControlLength = 28;

    /// <summary>Header size of a control message (CMSG_LEN(0)).</summary>
    public const int ControlHeaderLength = 16;

    /// <summary>errno values this transport tells apart (asm-generic/errno-base.h, errno.h).</summary>
    public const int EIntr = 4, EBadF = 9, EAgain = 11, EAccess = 13, EInval = 22, EMsgSize = 90, ENotSock = 88,
        EAddrNotAvail = 99, ENetDown = 100, ENetUnreach = 101, ENoBufs = 105, ETimedOut = 110, EConnRefused = 111,
        EHostDown = 112, EHostUnreach = 113, EPerm = 1;

    /// <summary>True where these calls and layouts are right: Linux, 64-bit.</summary>
    public static bool IsSupported { get; } = OperatingSystem.IsLinux() && Environment.Is64BitProcess;

    [LibraryImport("libc", EntryPoint = "recvmsg", SetLastError = true)]
    public static partial nint ReceiveMessage(SafeHandle socket, MessageHeader* message, int flags);

    [LibraryImport("libc", EntryPoint = "sendmsg", SetLastError = true)]
    public static partial nint SendMessage(SafeHandle socket, MessageHeader* message, int flags);

    [LibraryImport("libc", EntryPoint = "recvmmsg", SetLastError = true)]
    public static partial int ReceiveMessages(SafeHandle socket, MultiMessageHeader* messages, uint count, int flags, void* timeout);

    [LibraryImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    public static partial int SendMessages(SafeHandle socket, MultiMessageHeader* messages, uint count, int flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollDescriptor* descriptors, nuint count, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "shutdown", SetLastError = true)]
    public static partial int Shutdown(SafeHandle socket, int how);

    /// <summary>Maps an errno of recvmsg/sendmsg to the <see cref="System.Net.Sockets.SocketError"/> .NET would report.</summary>
    public static System.Net.Sockets.SocketError ToSocketError(int errno) => errno switch
    {
        EAgain => System.Net.Sockets.SocketError.WouldBlock,
        ENoBufs => System.Net.Sockets.SocketError.NoBufferSpaceAvailable,
        EConnRefused => System.Net.Sockets.SocketError.ConnectionRefused,
        EHostUnreach => System.Net.Sockets.SocketError.HostUnreachable,
        ENetUnreach => System.Net.Sockets.SocketError.NetworkUnreachable,
        EHostDown => System.Net.Sockets.SocketError.HostDown,
        ENetDown => System.Net.Sockets.SocketError.NetworkDown,
        ETimedOut => System.Net.Sockets.SocketError.TimedOut,
        EMsgSize => System.Net.Sockets.SocketError.MessageSize,
        EAccess or EPerm => System.Net.Sockets.SocketError.AccessDenied,
        EInval => System.Net.Sockets.SocketError.InvalidArgument,
        EAddrNotAvail => System.Net.Sockets.SocketError.AddressNotAvailable,
        EBadF or ENotSock => System.Net.Sockets.SocketError.NotSocket,
        EIntr => System.Net.Sockets.SocketError.Interrupted,
        _ => System.Net.Sockets.SocketError.SocketError,
    };

    /// <summary><c>struct msghdr</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MessageHeader
    {
        public void* Name;
        public uint NameLength;
        public IoVector* Vectors;
        public nuint VectorCount;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    /// <summary><c>struct mmsghdr</c> (recvmmsg(2), sendmmsg(2)): a <c>msghdr</c> and the byte count of that message,
    /// 64 bytes with the padding.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MultiMessageHeader
    {
        public MessageHeader Header;
        public uint Length;
    }

    /// <summary><c>struct iovec</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IoVector
    {
        public void* Base;
        public nuint Length;
    }

    /// <summary><c>struct sockaddr_in</c>: family (host order), port and address (network order), 8 bytes of zero.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SocketAddressIn
    {
        public ushort Family;
        public ushort PortNetworkOrder;
        public uint AddressNetworkOrder;
        public ulong Zero;
    }

    /// <summary><c>struct cmsghdr</c> followed by <c>struct in_pktinfo</c> (CMSG_SPACE bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PacketInfoControl
    {
        public nuint Length;
        public int Level;
        public int Type;
        public int InterfaceIndex;
        public uint SpecificDestinationNetworkOrder;
        public uint AddressNetworkOrder;
        public uint Padding;
    }

    /// <summary><c>struct pollfd</c> (the descriptor is filled from the socket's handle).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PollDescriptor
    {
        public int Descriptor;
        public short Events;
        public short ReturnedEvents;
    }
}
