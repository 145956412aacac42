using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Xunit;

namespace NetBios.Daemon.Tests;

/// <summary>A bare connection to the daemon for hand-made frames (docs/IPC.md "Framing"): what a broken or foreign
/// client sends, and the daemon's answers read back frame by frame.</summary>
internal sealed partial class RawDaemonSocket : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    private RawDaemonSocket(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public static async Task<RawDaemonSocket> ConnectAsync(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), TestContext.Current.CancellationToken);
        return new RawDaemonSocket(socket);
    }

    /// <summary>A frame: length (u32, bytes after it), type (u16), request id (u32), payload; big-endian.</summary>
    public static byte[] Frame(ushort type, uint id, ReadOnlySpan<byte> payload)
    {
        byte[] frame = new byte[10 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)(6 + payload.Length));
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(4), type);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(6), id);
        payload.CopyTo(frame.AsSpan(10));
        return frame;
    }

    /// <summary>HELLO's payload: "NBTD", major, minor.</summary>
    public static byte[] Hello(ushort major, ushort minor = 0)
    {
        byte[] payload = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(payload, 0x4E425444);
        BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(4), major);
        BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(6), minor);
        return payload;
    }

    public async Task SendAsync(byte[] bytes) => await _stream.WriteAsync(bytes, TestContext.Current.CancellationToken);

    /// <summary>The next frame (type, id, payload), or null when the daemon closed the connection; fails after 10 s.</summary>
    public async Task<(ushort Type, uint Id, byte[] Payload)?> ReceiveAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        byte[] header = new byte[10];
        try
        {
            await _stream.ReadExactlyAsync(header, timeout.Token);
        }
        catch (EndOfStreamException)
        {
            return null;
        }
        catch (IOException)
        {
            return null;
        }

        uint length = BinaryPrimitives.ReadUInt32BigEndian(header);
        Assert.InRange(length, 6u, 1u << 20);
        byte[] payload = new byte[length - 6];
        await _stream.ReadExactlyAsync(payload, timeout.Token);
        return (BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(4)), BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(6)), payload);
    }

    /// <summary>True when the daemon closed the connection (reads end) within 10 s.</summary>
    public async Task<bool> ClosedAsync()
    {
        for (int i = 0; i < 16; i++)
        {
            if (await ReceiveAsync() is null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Waits (10 s at most) until the daemon has read every byte sent so far: the socket's send queue
    /// (<c>SIOCOUTQ</c>) is empty. What is sent next then arrives in a read of its own.</summary>
    public async Task<bool> ReadByPeerAsync() => await Ncbs.EventuallyAsync(() => Unread() == 0);

    private int Unread()
    {
        const nuint SiocOutQ = 0x5411;
        nint value = Marshal.AllocHGlobal(sizeof(int));
        try
        {
            return Ioctl((int)_socket.SafeHandle.DangerousGetHandle(), SiocOutQ, value) == 0 ? Marshal.ReadInt32(value) : -1;
        }
        finally
        {
            Marshal.FreeHGlobal(value);
        }
    }

    [LibraryImport("libc", EntryPoint = "ioctl")]
    private static partial int Ioctl(int fd, nuint request, nint value);

    /// <summary>The code of an ERROR payload.</summary>
    public static NetBiosDaemonError ErrorCode(byte[] payload) => (NetBiosDaemonError)BinaryPrimitives.ReadUInt16BigEndian(payload);

    public ValueTask DisposeAsync()
    {
        _stream.Dispose();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
