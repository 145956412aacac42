using System.Net;
using System.Net.Sockets;
using NetBios.Transport;
using Xunit;

namespace NetBios.Tests.Transport;

/// <summary>
/// The Linux fast path of <see cref="UdpDatagramTransport"/>: blocking recvmsg with IP_PKTINFO (the local address a
/// datagram was sent to) and sendmsg with an IP_PKTINFO source (issue 14 (b), issue 18). Loopback only: all of
/// 127.0.0.0/8 is local on Linux, so a datagram to 127.0.0.3 shows the multi-homed case without a namespace (routing
/// alone would answer it from 127.0.0.1).
/// </summary>
public sealed class UdpReceiveThreadTests
{
    private static readonly IPAddress Third = IPAddress.Parse("127.0.0.3");

    private static UdpDatagramTransport BindAny() => UdpDatagramTransport.Bind(new UdpTransportOptions { Address = IPAddress.Any, Port = 0 });

    private static Socket Client(IPAddress address)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address, 0));
        return socket;
    }

    [Fact]
    public async Task ReceiveBlocking_ReportsTheLocalAddressTheDatagramWasSentTo()
    {
        Assert.SkipUnless(LinuxUdp.IsSupported, "IP_PKTINFO receive path: 64-bit Linux only.");
        await using var transport = BindAny();
        using var client = Client(IPAddress.Loopback);

        await client.SendToAsync(new byte[] { 1, 2, 3 }, new IPEndPoint(Third, transport.LocalEndPoint.Port), TestContext.Current.CancellationToken);
        var batch = new UdpMessageBatch(1, 64);
        var status = transport.ReceiveBlocking(batch);
        var result = batch.Result(0);

        Assert.Equal(BlockingReceiveStatus.Datagram, status);
        Assert.Equal(3, result.Length);
        Assert.Equal(new byte[] { 1, 2, 3 }, batch.Datagram(0).ToArray());
        Assert.Equal(client.LocalEndPoint, result.RemoteEndPoint);
        Assert.Equal(Third, result.LocalAddress);
    }

    [Fact]
    public async Task SendToAsync_WithSource_LeavesFromThatAddress_WithoutItFromTheRoutesAddress()
    {
        Assert.SkipUnless(LinuxUdp.IsSupported, "IP_PKTINFO send path: 64-bit Linux only.");
        using var cts = TestTimeout.Create();
        await using var transport = BindAny();
        using var client = Client(IPAddress.Loopback);
        var buffer = new byte[64];

        await transport.SendToAsync(new byte[] { 7 }, (IPEndPoint)client.LocalEndPoint!, Third, cts.Token);
        var withSource = await client.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), cts.Token);
        await transport.SendToAsync(new byte[] { 8 }, (IPEndPoint)client.LocalEndPoint!, cts.Token);
        var routed = await client.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), cts.Token);

        Assert.Equal(new IPEndPoint(Third, transport.LocalEndPoint.Port), withSource.RemoteEndPoint);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, transport.LocalEndPoint.Port), routed.RemoteEndPoint);
    }

    [Fact]
    public async Task SendToAsync_SourceNotLocal_FallsBackToTheRoutesAddress()
    {
        Assert.SkipUnless(LinuxUdp.IsSupported, "IP_PKTINFO send path: 64-bit Linux only.");
        using var cts = TestTimeout.Create();
        await using var transport = BindAny();
        using var client = Client(IPAddress.Loopback);
        var buffer = new byte[64];

        // 192.0.2.1 (TEST-NET-1) is not an address of this host: the kernel refuses it as a source; the datagram
        // still goes, from the address routing picks.
        await transport.SendToAsync(new byte[] { 9 }, (IPEndPoint)client.LocalEndPoint!, IPAddress.Parse("192.0.2.1"), cts.Token);
        var received = await client.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), cts.Token);

        Assert.Equal(1, received.ReceivedBytes);
    }

    [Fact]
    public async Task ReceiveBlocking_AfterDispose_ReportsClosed_AndDisposeWakesABlockedReceive()
    {
        Assert.SkipUnless(LinuxUdp.IsSupported, "Blocking receive path: 64-bit Linux only.");
        var transport = BindAny();
        var blocked = Task.Factory.StartNew(() => transport.ReceiveBlocking(new UdpMessageBatch(1, 64)), TestContext.Current.CancellationToken,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);

        await transport.DisposeAsync();
        var status = await blocked.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        Assert.Equal(BlockingReceiveStatus.Closed, status);
        Assert.Equal(BlockingReceiveStatus.Closed, transport.ReceiveBlocking(new UdpMessageBatch(1, 64)));
    }

    [Fact]
    public async Task ReceiveThread_StopsWhenCancelled_TransportStaysUsable()
    {
        Assert.SkipUnless(LinuxUdp.IsSupported, "Receive thread: 64-bit Linux only.");
        using var cts = TestTimeout.Create();
        await using var transport = BindAny();
        using var stopping = new CancellationTokenSource();
        int handled = 0;
        var loop = DatagramReceiveLoop.StartThread(transport, 576, (_, _, _) => { Interlocked.Increment(ref handled); return ValueTask.CompletedTask; },
            _ => { }, TimeProvider.System, "test receive thread", stopping.Token);
        using var client = Client(IPAddress.Loopback);
        await client.SendToAsync(new byte[] { 1 }, new IPEndPoint(IPAddress.Loopback, transport.LocalEndPoint.Port), cts.Token);
        while (Volatile.Read(ref handled) == 0)
        {
            await Task.Delay(5, cts.Token);
        }

        await stopping.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(5), cts.Token);

        await transport.SendToAsync(new byte[] { 2 }, (IPEndPoint)client.LocalEndPoint!, cts.Token);
        var received = await client.ReceiveFromAsync(new byte[8], new IPEndPoint(IPAddress.Any, 0), cts.Token);
        Assert.Equal(1, received.ReceivedBytes);
        Assert.Equal(1, Volatile.Read(ref handled));
    }

    [Fact]
    public async Task ReceiveThread_HandlerThatThrowsOrCompletesLater_DoesNotEndTheLoop()
    {
        Assert.SkipUnless(LinuxUdp.IsSupported, "Receive thread: 64-bit Linux only.");
        using var cts = TestTimeout.Create();
        await using var transport = BindAny();
        using var stopping = new CancellationTokenSource();
        var seen = new List<byte>();
        var errors = new List<Exception>();
        var loop = DatagramReceiveLoop.StartThread(transport, 576, async (data, _, _) =>
        {
            byte first = data.Span[0];
            lock (seen)
            {
                seen.Add(first);
            }

            if (first == 1)
            {
                throw new InvalidOperationException("a bug in one handler");
            }

            if (first == 2)
            {
                await Task.Yield(); // completes on another thread: the receive thread waits for it
            }
        }, ex => { lock (errors) { errors.Add(ex); } }, TimeProvider.System, "test receive thread", stopping.Token);
        using var client = Client(IPAddress.Loopback);
        var target = new IPEndPoint(IPAddress.Loopback, transport.LocalEndPoint.Port);
        foreach (byte b in new byte[] { 1, 2, 3 })
        {
            await client.SendToAsync(new[] { b }, target, cts.Token);
        }

        while (true)
        {
            lock (seen)
            {
                if (seen.Count == 3)
                {
                    break;
                }
            }

            await Task.Delay(5, cts.Token);
        }

        await stopping.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(5), cts.Token);
        Assert.Equal(new byte[] { 1, 2, 3 }, seen);
        Assert.Single(errors);
    }

    [Fact]
    public async Task ReceiveBlockingAndAnswerWithSource_AllocateNothing()
    {
        Assert.SkipUnless(LinuxUdp.IsSupported, "IP_PKTINFO paths: 64-bit Linux only.");
        using var cts = TestTimeout.Create();
        await using var transport = BindAny();
        using var client = Client(IPAddress.Loopback);
        var target = new IPEndPoint(Third, transport.LocalEndPoint.Port);
        var batch = new UdpMessageBatch(1, 576);
        var answer = new byte[62];
        var reply = new byte[64];
        var any = new IPEndPoint(IPAddress.Any, 0);

        long allocated = 0;
        for (int round = 0; round < 2; round++)
        {
            // Round 0 warms up (sender and local-address caches, JIT); round 1 is measured.
            for (int i = 0; i < 50; i++)
            {
                client.SendTo(answer, target);
            }

            int failures = 0;
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 50; i++)
            {
                failures += transport.ReceiveBlocking(batch) == BlockingReceiveStatus.Datagram ? 0 : 1;
                var result = batch.Result(0);
                var pending = transport.SendToAsync(answer.AsMemory(0, result.Length), result.RemoteEndPoint, result.LocalAddress, cts.Token);
                failures += pending.IsCompletedSuccessfully ? 0 : 1;
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(0, failures);
            for (int i = 0; i < 50; i++)
            {
                EndPoint from = any;
                client.ReceiveFrom(reply, ref from);
            }
        }

        Assert.Equal(0, allocated);
    }
}
