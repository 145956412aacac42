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

    /// <summary>
    /// Offered a message whose header and first payload bytes have arrived while at least
    /// <see cref="DaemonSocketReader.DirectReadMinimum"/> bytes are still to come: the handler may name where the next
    /// bytes of the payload go, to be read there straight from the socket (one copy less). It then owns the message: it
    /// takes what it needs of <paramref name="payloadStart"/> now, and gets the payload's bytes after the named ones in
    /// <see cref="EndDirectRead"/> (or, when the reading ends first, drops what it holds in <see cref="ReadEnded"/>).
    /// Under the gate.
    /// </summary>
    /// <param name="type">The message type.</param>
    /// <param name="requestId">The request id.</param>
    /// <param name="payloadStart">The payload's bytes received so far (valid only during the call).</param>
    /// <param name="payloadLength">The payload's whole length.</param>
    /// <returns>Where the payload's next bytes go (at most the bytes still to come), or an empty segment to read the
    /// message the usual way.</returns>
    ArraySegment<byte> BeginDirectRead(DaemonMessageType type, uint requestId, ReadOnlySequence<byte> payloadStart, int payloadLength);

    /// <summary>The bytes named by <see cref="BeginDirectRead"/> are there; <paramref name="rest"/> is the rest of that
    /// message's payload. Under the gate.</summary>
    /// <param name="rest">The payload after the bytes read straight (valid only during the call; may be empty).</param>
    /// <returns>Null to go on reading, or why the reading ends.</returns>
    DaemonReadEnd? EndDirectRead(ReadOnlySequence<byte> rest);

    /// <summary>After each read's messages are handled, outside the gate (work that must not run under it).</summary>
    void ReadDone();

    /// <summary>The reading has ended, once: the reactor no longer watches the socket, and the reader holds no buffer.</summary>
    /// <param name="end">Why.</param>
    void ReadEnded(DaemonReadEnd end);
}
