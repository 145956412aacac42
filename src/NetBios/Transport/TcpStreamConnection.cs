using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

namespace NetBios.Transport;

/// <summary>
/// A TCP connection as an <see cref="IStreamConnection"/>: a <see cref="TcpSocketPipeReader"/> for input and a
/// <see cref="TcpStreamPipeWriter"/> for output, both straight over the socket, which is switched to non-blocking mode
/// so that a read takes what the kernel holds on the reading thread (issue 18).
/// </summary>
/// <remarks>
/// Resets surface as <see cref="IOException"/> from the pipes, as from a <see cref="NetworkStream"/>: both wrap every
/// socket error in one; <see cref="Abort"/> closes the socket with a zero linger time, which
/// sends RST and fails pending I/O on this side with <see cref="IOException"/> too.
/// </remarks>
internal sealed class TcpStreamConnection : IDirectReadConnection
{
    private readonly Socket _socket;
    private readonly TcpSocketPipeReader _reader;
    private int _closed;
    private int _disposed;

    public TcpStreamConnection(Socket socket)
    {
        _socket = socket;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        RemoteEndPoint = (IPEndPoint)socket.RemoteEndPoint!;
        socket.Blocking = false; // receives and sends are the reader's non-blocking calls or the socket engine's async ones
        _reader = new TcpSocketPipeReader(socket);
        Transport = new DuplexPipe(_reader, new TcpStreamPipeWriter(socket, _reader)); // the writer tells the reader of each send (Poll)
    }

    public IDuplexPipe Transport { get; }

    /// <summary>The input, for tests that look at how it was served.</summary>
    internal TcpSocketPipeReader Input => _reader;

    /// <summary>The underlying socket, for tests that check its options.</summary>
    internal Socket Socket => _socket;

    public IPEndPoint LocalEndPoint { get; }

    public IPEndPoint RemoteEndPoint { get; }

    public ValueTask<int> ReadDirectAsync(Memory<byte> destination, CancellationToken cancellationToken) =>
        _reader.ReadDirectAsync(destination, cancellationToken);

    public void PollInput(int limit) => _reader.Poll(limit);

    public void HoldInputReadiness() => _reader.HoldReadiness();

    public void ReleaseInputReadiness() => _reader.ReleaseReadiness();

    public void Abort()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        ResetOnClose();
        _socket.Dispose();
    }

    /// <summary>
    /// Sets a zero linger time, so that closing the socket sends RST. Both <see cref="Abort"/> and a <see cref="DisposeAsync"/>
    /// that follows (or races with) it call this before closing, so the peer sees a reset whichever closes first.
    /// </summary>
    private void ResetOnClose()
    {
        try
        {
            _socket.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
            // Already reset by the peer; closing is all that is left.
        }
        catch (ObjectDisposedException)
        {
            // The other of Abort and DisposeAsync closed the socket first, after setting the same option.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        bool graceful = Interlocked.Exchange(ref _closed, 1) == 0;
        try
        {
            // Flushes what is buffered; after Abort this fails, which only releases the buffers.
            await Transport.Output.CompleteAsync().ConfigureAwait(false);
            if (graceful)
            {
                _socket.Shutdown(SocketShutdown.Send);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // The peer is gone or the connection was aborted; nothing left to flush to.
        }

        if (!graceful)
        {
            ResetOnClose();
        }

        _socket.Dispose();
        await Transport.Input.CompleteAsync().ConfigureAwait(false);
    }
}
