using System.Net;
using Microsoft.Extensions.Time.Testing;
using NetBios.Testing;
using NetBios.Transport;
using Xunit;

namespace NetBios.Tests.Transport;

public sealed class InMemoryNetworkDatagramTests
{
    private static readonly IPAddress A = IPAddress.Parse("192.168.1.1");
    private static readonly IPAddress B = IPAddress.Parse("192.168.1.2");
    private static readonly IPAddress C = IPAddress.Parse("192.168.1.3");
    private static readonly IPAddress Other = IPAddress.Parse("10.0.0.1");
    private static readonly IPEndPoint SubnetBroadcast = new(IPAddress.Parse("192.168.1.255"), 137);

    private readonly FakeTimeProvider _time = new();
    private readonly InMemoryNetwork _net;

    public InMemoryNetworkDatagramTests()
    {
        _net = new InMemoryNetwork(_time);
        _net.AddSegment(IPAddress.Parse("192.168.1.0"), 24);
        _net.AddSegment(IPAddress.Parse("10.0.0.0"), 8);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(byte[] Data, IPEndPoint From)> ReceiveAsync(InMemoryDatagramTransport transport)
    {
        var buffer = new byte[1024];
        DatagramReceiveResult result = await transport.ReceiveFromAsync(buffer, Ct);
        return (buffer[..result.Length], result.RemoteEndPoint);
    }

    [Fact]
    public async Task SendToAsync_Unicast_DeliversToBoundTransportOnly()
    {
        await using var a = _net.CreateDatagramTransport(A, 137);
        await using var b = _net.CreateDatagramTransport(B, 137);
        await using var c = _net.CreateDatagramTransport(C, 137);

        await a.SendToAsync(new byte[] { 1, 2 }, new IPEndPoint(B, 137), Ct);

        var (data, from) = await ReceiveAsync(b);
        Assert.Equal(new byte[] { 1, 2 }, data);
        Assert.Equal(new IPEndPoint(A, 137), from);
        Assert.Equal(0, c.QueuedCount);
        Assert.Equal(0, a.QueuedCount);
    }

    [Fact]
    public async Task SendToAsync_UnicastToWrongPortOrUnknownAddress_Vanishes()
    {
        await using var a = _net.CreateDatagramTransport(A, 137);
        await using var b = _net.CreateDatagramTransport(B, 137);

        await a.SendToAsync(new byte[] { 1 }, new IPEndPoint(B, 138), Ct);
        await a.SendToAsync(new byte[] { 1 }, new IPEndPoint(IPAddress.Parse("192.168.1.99"), 137), Ct);

        Assert.Equal(0, b.QueuedCount);
        Assert.Equal(2, _net.Traffic.Count);
    }

    [Fact]
    public async Task SendToAsync_SubnetBroadcast_ReachesEveryHostOnPortIncludingSender()
    {
        await using var a = _net.CreateDatagramTransport(A, 137);
        await using var b = _net.CreateDatagramTransport(B, 137);
        await using var c = _net.GetHost(C).CreateDatagramTransport(137); // bound to 0.0.0.0
        await using var bOtherPort = _net.CreateDatagramTransport(B, 138);

        await a.SendToAsync(new byte[] { 42 }, SubnetBroadcast, Ct);

        Assert.Equal(new byte[] { 42 }, (await ReceiveAsync(a)).Data);
        Assert.Equal(new IPEndPoint(A, 137), (await ReceiveAsync(b)).From);
        Assert.Equal(new byte[] { 42 }, (await ReceiveAsync(c)).Data);
        Assert.Equal(0, bOtherPort.QueuedCount);
    }

    [Fact]
    public async Task SendToAsync_LimitedBroadcast_StaysOnSendersSegment()
    {
        await using var a = _net.CreateDatagramTransport(A, 137);
        await using var b = _net.CreateDatagramTransport(B, 137);
        await using var other = _net.CreateDatagramTransport(Other, 137);

        await a.SendToAsync(new byte[] { 1 }, new IPEndPoint(IPAddress.Broadcast, 137), Ct);

        Assert.Equal(1, b.QueuedCount);
        Assert.Equal(1, a.QueuedCount);
        Assert.Equal(0, other.QueuedCount);
    }

    [Fact]
    public async Task SendToAsync_AcrossSegments_NotDelivered()
    {
        await using var a = _net.CreateDatagramTransport(A, 137);
        await using var other = _net.CreateDatagramTransport(Other, 137);

        await a.SendToAsync(new byte[] { 1 }, new IPEndPoint(Other, 137), Ct);
        await a.SendToAsync(new byte[] { 1 }, new IPEndPoint(IPAddress.Parse("10.255.255.255"), 137), Ct);

        Assert.Equal(0, other.QueuedCount);
    }

    [Fact]
    public async Task SendToAsync_LoopBackBroadcastsOff_SenderHostDoesNotReceive()
    {
        _net.LoopBackBroadcasts = false;
        await using var a = _net.CreateDatagramTransport(A, 137);
        await using var b = _net.CreateDatagramTransport(B, 137);

        await a.SendToAsync(new byte[] { 1 }, SubnetBroadcast, Ct);

        Assert.Equal(0, a.QueuedCount);
        Assert.Equal(1, b.QueuedCount);
    }

    [Fact]
    public async Task SendToAsync_MultiHomedWildcardHost_ReceivesBroadcastOnEachSegmentOnce()
    {
        InMemoryHost multi = _net.AddHost(IPAddress.Parse("192.168.1.50"), IPAddress.Parse("10.0.0.50"));
        await using var m = multi.CreateDatagramTransport(137);
        await using var a = _net.CreateDatagramTransport(A, 137);
        await using var other = _net.CreateDatagramTransport(Other, 137);

        await a.SendToAsync(new byte[] { 1 }, new IPEndPoint(IPAddress.Broadcast, 137), Ct);
        await other.SendToAsync(new byte[] { 2 }, new IPEndPoint(IPAddress.Parse("10.255.255.255"), 137), Ct);
        await m.SendToAsync(new byte[] { 3 }, new IPEndPoint(Other, 137), Ct);

        Assert.Equal(2, m.QueuedCount);
        Assert.Equal(new IPEndPoint(Other, 137), (await ReceiveAsync(other)).From); // its own broadcast, looped back
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.50"), 137), (await ReceiveAsync(other)).From); // source on that segment
    }

    [Fact]
    public async Task DeliveryFilter_Drop_DatagramLostButRecorded()
    {
        _net.DeliveryFilter = (_, _) => DeliveryDecision.Drop;
        await using var a = _net.CreateDatagramTransport(A, 137);
        await using var b = _net.CreateDatagramTransport(B, 137);

        await a.SendToAsync(new byte[] { 1 }, new IPEndPoint(B, 137), Ct);

        Assert.Equal(0, b.QueuedCount);
        InMemoryDatagram sent = Assert.Single(_net.Traffic);
        Assert.Equal(new IPEndPoint(A, 137), sent.Source);
        Assert.Equal(new IPEndPoint(B, 137), sent.Destination);
    }

    [Fact]
    public async Task DeliveryFilter_Duplicate_TwoCopiesArrive()
    {
        _net.DeliveryFilter = (_, _) => DeliveryDecision.Duplicate;
        await using var a = _net.CreateDatagramTransport(A, 137);
        await using var b = _net.CreateDatagramTransport(B, 137);

        await a.SendToAsync(new byte[] { 5 }, new IPEndPoint(B, 137), Ct);

        Assert.Equal(new byte[] { 5 }, (await ReceiveAsync(b)).Data);
        Assert.Equal(new byte[] { 5 }, (await ReceiveAsync(b)).Data);
        Assert.Equal(0, b.QueuedCount);
    }

    [Fact]
    public async Task DeliveryFilter_Delay_ArrivesWhenFakeTimeAdvances()
    {
        _net.DeliveryFilter = (_, _) => DeliveryDecision.Delayed(TimeSpan.FromMilliseconds(250));
        await using var a = _net.CreateDatagramTransport(A, 137);
        await using var b = _net.CreateDatagramTransport(B, 137);

        await a.SendToAsync(new byte[] { 1 }, new IPEndPoint(B, 137), Ct);
        ValueTask<DatagramReceiveResult> pending = b.ReceiveFromAsync(new byte[8], Ct);

        _time.Advance(TimeSpan.FromMilliseconds(249));
        Assert.False(pending.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        DatagramReceiveResult result = await pending;
        Assert.Equal(1, result.Length);
    }

    [Fact]
    public async Task DeliveryFilter_PerReceiver_DropsOnlyForThatHost()
    {
        _net.DeliveryFilter = (_, receiver) => receiver.Host.Addresses[0].Equals(C) ? DeliveryDecision.Drop : DeliveryDecision.Deliver;
        await using var a = _net.CreateDatagramTransport(A, 137);
        await using var b = _net.CreateDatagramTransport(B, 137);
        await using var c = _net.CreateDatagramTransport(C, 137);

        await a.SendToAsync(new byte[] { 1 }, SubnetBroadcast, Ct);

        Assert.Equal(1, b.QueuedCount);
        Assert.Equal(0, c.QueuedCount);
    }

    [Fact]
    public async Task Enqueue_QueueFull_DropsAndCounts()
    {
        _net.ReceiveQueueCapacity = 2;
        await using var a = _net.CreateDatagramTransport(A, 137);
        await using var b = _net.CreateDatagramTransport(B, 137);

        for (int i = 0; i < 5; i++)
        {
            await a.SendToAsync(new byte[] { (byte)i }, new IPEndPoint(B, 137), Ct);
        }

        Assert.Equal(2, b.QueuedCount);
        Assert.Equal(3, b.DroppedCount);
        Assert.Equal(3, _net.QueueDropCount);
        Assert.Equal(new byte[] { 0 }, (await ReceiveAsync(b)).Data); // the oldest ones are kept
    }

    [Fact]
    public async Task IsUnplugged_NothingInOrOut()
    {
        await using var a = _net.CreateDatagramTransport(A, 137);
        await using var b = _net.CreateDatagramTransport(B, 137);
        b.Host.IsUnplugged = true;

        await a.SendToAsync(new byte[] { 1 }, new IPEndPoint(B, 137), Ct);
        await b.SendToAsync(new byte[] { 1 }, new IPEndPoint(A, 137), Ct);
        Assert.Equal(0, b.QueuedCount);
        Assert.Equal(0, a.QueuedCount);

        b.Host.IsUnplugged = false;
        await a.SendToAsync(new byte[] { 1 }, new IPEndPoint(B, 137), Ct);
        Assert.Equal(1, b.QueuedCount);
    }

    [Fact]
    public async Task ReceiveFromAsync_SmallBuffer_Truncates()
    {
        await using var a = _net.CreateDatagramTransport(A, 137);
        await using var b = _net.CreateDatagramTransport(B, 137);

        await a.SendToAsync(new byte[] { 1, 2, 3, 4 }, new IPEndPoint(B, 137), Ct);
        var buffer = new byte[2];
        DatagramReceiveResult result = await b.ReceiveFromAsync(buffer, Ct);

        Assert.Equal(2, result.Length);
        Assert.Equal(new byte[] { 1, 2 }, buffer);
    }

    [Fact]
    public async Task ReceiveFromAsync_ZeroLengthDatagram_ReturnsZero()
    {
        await using var a = _net.CreateDatagramTransport(A, 137);
        await using var b = _net.CreateDatagramTransport(B, 137);

        await a.SendToAsync(ReadOnlyMemory<byte>.Empty, new IPEndPoint(B, 137), Ct);

        Assert.Equal(0, (await b.ReceiveFromAsync(new byte[4], Ct)).Length);
    }

    [Fact]
    public async Task CreateDatagramTransport_SameAddressAndPort_ThrowsAddressInUse()
    {
        await using var a = _net.CreateDatagramTransport(A, 137);

        var ex = Assert.Throws<TransportBindException>(() => _net.CreateDatagramTransport(A, 137));
        Assert.Equal(BindFailureReason.AddressInUse, ex.Reason);
        Assert.Throws<TransportBindException>(() => a.Host.CreateDatagramTransport(137));
    }

    [Fact]
    public async Task CreateDatagramTransport_AfterDispose_PortIsFreeAgain()
    {
        var a = _net.CreateDatagramTransport(A, 137);
        await a.DisposeAsync();

        await using var again = _net.CreateDatagramTransport(A, 137);
        Assert.Equal(137, again.LocalEndPoint.Port);
    }

    [Fact]
    public async Task CreateDatagramTransport_PortZero_AssignsEphemeralPorts()
    {
        await using var a = _net.CreateDatagramTransport(A, 0);
        await using var b = _net.CreateDatagramTransport(A, 0);

        Assert.InRange(a.LocalEndPoint.Port, 49152, 65535);
        Assert.NotEqual(a.LocalEndPoint.Port, b.LocalEndPoint.Port);
    }

    [Fact]
    public void CreateDatagramTransport_AddressOnNoSegment_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => _net.CreateDatagramTransport(IPAddress.Parse("172.16.0.1"), 137));
    }

    [Fact]
    public async Task ReceiveFromAsync_DisposedDuringWait_ThrowsObjectDisposed()
    {
        var b = _net.CreateDatagramTransport(B, 137);
        ValueTask<DatagramReceiveResult> pending = b.ReceiveFromAsync(new byte[4], Ct);

        await b.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await pending);
    }

    [Fact]
    public async Task Traffic_RecordsSendsInOrderWithTimestamps()
    {
        await using var a = _net.CreateDatagramTransport(A, 137);
        DateTimeOffset start = _time.GetUtcNow();

        await a.SendToAsync(new byte[] { 1 }, new IPEndPoint(B, 137), Ct);
        _time.Advance(TimeSpan.FromSeconds(1));
        await a.SendToAsync(new byte[] { 2 }, SubnetBroadcast, Ct);

        IReadOnlyList<InMemoryDatagram> traffic = _net.Traffic;
        Assert.Equal(2, traffic.Count);
        Assert.Equal([1L, 2L], traffic.Select(d => d.Sequence));
        Assert.Equal(start.AddSeconds(1), traffic[1].Timestamp);
        Assert.Equal(new byte[] { 2 }, traffic[1].Data.ToArray());
        _net.ClearTraffic();
        Assert.Empty(_net.Traffic);
    }

    [Fact]
    public void InMemorySegment_BroadcastAddress_Derived()
    {
        InMemorySegment segment = _net.AddSegment(IPAddress.Parse("172.16.5.9"), 16);

        Assert.Equal(IPAddress.Parse("172.16.0.0"), segment.NetworkAddress);
        Assert.Equal(IPAddress.Parse("172.16.255.255"), segment.BroadcastAddress);
        Assert.Equal("172.16.0.0/16", segment.ToString());
    }
}
