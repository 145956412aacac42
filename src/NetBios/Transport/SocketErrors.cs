using System.Net.Sockets;

namespace NetBios.Transport;

/// <summary>Classifies socket errors for the transports and the engines above them.</summary>
internal static class SocketErrors
{
    /// <summary>
    /// True for errors caused by one peer or one packet rather than by the local socket: after these the socket is still
    /// usable and a receive loop must go on (docs/RELIABILITY.md §3.2; dotnet/corefx#33049, sipsorcery#1517).
    /// </summary>
    public static bool IsPerPeer(SocketError error) => error is
        SocketError.ConnectionReset           // ICMP port unreachable reported on the next receive (Windows)
        or SocketError.ConnectionRefused      // the same report on Linux for connected sockets
        or SocketError.MessageSize            // datagram longer than the buffer (Windows) or than the path MTU (send)
        or SocketError.HostUnreachable
        or SocketError.NetworkUnreachable
        or SocketError.HostDown
        or SocketError.NetworkDown
        or SocketError.NetworkReset
        or SocketError.TimedOut
        or SocketError.NoBufferSpaceAvailable // send queue full: the datagram is lost, as on the wire
        or SocketError.WouldBlock
        or SocketError.TryAgain;

    /// <summary>
    /// True for what a stream connection's pipes or socket throw when the connection fails under them (reset, broken
    /// pipe, not connected): <see cref="System.Net.Sockets.NetworkStream"/> wraps socket errors in
    /// <see cref="IOException"/>, a bare socket throws <see cref="SocketException"/>. Engines turn these into result
    /// values (a reset call, an aborted session), never let them escape (issue 17 item 5).
    /// </summary>
    public static bool IsConnectionFailure(Exception exception) => exception is IOException or SocketException;
}
