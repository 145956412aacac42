using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

namespace NetBios.Transport;

/// <summary>
/// A TCP connection as an <see cref="IStreamConnection"/>: <see cref="PipeReader.Create(Stream, StreamPipeReaderOptions?)"/>
/// over a <see cref="NetworkStream"/> for input, a <see cref="TcpStreamPipeWriter"/> straight over the socket for output.
/// </summary>
/// <remarks>
/// Resets surface as <see cref="IOException"/> from the pipes because <see cref="NetworkStream"/> (and the writer, in
/// the same way) wraps every socket error in one; <see cref="Abort"/> closes the socket with a zero linger time, which
/// sends RST and fails pending I/O on this side with <see cref="IOException"/> too.
/// </remarks>
internal sealed class TcpStreamConnection : IDirectReadConnection
{
    /// <summary>
    /// Bytes the reader asks the socket for at once: 16 KiB reads a 64 KiB message in 4 reads instead of 16 (the
    /// default 4 KiB). The reader waits for data with a zero-byte read first, so an idle connection holds no such
    /// buffer (10 000 idle sessions: about 4 KiB each instead of 20 KiB), for no measurable cost in round-trip time.
    /// </summary>
    private const int ReadBufferSize = 16 * 1024;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private int _closed;
    private int _disposed;

    public TcpStreamConnection(Socket socket)
    {
        _socket = socket;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        RemoteEndPoint = (IPEndPoint)socket.RemoteEndPoint!;
        _stream = new NetworkStream(socket, ownsSocket: false);
        Transport = new DuplexPipe(
            PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: ReadBufferSize, minimumReadSize: ReadBufferSize / 4, leaveOpen: true, useZeroByteReads: true)),
            new TcpStreamPipeWriter(socket));
    }

    public IDuplexPipe Transport { get; }

    /// <summary>The underlying socket, for tests that check its options.</summary>
    internal Socket Socket => _socket;

    public IPEndPoint LocalEndPoint { get; }

    public IPEndPoint RemoteEndPoint { get; }

    public ValueTask<int> ReadDirectAsync(Memory<byte> destination, CancellationToken cancellationToken) =>
        _stream.ReadAsync(destination, cancellationToken);

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
        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}
