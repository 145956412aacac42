using System.IO.Pipelines;
using System.Net;
using NetBios.Transport;

namespace NetBios.Testing;

/// <summary>One end of an in-memory connection: two <see cref="Pipe"/>s crossed over, with TCP-like close and abort.</summary>
internal sealed class InMemoryStreamConnection : IStreamConnection
{
    private readonly InMemoryConnectionState _state;
    private readonly int _side;
    private int _disposed;

    private InMemoryStreamConnection(InMemoryConnectionState state, int side, IPEndPoint local, IPEndPoint remote)
    {
        _state = state;
        _side = side;
        LocalEndPoint = local;
        RemoteEndPoint = remote;
        Pipe input = side == 0 ? state.BToA : state.AToB;
        Pipe output = side == 0 ? state.AToB : state.BToA;
        Transport = new DuplexPipe(new InMemoryPipeReader(input.Reader, state, side), new InMemoryPipeWriter(output.Writer, state, side));
    }

    public IDuplexPipe Transport { get; }

    public IPEndPoint LocalEndPoint { get; }

    public IPEndPoint RemoteEndPoint { get; }

    /// <summary>Creates a connected pair: the client's end (local → remote) and the server's end (remote → local).</summary>
    public static (InMemoryStreamConnection Client, InMemoryStreamConnection Server) CreatePair(IPEndPoint clientEndPoint, IPEndPoint serverEndPoint)
    {
        var state = new InMemoryConnectionState();
        return (new InMemoryStreamConnection(state, 0, clientEndPoint, serverEndPoint),
                new InMemoryStreamConnection(state, 1, serverEndPoint, clientEndPoint));
    }

    public void Abort() => _state.Abort(_side);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Pipe input = _side == 0 ? _state.BToA : _state.AToB;
        Pipe output = _side == 0 ? _state.AToB : _state.BToA;
        if (!_state.IsAborted)
        {
            await output.Writer.CompleteAsync().ConfigureAwait(false);
        }
        else
        {
            await output.Writer.CompleteAsync(new IOException("The connection was reset.")).ConfigureAwait(false);
        }

        await input.Reader.CompleteAsync().ConfigureAwait(false);
    }
}
