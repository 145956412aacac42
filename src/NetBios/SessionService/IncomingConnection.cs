using NetBios.Transport;

namespace NetBios.SessionService;

/// <summary>An accepted connection ([RFC 1002] 5.3.1): handshaking until its SESSION REQUEST is answered, then the carrier of a session.</summary>
internal sealed class IncomingConnection(IStreamConnection connection)
{
    /// <summary>When the handshake must be over (a <see cref="TimeProvider"/> timestamp).</summary>
    public long Deadline = long.MaxValue;

    public IStreamConnection Connection { get; } = connection;

    public NbssSession? Session { get; set; }

    public Task Handshake { get; set; } = Task.CompletedTask;
}
