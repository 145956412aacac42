using System.Net;
using NetBios.Transport;
using Xunit;

namespace NetBios.Tests.Transport;

/// <summary>The same scenarios over every <see cref="IStreamNetwork"/> implementation.</summary>
public abstract class StreamNetworkTestsBase
{
    protected abstract IStreamNetwork Network { get; }

    /// <summary>An endpoint to listen on with port 0.</summary>
    protected abstract IPEndPoint ListenEndPoint { get; }

    /// <summary>Listens on <see cref="ListenEndPoint"/>, connects to it and accepts that connection.</summary>
    internal Task<StreamConnectionPair> ConnectPairAsync(CancellationToken cancellationToken) =>
        StreamConnectionPair.ConnectAsync(Network, ListenEndPoint, cancellationToken);

    [Fact]
    public async Task ConnectAsync_ToListener_EchoesThroughPipes()
    {
        using var cts = TestTimeout.Create();
        await using var pair = await ConnectPairAsync(cts.Token);
        var (client, server) = (pair.Client, pair.Server);

        Assert.NotNull(server);
        Assert.Equal(pair.Listener.LocalEndPoint, client.RemoteEndPoint);
        Assert.Equal(client.LocalEndPoint, server.RemoteEndPoint);

        await PipeHelpers.WriteAsync(client.Transport.Output, "hello", cts.Token);
        string received = await PipeHelpers.ReadExactlyAsync(server.Transport.Input, 5, cts.Token);
        await PipeHelpers.WriteAsync(server.Transport.Output, received.ToUpperInvariant(), cts.Token);

        Assert.Equal("HELLO", await PipeHelpers.ReadExactlyAsync(client.Transport.Input, 5, cts.Token));
    }

    [Fact]
    public async Task ListenAsync_PortZero_AssignsPort()
    {
        using var cts = TestTimeout.Create();
        await using IStreamListener listener = await Network.ListenAsync(ListenEndPoint, cts.Token);

        Assert.NotEqual(0, listener.LocalEndPoint.Port);
    }

    [Fact]
    public async Task ListenAsync_PortInUse_ThrowsAddressInUse()
    {
        using var cts = TestTimeout.Create();
        await using IStreamListener listener = await Network.ListenAsync(ListenEndPoint, cts.Token);

        var ex = await Assert.ThrowsAsync<TransportBindException>(async () => await Network.ListenAsync(listener.LocalEndPoint, cts.Token));
        Assert.Equal(BindFailureReason.AddressInUse, ex.Reason);
    }

    [Fact]
    public async Task AcceptAsync_ListenerDisposedDuringWait_ReturnsNull()
    {
        using var cts = TestTimeout.Create();
        IStreamListener listener = await Network.ListenAsync(ListenEndPoint, cts.Token);
        ValueTask<IStreamConnection?> accepting = listener.AcceptAsync(cts.Token);

        await listener.DisposeAsync();

        Assert.Null(await accepting);
        Assert.Null(await listener.AcceptAsync(cts.Token));
    }

    [Fact]
    public async Task AcceptAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var cts = TestTimeout.Create();
        await using IStreamListener listener = await Network.ListenAsync(ListenEndPoint, cts.Token);
        using var cancel = new CancellationTokenSource();
        ValueTask<IStreamConnection?> accepting = listener.AcceptAsync(cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await accepting);
    }

    [Fact]
    public async Task ConnectAsync_NobodyListening_ThrowsRefused()
    {
        using var cts = TestTimeout.Create();
        IPEndPoint closed;
        await using (IStreamListener listener = await Network.ListenAsync(ListenEndPoint, cts.Token))
        {
            closed = listener.LocalEndPoint;
        }

        var ex = await Assert.ThrowsAsync<TransportConnectException>(async () => await Network.ConnectAsync(closed, cts.Token));

        Assert.Equal(ConnectFailureReason.Refused, ex.Reason);
        Assert.Equal(System.Net.Sockets.SocketError.ConnectionRefused, ex.SocketError);
        Assert.Equal(closed, ex.Endpoint);
    }

    [Fact]
    public async Task DisposeAsync_GracefulClose_PeerReadCompletesAfterData()
    {
        using var cts = TestTimeout.Create();
        await using IStreamListener listener = await Network.ListenAsync(ListenEndPoint, cts.Token);
        ValueTask<IStreamConnection?> accepting = listener.AcceptAsync(cts.Token);
        IStreamConnection client = await Network.ConnectAsync(listener.LocalEndPoint, cts.Token);
        await using IStreamConnection server = (await accepting)!;

        await PipeHelpers.WriteAsync(client.Transport.Output, "bye", cts.Token);
        await client.DisposeAsync();

        Assert.Equal(3, await PipeHelpers.ReadToEndAsync(server.Transport.Input, cts.Token));
    }

    [Fact]
    public async Task Abort_PeerReadThrowsIOException()
    {
        using var cts = TestTimeout.Create();
        await using var pair = await ConnectPairAsync(cts.Token);
        var (client, server) = (pair.Client, pair.Server);
        Task<long> reading = PipeHelpers.ReadToEndAsync(server.Transport.Input, cts.Token);

        client.Abort();

        await Assert.ThrowsAsync<IOException>(() => reading);
    }

    [Fact]
    public async Task Abort_PendingLocalReadThrowsIOException()
    {
        using var cts = TestTimeout.Create();
        await using var pair = await ConnectPairAsync(cts.Token);
        var client = pair.Client;
        Task<long> reading = PipeHelpers.ReadToEndAsync(client.Transport.Input, cts.Token);

        client.Abort();
        client.Abort(); // idempotent

        await Assert.ThrowsAsync<IOException>(() => reading);
    }
}
