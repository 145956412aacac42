using System.Net;

namespace NetBios.Transport;

/// <summary>Settings of a <see cref="UdpDatagramTransport"/>.</summary>
public sealed class UdpTransportOptions
{
    /// <summary>The local address. Defaults to <see cref="IPAddress.Any"/>, so that subnet broadcasts arrive too.</summary>
    public IPAddress BindAddress { get; set; } = IPAddress.Any;

    /// <summary>The local port; 0 picks an ephemeral port. Defaults to 137 (name service).</summary>
    public int Port { get; set; } = 137;

    /// <summary>Allow sending to broadcast addresses (SO_BROADCAST). Defaults to true.</summary>
    public bool EnableBroadcast { get; set; } = true;

    /// <summary>Set SO_REUSEADDR before binding. Defaults to false (a second node on the same port is an error, not a silent split: INTEROP pitfall 4).</summary>
    public bool ReuseAddress { get; set; }

    /// <summary>SO_RCVBUF in bytes, or null for the system default. Defaults to 1 MiB (nmbd's default buffer overflows at a window of 256).</summary>
    public int? ReceiveBufferSize { get; set; } = 1 << 20;
}
