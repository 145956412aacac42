using System.Net;
using NetBios.Transport;
using Xunit;

namespace NetBios.Tests.Transport;

public sealed class TcpStreamNetworkTests : StreamNetworkTestsBase
{
    protected override IStreamNetwork Network { get; } = new TcpStreamNetwork();

    protected override IPEndPoint ListenEndPoint => new(IPAddress.Loopback, 0);

    [Fact]
    public void TcpStreamOptions_Defaults_FollowReliabilityGuide()
    {
        var options = new TcpStreamOptions();

        Assert.True(options.NoDelay);
        Assert.True(options.KeepAlive);
        Assert.Equal(TimeSpan.FromSeconds(60), options.KeepAliveTime);
        Assert.Equal(TimeSpan.FromSeconds(10), options.KeepAliveInterval);
        Assert.Equal(5, options.KeepAliveRetryCount);
    }

    /// <summary>
    /// An abort that loses the race with the connection's own disposal (the session ending on its own at that moment)
    /// finds the socket closed: it is then a no-op, not an <see cref="ObjectDisposedException"/> (seen once in CI).
    /// </summary>
    [Fact]
    public async Task Abort_AfterTheSocketIsClosed_DoesNotThrow()
    {
        using var cts = TestTimeout.Create();
        await using var pair = await ConnectPairAsync(cts.Token);

        Assert.IsType<TcpStreamConnection>(pair.Client).Socket.Dispose();

        pair.Client.Abort();
    }

    [Fact]
    public async Task ConnectAsync_Accepted_NoDelayAndKeepAliveSet()
    {
        using var cts = TestTimeout.Create();
        await using var pair = await ConnectPairAsync(cts.Token);

        var socket = Assert.IsType<TcpStreamConnection>(pair.Client).Socket;
        Assert.True(socket.NoDelay);
        Assert.Equal(1, (int)socket.GetSocketOption(System.Net.Sockets.SocketOptionLevel.Socket, System.Net.Sockets.SocketOptionName.KeepAlive)!);
        Assert.Equal(60, (int)socket.GetSocketOption(System.Net.Sockets.SocketOptionLevel.Tcp, System.Net.Sockets.SocketOptionName.TcpKeepAliveTime)!);
    }

    [Fact]
    public void Constructor_InvalidOptions_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TcpStreamNetwork(new TcpStreamOptions { KeepAliveRetryCount = 0 }));
    }
}
