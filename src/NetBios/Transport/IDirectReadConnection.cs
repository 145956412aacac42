namespace NetBios.Transport;

/// <summary>
/// A stream connection whose bytes can also be read straight into a caller's buffer, past the input pipe: a large
/// message body then goes from the socket to where it is wanted in one read and without a copy.
/// </summary>
/// <remarks>
/// Only valid while the input pipe holds no unconsumed bytes and no pipe read is pending: the bytes returned are the
/// ones the pipe would have returned next. The caller must know the pipe is empty from what it consumed:
/// <see cref="System.IO.Pipelines.PipeReader.TryRead"/> also returns false for bytes it has only examined.
/// </remarks>
internal interface IDirectReadConnection : IStreamConnection
{
    /// <summary>Reads at least one byte into <paramref name="destination"/>, or 0 at the end of the stream.</summary>
    /// <param name="destination">Where to put the bytes.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The byte count; 0 when the peer closed.</returns>
    /// <exception cref="IOException">The connection was reset or aborted.</exception>
    ValueTask<int> ReadDirectAsync(Memory<byte> destination, CancellationToken cancellationToken);

    /// <summary>
    /// Completes a pipe read (or direct read) that waits for bytes with what the connection already holds, on the
    /// calling thread, the reader's continuation running before this returns; nothing when no read waits or no byte
    /// is there. A session receive posted when its message is already in the kernel then completes at once, without
    /// the hops of a readiness notification (issue 18). Safe on any thread.
    /// </summary>
    /// <param name="limit">At most this many bytes for a pipe read with nothing buffered; 0 for as many as the buffer takes.</param>
    void PollInput(int limit);

    /// <summary>
    /// The next pipe read, if it has to wait, starts waiting for the socket's readiness only at
    /// <see cref="ReleaseInputReadiness"/>, which must follow (issue 18: a receiver's continuation run between the
    /// two, typically its next send, goes before the readiness wait's system calls).
    /// </summary>
    void HoldInputReadiness();

    /// <summary>Starts the readiness wait held back by <see cref="HoldInputReadiness"/> (nothing if none is held).</summary>
    void ReleaseInputReadiness();
}
