using NetBios.Transport;

namespace NetBios.SessionService;

/// <summary>An accepted connection ([RFC 1002] 5.3.1): handshaking until its SESSION REQUEST is answered, then the carrier of a session.</summary>
/// <param name="connection">The connection.</param>
/// <param name="acceptedAt">When it was accepted (a <see cref="TimeProvider"/> timestamp).</param>
internal sealed class IncomingConnection(IStreamConnection connection, long acceptedAt)
{
    /// <summary>When the handshake must be over (a <see cref="TimeProvider"/> timestamp).</summary>
    public long Deadline = long.MaxValue;

    public IStreamConnection Connection { get; } = connection;

    public long AcceptedAt { get; } = acceptedAt;

    public NbssSession? Session { get; set; }

    public Task Handshake { get; set; } = Task.CompletedTask;

    /// <summary>Counted in its source's handshaking connections (until it has a session or is gone). Under the service's gate.</summary>
    public bool CountedPending { get; set; }

    /// <summary>Its session request waits for a LISTEN (not evictable meanwhile). Under the service's gate.</summary>
    public bool Queued { get; set; }
}
