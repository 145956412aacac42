namespace NetBios.Transport;

/// <summary>Settings for <see cref="TcpStreamNetwork"/>. Validated when the network is created.</summary>
/// <remarks>The keepalive defaults follow docs/RELIABILITY.md §3.1: a half-open peer is detected within about two minutes
/// (60 s idle + 5 × 10 s probes).</remarks>
public sealed class TcpStreamOptions
{
    /// <summary>Whether to disable Nagle's algorithm (TCP_NODELAY). Defaults to <see langword="true"/>: NBSS messages
    /// are small and latency-sensitive.</summary>
    public bool NoDelay { get; set; } = true;

    /// <summary>Whether TCP keepalive probes are sent on idle connections. Defaults to <see langword="true"/>.</summary>
    public bool KeepAlive { get; set; } = true;

    /// <summary>Idle time before the first keepalive probe. Defaults to 60 seconds.</summary>
    public TimeSpan KeepAliveTime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Time between unanswered keepalive probes. Defaults to 10 seconds.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Unanswered probes before the connection is dropped. Defaults to 5.</summary>
    public int KeepAliveRetryCount { get; set; } = 5;

    /// <summary>How long a connect may take before it fails with <see cref="ConnectFailureReason.TimedOut"/>, measured on
    /// the network's <see cref="TimeProvider"/>. Defaults to 30 seconds; <see cref="Timeout.InfiniteTimeSpan"/> leaves it
    /// to the operating system.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The listen backlog (connections waiting to be accepted). Defaults to 512.</summary>
    public int ListenBacklog { get; set; } = 512;

    /// <summary>
    /// Creates the IPv4 TCP socket for each listen and connect; null for a plain <c>new Socket(...)</c>. A host can
    /// create sockets in another network namespace (a socket belongs to the namespace of the thread that creates it).
    /// </summary>
    public Func<System.Net.Sockets.Socket>? SocketFactory { get; set; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(KeepAliveTime, TimeSpan.FromSeconds(1), nameof(KeepAliveTime));
        ArgumentOutOfRangeException.ThrowIfLessThan(KeepAliveInterval, TimeSpan.FromSeconds(1), nameof(KeepAliveInterval));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(KeepAliveRetryCount, nameof(KeepAliveRetryCount));
        if (ConnectTimeout != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ConnectTimeout, TimeSpan.Zero, nameof(ConnectTimeout));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ListenBacklog, nameof(ListenBacklog));
    }
}
