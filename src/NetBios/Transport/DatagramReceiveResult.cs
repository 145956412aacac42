using System.Net;

namespace NetBios.Transport;

/// <summary>A received datagram: how many bytes were written to the buffer, and who sent it.</summary>
/// <param name="Length">Bytes received (0 for an empty datagram).</param>
/// <param name="RemoteEndPoint">The sender.</param>
public readonly record struct DatagramReceiveResult(int Length, IPEndPoint RemoteEndPoint);
