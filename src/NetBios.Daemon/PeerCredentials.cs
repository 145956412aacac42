using System.Buffers.Binary;
using System.Net.Sockets;

namespace NetBios.Daemon;

/// <summary>The process at the other end of a Unix domain socket, as the kernel reports it (Linux SO_PEERCRED:
/// struct ucred { pid_t pid; uid_t uid; gid_t gid; }). The credentials of the process that connected, fixed at connect.</summary>
/// <param name="ProcessId">Its pid.</param>
/// <param name="UserId">Its effective uid.</param>
/// <param name="GroupId">Its effective gid.</param>
internal readonly record struct PeerCredentials(int ProcessId, uint UserId, uint GroupId)
{
    private const int SolSocket = 1, SoPeerCred = 17;

    /// <summary>Nobody: what a socket without credentials counts as (uid and gid 65534), never root.</summary>
    public static PeerCredentials Unknown { get; } = new(0, 65534, 65534);

    /// <summary>Reads the peer credentials of a connected Unix socket; <see cref="Unknown"/> when the platform has none.</summary>
    /// <param name="socket">The accepted socket.</param>
    /// <returns>The credentials.</returns>
    public static PeerCredentials Of(Socket socket)
    {
        if (!OperatingSystem.IsLinux())
        {
            return Unknown;
        }

        Span<byte> ucred = stackalloc byte[12];
        try
        {
            int length = socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred);
            if (length < 12)
            {
                return Unknown;
            }
        }
        catch (SocketException)
        {
            return Unknown;
        }

        // struct ucred is in the host's byte order (little-endian on every Linux .NET runs on).
        return new PeerCredentials(
            BinaryPrimitives.ReadInt32LittleEndian(ucred),
            BinaryPrimitives.ReadUInt32LittleEndian(ucred[4..]),
            BinaryPrimitives.ReadUInt32LittleEndian(ucred[8..]));
    }
}
