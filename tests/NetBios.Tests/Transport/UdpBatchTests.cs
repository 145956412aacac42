using System.Net;
using System.Net.Sockets;
using NetBios.Transport;
using Xunit;

namespace NetBios.Tests.Transport;

/// <summary>
/// The batched Linux fast path of <see cref="UdpDatagramTransport"/> (issue 18, docs/UDP-FAST-PATH.md "Batches"):
/// recvmmsg with MSG_WAITFORONE on the receive thread, the thread's answers queued and sent with one sendmmsg, each
/// with its own IP_PKTINFO source. Loopback only (127.0.0.3 is a second local address on Linux).
/// </summary>
public sealed class UdpBatchTests
{
    private static readonly IPAddress Third = IPAddress.Parse("127.0.0.3");
    private static readonly IPEndPoint Any = new(IPAddress.Any, 0);

    private static UdpDatagramTransport BindAny() => UdpDatagramTransport.Bind(new UdpTransportOptions { Address = IPAddress.Any, Port = 0 });

    private static Socket Client(IPAddress address)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address, 0));
        socket.ReceiveTimeout = 5000;
        return socket;
    }

    /// <summary>Receives until <paramref name="count"/> datagrams came (bounded: the transport's 500 ms receive timeout
    /// makes a receive return, at most 20 receives without a datagram).</summary>
    private static List<(byte First, int Length, IPEndPoint From, IPAddress? Local)> ReceiveAll(UdpDatagramTransport transport, UdpMessageBatch batch, int count, List<int> batchSizes)
    {
        var seen = new List<(byte, int, IPEndPoint, IPAddress?)>();
        for (int idle = 0; seen.Count < count && idle < 20;)
        {
            if (transport.ReceiveBlocking(batch) != BlockingReceiveStatus.Datagram)
            {
                idle++;
                continue;
            }

            batchSizes.Add(batch.Count);
            for (int i = 0; i < batch.Count; i++)
            {
                Assert.True(batch.HasDatagram(i));
                var result = batch.Result(i);
                seen.Add((batch.Datagram(i).Span[0], result.Length, result.RemoteEndPoint, result.LocalAddress));
            }
        }

        return seen;
    }

    [Fact]
    public void ReceiveBatch_TakesTheQueuedDatagrams_EachWithItsSenderAndLocalAddress()
    {
        Assert.SkipUnless(LinuxUdp.IsSupported, "recvmmsg path: 64-bit Linux only.");
        using var transport = new DisposingTransport(BindAny());
        using var client = Client(IPAddress.Loopback);
        int port = transport.Value.LocalEndPoint.Port;
        for (byte b = 1; b <= 10; b++)
        {
            // Loopback delivers within the send call: all ten are queued before the first receive.
            client.SendTo(new byte[b], new IPEndPoint(b % 2 == 0 ? Third : IPAddress.Loopback, port));
        }

        // Datagram b is b bytes long: the lengths tell them apart.
        var batch = new UdpMessageBatch(4, 64);
        var sizes = new List<int>();
        var seen = ReceiveAll(transport.Value, batch, 10, sizes);

        Assert.Equal(10, seen.Count);
        Assert.Equal(Enumerable.Range(1, 10), seen.Select(s => s.Length));
        Assert.All(seen, s => Assert.Equal(client.LocalEndPoint, s.From));
        Assert.Equal(Enumerable.Range(1, 10).Select(b => b % 2 == 0 ? Third : IPAddress.Loopback), seen.Select(s => s.Local));
        Assert.All(sizes, n => Assert.InRange(n, 1, 4));
        Assert.True(sizes.Count < 10, $"one datagram per receive: {string.Join(",", sizes)}");
    }

    [Fact]
    public void ReceiveBatch_DatagramLongerThanASlot_IsTruncatedToTheSlot()
    {
        Assert.SkipUnless(LinuxUdp.IsSupported, "recvmmsg path: 64-bit Linux only.");
        using var transport = new DisposingTransport(BindAny());
        using var client = Client(IPAddress.Loopback);
        client.SendTo(new byte[100], new IPEndPoint(IPAddress.Loopback, transport.Value.LocalEndPoint.Port));
        var batch = new UdpMessageBatch(2, 16);

        var sizes = new List<int>();
        var seen = ReceiveAll(transport.Value, batch, 1, sizes);

        Assert.Equal(16, Assert.Single(seen).Length);
    }

    [Fact]
    public async Task SendBatch_LeavesAtTheEnd_InOrder_EachFromItsOwnSource_ARefusedSourceOnlyForThatOne()
    {
        Assert.SkipUnless(LinuxUdp.IsSupported, "sendmmsg path: 64-bit Linux only.");
        using var transport = new DisposingTransport(BindAny());
        using var client = Client(IPAddress.Loopback);
        var to = (IPEndPoint)client.LocalEndPoint!;
        int port = transport.Value.LocalEndPoint.Port;

        // Each send completes at once, so the test stays on this thread: the batch's.
        transport.Value.BeginSendBatch();
        await transport.Value.SendToAsync(new byte[] { 1 }, to, Third, TestContext.Current.CancellationToken);
        await transport.Value.SendToAsync(new byte[] { 2 }, to, IPAddress.Parse("192.0.2.1"), TestContext.Current.CancellationToken); // not ours
        await transport.Value.SendToAsync(new byte[] { 3, 3 }, to, null, TestContext.Current.CancellationToken);
        await transport.Value.SendToAsync(new byte[] { 4 }, to, Third, TestContext.Current.CancellationToken);
        Assert.Equal(0, client.Available); // queued, not sent
        transport.Value.EndSendBatch();

        var got = new List<(byte, int, IPEndPoint)>();
        var buffer = new byte[64];
        for (int i = 0; i < 4; i++)
        {
            EndPoint from = Any;
            int n = client.ReceiveFrom(buffer, ref from);
            got.Add((buffer[0], n, (IPEndPoint)from));
        }

        Assert.Equal(
            [(1, 1, new IPEndPoint(Third, port)), (2, 1, new IPEndPoint(IPAddress.Loopback, port)),
             (3, 2, new IPEndPoint(IPAddress.Loopback, port)), (4, 1, new IPEndPoint(Third, port))],
            got);
    }

    [Fact]
    public async Task SendBatch_MoreThanItHolds_AndOneLongerThanASlot_AllLeaveInOrder()
    {
        Assert.SkipUnless(LinuxUdp.IsSupported, "sendmmsg path: 64-bit Linux only.");
        using var transport = new DisposingTransport(BindAny());
        using var client = Client(IPAddress.Loopback);
        client.ReceiveBufferSize = 1 << 20;
        var to = (IPEndPoint)client.LocalEndPoint!;
        int total = (UdpDatagramTransport.SendBatchCapacity * 2) + 5;

        transport.Value.BeginSendBatch();
        for (int i = 0; i < total; i++)
        {
            int length = i == 40 ? UdpDatagramTransport.SendBatchSlotSize + 100 : 2;
            var datagram = new byte[length];
            datagram[0] = (byte)i;
            await transport.Value.SendToAsync(datagram, to, Third, TestContext.Current.CancellationToken); // completes at once: the thread stays the batch's
        }

        transport.Value.EndSendBatch();

        var buffer = new byte[2048];
        for (int i = 0; i < total; i++)
        {
            EndPoint from = Any;
            int n = client.ReceiveFrom(buffer, ref from);
            Assert.Equal((byte)i, buffer[0]);
            Assert.Equal(i == 40 ? UdpDatagramTransport.SendBatchSlotSize + 100 : 2, n);
            Assert.Equal(Third, ((IPEndPoint)from).Address);
        }
    }

    [Fact]
    public async Task SendBatch_SendsFromOtherThreads_GoAtOnce()
    {
        Assert.SkipUnless(LinuxUdp.IsSupported, "sendmmsg path: 64-bit Linux only.");
        using var cts = TestTimeout.Create();
        using var transport = new DisposingTransport(BindAny());
        using var client = Client(IPAddress.Loopback);
        var to = (IPEndPoint)client.LocalEndPoint!;

        // The batch belongs to the thread that opened it: the whole sequence runs on one dedicated thread (an await
        // could resume elsewhere, and EndSendBatch from another thread would not send the batch).
        byte[] firstBytes = new byte[8], buffer = new byte[8];
        int firstLength = 0;
        await Task.Factory.StartNew(() =>
        {
            transport.Value.BeginSendBatch();
            transport.Value.SendToAsync(new byte[] { 1 }, to, null, cts.Token).AsTask().Wait(cts.Token); // queued: completes at once
            Task.Factory.StartNew(() => transport.Value.SendToAsync(new byte[] { 2 }, to, null, cts.Token).AsTask(), cts.Token,
                TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap().Wait(cts.Token);
            EndPoint from = Any;
            firstLength = client.ReceiveFrom(firstBytes, ref from); // the other thread's datagram, while the batch is open
            transport.Value.EndSendBatch();
        }, cts.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var second = await client.ReceiveFromAsync(buffer, Any, cts.Token);

        Assert.Equal(1, firstLength);
        Assert.Equal(2, firstBytes[0]);
        Assert.Equal(1, buffer[0]);
        Assert.Equal(1, second.ReceivedBytes);
    }

    [Fact]
    public async Task ReceiveThread_AHandlerThatCompletesLater_TheAnswersBeforeItLeaveFirst_OrderKept()
    {
        Assert.SkipUnless(LinuxUdp.IsSupported, "Receive thread: 64-bit Linux only.");
        using var cts = TestTimeout.Create();
        await using var transport = BindAny();
        using var client = Client(IPAddress.Loopback);
        var target = new IPEndPoint(IPAddress.Loopback, transport.LocalEndPoint.Port);
        for (byte b = 1; b <= 4; b++)
        {
            client.SendTo(new[] { b }, target); // queued before the thread starts: one receive takes all four
        }

        using var stopping = new CancellationTokenSource();
        var order = new List<byte>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loop = DatagramReceiveLoop.StartThread(transport, 576, async (data, received, token) =>
        {
            byte b = data.Span[0];
            lock (order)
            {
                order.Add(b);
            }

            if (b == 2)
            {
                await release.Task.ConfigureAwait(false); // completes on another thread, later (a WINS registration)
            }

            await transport.SendToAsync(new[] { b }, received.RemoteEndPoint, received.LocalAddress, token).ConfigureAwait(false);
        }, _ => { }, TimeProvider.System, "test receive thread", stopping.Token);

        // The answer to 1 leaves before the thread waits for 2's handler, not at the end of the batch.
        var buffer = new byte[8];
        await client.ReceiveFromAsync(buffer, Any, cts.Token);
        Assert.Equal(1, buffer[0]);
        lock (order)
        {
            Assert.Equal(new byte[] { 1, 2 }, order); // 3 waits for 2 (one datagram at a time)
        }

        release.SetResult();
        var answers = new List<byte>();
        for (int i = 0; i < 3; i++)
        {
            await client.ReceiveFromAsync(buffer, Any, cts.Token);
            answers.Add(buffer[0]);
        }

        await stopping.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(5), cts.Token);
        Assert.Equal(new byte[] { 2, 3, 4 }, answers);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, order);
    }

    [Fact]
    public async Task ReceiveBatchAndBatchedAnswersWithSource_AllocateNothing()
    {
        Assert.SkipUnless(LinuxUdp.IsSupported, "recvmmsg/sendmmsg paths: 64-bit Linux only.");
        using var cts = TestTimeout.Create();
        await using var transport = BindAny();
        using var client = Client(IPAddress.Loopback);
        client.ReceiveBufferSize = 1 << 20;
        var target = new IPEndPoint(Third, transport.LocalEndPoint.Port);
        var batch = new UdpMessageBatch(DatagramReceiveLoop.ReceiveBatchCapacity, 576);
        var query = new byte[50];
        var answer = new byte[62];
        var reply = new byte[64];
        const int PerRound = 100;

        long allocated = 0;
        for (int round = 0; round < 2; round++)
        {
            // Round 0 warms up (caches, the send batch, JIT); round 1 is measured.
            for (int i = 0; i < PerRound; i++)
            {
                client.SendTo(query, target);
            }

            int answered = 0, failures = 0, receives = 0;
            long before = GC.GetAllocatedBytesForCurrentThread();
            while (answered < PerRound && receives++ < PerRound + 20)
            {
                if (transport.ReceiveBlocking(batch) != BlockingReceiveStatus.Datagram)
                {
                    continue;
                }

                transport.BeginSendBatch();
                for (int i = 0; i < batch.Count; i++)
                {
                    ref var result = ref batch.Result(i);
                    var pending = transport.SendToAsync(answer.AsMemory(0, result.Length + 12), result.RemoteEndPoint, result.LocalAddress, cts.Token);
                    failures += pending.IsCompletedSuccessfully ? 0 : 1;
                    answered++;
                }

                transport.EndSendBatch();
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(0, failures);
            Assert.Equal(PerRound, answered);
            for (int i = 0; i < PerRound; i++)
            {
                EndPoint from = Any;
                Assert.Equal(62, client.ReceiveFrom(reply, ref from));
                Assert.Equal(target, from);
            }
        }

        Assert.Equal(0, allocated);
    }

    /// <summary>Disposes the transport at the end of a synchronous test.</summary>
    private sealed class DisposingTransport(UdpDatagramTransport value) : IDisposable
    {
        public UdpDatagramTransport Value { get; } = value;

        public void Dispose() => Value.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
