using System.Net;

namespace NetBios.Transport;

/// <summary>Settings for <see cref="UdpDatagramTransport.Bind"/>. Validated when the transport is bound.</summary>
public sealed class UdpTransportOptions
{
    /// <summary>The local IPv4 address to bind. Defaults to <see cref="IPAddress.Any"/> (all interfaces).</summary>
    /// <remarks>A B-node that must receive subnet broadcasts on Linux should bind <see cref="IPAddress.Any"/>: a socket
    /// bound to a unicast address does not receive broadcasts there.</remarks>
    public IPAddress Address { get; set; } = IPAddress.Any;

    /// <summary>The local port. Defaults to 137 (the NetBIOS name service); use 138 for the datagram service and 0
    /// for an ephemeral port (tests, pure clients).</summary>
    public int Port { get; set; } = 137;

    /// <summary>Whether sending to broadcast addresses is allowed (SO_BROADCAST). Defaults to <see langword="true"/>.</summary>
    public bool EnableBroadcast { get; set; } = true;

    /// <summary>Whether to set SO_REUSEADDR before binding, so that the port can be shared with another socket that
    /// also sets it. Defaults to <see langword="false"/>.</summary>
    public bool ReuseAddress { get; set; }

    /// <summary>The socket receive buffer size in bytes (SO_RCVBUF), or <see langword="null"/> for the operating system
    /// default. Defaults to <see langword="null"/>.</summary>
    public int? ReceiveBufferSize { get; set; }

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Address, nameof(Address));
        if (Address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"Only IPv4 addresses are supported; got {Address}.", nameof(Address));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(Port, IPEndPoint.MinPort, nameof(Port));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Port, IPEndPoint.MaxPort, nameof(Port));
        if (ReceiveBufferSize is int size)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size, nameof(ReceiveBufferSize));
        }
    }
}
