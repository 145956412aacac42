using System.Net;
using NetBios.Transport;
using Xunit;

namespace NetBios.Tests.Transport;

public sealed class UdpDatagramTransportTests
{
    private static UdpDatagramTransport BindLoopback() =>
        UdpDatagramTransport.Bind(new UdpTransportOptions { Address = IPAddress.Loopback, Port = 0 });

    [Fact]
    public async Task SendToAsync_Loopback_ReceiverGetsBytesAndSender()
    {
        using var cts = TestTimeout.Create();
        await using var a = BindLoopback();
        await using var b = BindLoopback();

        await a.SendToAsync(new byte[] { 1, 2, 3 }, b.LocalEndPoint, cts.Token);
        var buffer = new byte[576];
        DatagramReceiveResult result = await b.ReceiveFromAsync(buffer, cts.Token);

        Assert.Equal(3, result.Length);
        Assert.Equal(new byte[] { 1, 2, 3 }, buffer[..3]);
        Assert.Equal(a.LocalEndPoint, result.RemoteEndPoint);
    }

    [Fact]
    public async Task Bind_PortZero_LocalEndPointHasAssignedPort()
    {
        await using var a = BindLoopback();

        Assert.Equal(IPAddress.Loopback, a.LocalEndPoint.Address);
        Assert.NotEqual(0, a.LocalEndPoint.Port);
    }

    [Fact]
    public async Task ReceiveFromAsync_DatagramLongerThanBuffer_IsTruncated()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Windows reports oversized datagrams as errors; the transport skips them there.");
        using var cts = TestTimeout.Create();
        await using var a = BindLoopback();
        await using var b = BindLoopback();
        byte[] payload = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();

        await a.SendToAsync(payload, b.LocalEndPoint, cts.Token);
        var buffer = new byte[10];
        DatagramReceiveResult result = await b.ReceiveFromAsync(buffer, cts.Token);

        Assert.Equal(10, result.Length);
        Assert.Equal(payload[..10], buffer);
    }

    [Fact]
    public async Task Bind_Defaults_EnableBroadcast()
    {
        await using var a = BindLoopback();

        Assert.True(a.Socket.EnableBroadcast);
    }

    [Fact]
    public async Task Bind_EnableBroadcastFalse_BroadcastOff()
    {
        await using var a = UdpDatagramTransport.Bind(new UdpTransportOptions { Address = IPAddress.Loopback, Port = 0, EnableBroadcast = false });

        Assert.False(a.Socket.EnableBroadcast);
    }

    [Fact]
    public void UdpTransportOptions_Defaults_AreDocumentedValues()
    {
        var options = new UdpTransportOptions();

        Assert.Equal(IPAddress.Any, options.Address);
        Assert.Equal(137, options.Port);
        Assert.True(options.EnableBroadcast);
        Assert.False(options.ReuseAddress);
        Assert.Null(options.ReceiveBufferSize);
    }

    [Fact]
    public async Task ReceiveFromAsync_AfterSendToClosedPort_KeepsWorking()
    {
        // docs/RELIABILITY.md §3.2: an ICMP port unreachable must not kill the receive loop (dotnet/corefx#33049, sipsorcery#1517).
        using var cts = TestTimeout.Create();
        await using var a = BindLoopback();
        await using var b = BindLoopback();
        IPEndPoint closed;
        await using (var gone = BindLoopback())
        {
            closed = gone.LocalEndPoint;
        }

        var buffer = new byte[64];
        for (int i = 0; i < 3; i++)
        {
            await a.SendToAsync(new byte[] { 9 }, closed, cts.Token); // provokes ICMP port unreachable
            await b.SendToAsync(new byte[] { (byte)i }, a.LocalEndPoint, cts.Token);
            DatagramReceiveResult result = await a.ReceiveFromAsync(buffer, cts.Token);
            Assert.Equal(1, result.Length);
            Assert.Equal((byte)i, buffer[0]);
        }
    }

    [Fact]
    public async Task ReceiveFromAsync_ZeroLengthDatagram_ReturnsZeroAndNextArrives()
    {
        // Samba CVE-2020-14303: an empty UDP packet made nmbd spin; it must be an ordinary 0-byte datagram.
        using var cts = TestTimeout.Create();
        await using var a = BindLoopback();
        await using var b = BindLoopback();
        var buffer = new byte[64];

        await a.SendToAsync(ReadOnlyMemory<byte>.Empty, b.LocalEndPoint, cts.Token);
        await a.SendToAsync(new byte[] { 7, 7 }, b.LocalEndPoint, cts.Token);

        DatagramReceiveResult empty = await b.ReceiveFromAsync(buffer, cts.Token);
        DatagramReceiveResult next = await b.ReceiveFromAsync(buffer, cts.Token);

        Assert.Equal(0, empty.Length);
        Assert.Equal(a.LocalEndPoint, empty.RemoteEndPoint);
        Assert.Equal(2, next.Length);
    }

    [Fact]
    public async Task Bind_PortInUse_ThrowsTransportBindExceptionAddressInUse()
    {
        await using var a = BindLoopback();

        var ex = Assert.Throws<TransportBindException>(() =>
            UdpDatagramTransport.Bind(new UdpTransportOptions { Address = IPAddress.Loopback, Port = a.LocalEndPoint.Port }));

        Assert.Equal(BindFailureReason.AddressInUse, ex.Reason);
        Assert.Equal(a.LocalEndPoint, ex.Endpoint);
        Assert.Equal($"UDP 127.0.0.1:{a.LocalEndPoint.Port} is in use", ex.Message);
    }

    [Fact]
    public async Task ReceiveFromAsync_DisposedDuringWait_ThrowsObjectDisposed()
    {
        using var cts = TestTimeout.Create();
        var a = BindLoopback();
        ValueTask<DatagramReceiveResult> pending = a.ReceiveFromAsync(new byte[16], cts.Token);

        await a.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await pending);
    }

    [Fact]
    public async Task ReceiveFromAsync_Cancelled_ThrowsOperationCanceled()
    {
        await using var a = BindLoopback();
        using var cts = new CancellationTokenSource();
        ValueTask<DatagramReceiveResult> pending = a.ReceiveFromAsync(new byte[16], cts.Token);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pending);
    }

    [Fact]
    public async Task SendToAsync_AfterDispose_ThrowsObjectDisposed()
    {
        var a = BindLoopback();
        await a.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(
            async () => await a.SendToAsync(new byte[1], new IPEndPoint(IPAddress.Loopback, 9), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task SendToAsync_IPv6OrPortZero_ThrowsArgumentException()
    {
        await using var a = BindLoopback();
        CancellationToken ct = TestContext.Current.CancellationToken;

        await Assert.ThrowsAsync<ArgumentException>(async () => await a.SendToAsync(new byte[1], new IPEndPoint(IPAddress.IPv6Loopback, 9), ct));
        await Assert.ThrowsAsync<ArgumentException>(async () => await a.SendToAsync(new byte[1], new IPEndPoint(IPAddress.Loopback, 0), ct));
    }

    [Fact]
    public async Task ReceiveFromAsync_SamePeerTwice_EndpointsEqual()
    {
        using var cts = TestTimeout.Create();
        await using var a = BindLoopback();
        await using var b = BindLoopback();
        var buffer = new byte[8];

        await a.SendToAsync(new byte[1], b.LocalEndPoint, cts.Token);
        await a.SendToAsync(new byte[1], b.LocalEndPoint, cts.Token);
        var first = await b.ReceiveFromAsync(buffer, cts.Token);
        var second = await b.ReceiveFromAsync(buffer, cts.Token);

        Assert.Equal(first.RemoteEndPoint, second.RemoteEndPoint);
    }
}
