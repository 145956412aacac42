using System.Buffers;

namespace NetBios.Daemon;

/// <summary>What a <see cref="DaemonSocketReader"/> hands its connection's messages to (the daemon's side of a client,
/// or a client's link to the daemon). Every method runs on the <see cref="DaemonSocketReactor"/>'s thread (except
/// <see cref="ReadEnded"/> when the reading is stopped by another thread), and none may block.</summary>
internal interface IDaemonMessageHandler
{
    /// <summary>Handles one whole message, under the reader's <see cref="DaemonSocketReader.Gate"/>; messages come in
    /// the order they were sent.</summary>
    /// <param name="type">The message type.</param>
    /// <param name="requestId">The request id.</param>
    /// <param name="payload">The payload: valid only during the call.</param>
    /// <returns>Null to go on reading, or why the reading ends (the peer broke the protocol, or said goodbye).</returns>
    DaemonReadEnd? HandleMessage(DaemonMessageType type, uint requestId, ReadOnlySequence<byte> payload);

    /// <summary>After each read's messages are handled, outside the gate (work that must not run under it).</summary>
    void ReadDone();

    /// <summary>The reading has ended, once: the reactor no longer watches the socket, and the reader holds no buffer.</summary>
    /// <param name="end">Why.</param>
    void ReadEnded(DaemonReadEnd end);
}
