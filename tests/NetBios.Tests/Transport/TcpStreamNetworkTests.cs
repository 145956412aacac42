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

    /// <summary>Issue 18: the socket-native writer keeps what is written across growing buffers and sends it in one flush.</summary>
    [Fact]
    public async Task Output_WritesAcrossGrowingBuffers_ArriveInOrder()
    {
        using var cts = TestTimeout.Create();
        await using var pair = await ConnectPairAsync(cts.Token);
        var output = pair.Client.Transport.Output;
        byte[] expected = new byte[3 + 70_000 + 200_000];
        new Random(18).NextBytes(expected);
        int at = 0;
        foreach (int size in new[] { 3, 70_000, 200_000 })
        {
            expected.AsSpan(at, size).CopyTo(output.GetSpan(size));
            output.Advance(size);
            at += size;
        }

        Assert.Equal(expected.Length, output.UnflushedBytes);
        var reading = ReadBytesAsync(pair.Server.Transport.Input, expected.Length, cts.Token);
        var flush = await output.FlushAsync(cts.Token);
        Assert.False(flush.IsCompleted);
        Assert.Equal(0, output.UnflushedBytes);
        Assert.Equal(expected, await reading);
    }

    [Fact]
    public async Task Output_AfterComplete_ThrowsInvalidOperation()
    {
        using var cts = TestTimeout.Create();
        await using var pair = await ConnectPairAsync(cts.Token);
        var output = pair.Client.Transport.Output;
        await output.CompleteAsync();

        Assert.Throws<InvalidOperationException>(() => output.GetSpan(10));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await output.FlushAsync(cts.Token));
    }

    [Fact]
    public async Task Output_FlushAfterAbort_ThrowsIOException()
    {
        using var cts = TestTimeout.Create();
        await using var pair = await ConnectPairAsync(cts.Token);
        var output = pair.Client.Transport.Output;
        pair.Client.Abort();

        output.GetSpan(10)[..10].Fill(1);
        output.Advance(10);
        await Assert.ThrowsAsync<IOException>(async () => await output.FlushAsync(cts.Token));
    }

    private static async Task<byte[]> ReadBytesAsync(System.IO.Pipelines.PipeReader input, int count, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            if (result.Buffer.Length >= count)
            {
                byte[] bytes = System.Buffers.BuffersExtensions.ToArray(result.Buffer.Slice(0, count));
                input.AdvanceTo(result.Buffer.GetPosition(count));
                return bytes;
            }

            Assert.False(result.IsCompleted, "the stream ended early");
            input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }
}
