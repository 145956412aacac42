using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using NetBios.Transport;
using Xunit;

namespace NetBios.Tests.Transport;

/// <summary>
/// Issue 18: the socket-native TCP input (<see cref="TcpSocketPipeReader"/>). A read takes what the kernel holds on the
/// reading thread; a read that waits is served by the readiness wait or, at once, by <see cref="IDirectReadConnection.PollInput"/>;
/// the pipe rules (examined bytes, cancel, end, reset) hold as with a stream reader.
/// </summary>
public sealed class TcpSocketPipeReaderTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact(Timeout = 60_000)]
    public async Task ReadAsync_BytesAlreadyInTheKernel_CompletesSynchronously()
    {
        using var cts = TestTimeout.Create();
        await using var pair = await StreamConnectionPair.ConnectTcpAsync(cts.Token);
        await PipeHelpers.WriteAsync(pair.Client.Transport.Output, "abc", cts.Token);
        Assert.True(SpinWait.SpinUntil(() => pair.ServerSocket.Available >= 3, Bound));

        var read = pair.Server.Transport.Input.ReadAsync(cts.Token);

        Assert.True(read.IsCompleted);
        var result = await read;
        Assert.Equal("abc"u8.ToArray(), result.Buffer.ToArray());
        pair.Server.Transport.Input.AdvanceTo(result.Buffer.End);
    }

    [Fact(Timeout = 60_000)]
    public async Task PollInput_ParkedReadWithBytesInTheKernel_CompletesBeforeItReturns()
    {
        using var cts = TestTimeout.Create();
        await using var pair = await StreamConnectionPair.ConnectTcpAsync(cts.Token);
        var input = pair.Server.Transport.Input;
        var read = input.ReadAsync(cts.Token);
        Assert.False(read.IsCompleted);

        await PipeHelpers.WriteAsync(pair.Client.Transport.Output, "xyz", cts.Token);
        // Either the readiness wait got there first (the read is complete or being completed) or the bytes wait in the kernel.
        Assert.True(SpinWait.SpinUntil(() => read.IsCompleted || pair.ServerSocket.Available >= 3, Bound));
        ((IDirectReadConnection)pair.Server).PollInput(0);

        Assert.True(SpinWait.SpinUntil(() => read.IsCompleted, Bound));
        var result = await read;
        Assert.Equal("xyz"u8.ToArray(), result.Buffer.ToArray());
        input.AdvanceTo(result.Buffer.End);
    }

    [Fact(Timeout = 60_000)]
    public async Task PollInput_NothingInTheKernel_LeavesTheReadParked()
    {
        using var cts = TestTimeout.Create();
        await using var pair = await StreamConnectionPair.ConnectTcpAsync(cts.Token);
        var read = pair.Server.Transport.Input.ReadAsync(cts.Token);

        ((IDirectReadConnection)pair.Server).PollInput(0);
        ((IDirectReadConnection)pair.Client).PollInput(0); // no read parked there: nothing to do

        Assert.False(read.IsCompleted);
        await PipeHelpers.WriteAsync(pair.Client.Transport.Output, "late", cts.Token);
        var result = await read.AsTask().WaitAsync(Bound, cts.Token);
        Assert.Equal("late"u8.ToArray(), result.Buffer.ToArray());
        pair.Server.Transport.Input.AdvanceTo(result.Buffer.End);
    }

    /// <summary>
    /// Issue 18, seventh round: after a receive that drained the socket, <see cref="IDirectReadConnection.PollInput"/>
    /// tries a receive only when this thread's last send went out on another connection (one flow playing both ends:
    /// that send put the bytes here); not after a send on the same connection (its answer cannot be here yet) nor for a
    /// receiver that only receives. The readiness wait still delivers the bytes.
    /// </summary>
    [Fact(Timeout = 60_000)]
    public async Task PollInput_AfterADrainedReceive_ProbesOnlyAfterASendOnAnotherConnection()
    {
        using var cts = TestTimeout.Create();
        await using var pair = await StreamConnectionPair.ConnectTcpAsync(cts.Token);
        var server = (TcpStreamConnection)pair.Server;
        var input = server.Transport.Input;
        var read = input.ReadAsync(cts.Token); // nothing there: an EAGAIN receive drains, the read parks

        // (First a send here: this thread's last send may have been on some other test's connection.)
        await PipeHelpers.WriteAsync(server.Transport.Output, "request", cts.Token);
        ((IDirectReadConnection)server).PollInput(0);
        Assert.Equal(0, server.Input.PollProbes); // sent on this connection: its answer cannot be here yet

        // Sent on another connection (by this thread, the other end): Poll tries a recv, unless the readiness wait served
        // the read first (then again: a broken rule never probes).
        bool probed = false;
        for (int attempt = 0; attempt < 20 && !probed; attempt++)
        {
            int before = server.Input.PollProbes;
            await PipeHelpers.WriteAsync(pair.Client.Transport.Output, "answer", cts.Token);
            ((IDirectReadConnection)server).PollInput(0);
            probed = server.Input.PollProbes == before + 1;
            var result = await read.AsTask().WaitAsync(Bound, cts.Token);
            Assert.Equal("answer"u8.ToArray(), result.Buffer.ToArray());
            input.AdvanceTo(result.Buffer.End);
            read = input.ReadAsync(cts.Token);
        }

        Assert.True(probed);
        int probes = server.Input.PollProbes;
        await PipeHelpers.WriteAsync(server.Transport.Output, "r", cts.Token); // (this thread may have changed: a known last send)
        ((IDirectReadConnection)server).PollInput(0);
        Assert.Equal(probes, server.Input.PollProbes); // the last send was on this connection: no probe

        await PipeHelpers.WriteAsync(pair.Client.Transport.Output, "late", cts.Token);
        var late = await read.AsTask().WaitAsync(Bound, cts.Token);
        Assert.Equal("late"u8.ToArray(), late.Buffer.ToArray());
        input.AdvanceTo(late.Buffer.End);
    }

    /// <summary>
    /// Issue 18, seventh round: a read that parks after <see cref="TcpSocketPipeReader.HoldReadiness"/> starts no
    /// readiness wait until <see cref="TcpSocketPipeReader.ReleaseReadiness"/> or a poll; then bytes that came meanwhile
    /// (found by the wait's first probe) and later ones complete it.
    /// </summary>
    [Theory(Timeout = 60_000)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReadAsync_ReadinessHeld_StartsAtReleaseOrPoll(bool byPoll)
    {
        using var cts = TestTimeout.Create();
        await using var pair = await StreamConnectionPair.ConnectTcpAsync(cts.Token);
        var server = (TcpStreamConnection)pair.Server;
        var input = server.Transport.Input;
        for (int round = 0; round < 20; round++)
        {
            server.HoldInputReadiness();
            var read = input.ReadAsync(cts.Token);
            Assert.False(read.IsCompleted);
            await PipeHelpers.WriteAsync(server.Transport.Output, "r", cts.Token); // this thread's last send: no probe by Poll
            await PipeHelpers.WriteAsync(pair.Client.Transport.Output, round % 2 == 0 ? "early" : "", cts.Token);
            await PipeHelpers.WriteAsync(server.Transport.Output, "r", cts.Token);
            if (byPoll)
            {
                server.PollInput(0);
            }
            else
            {
                server.ReleaseInputReadiness();
            }

            await PipeHelpers.WriteAsync(pair.Client.Transport.Output, "late", cts.Token);
            var result = await read.AsTask().WaitAsync(Bound, cts.Token);
            Assert.StartsWith(round % 2 == 0 ? "early" : "late", System.Text.Encoding.ASCII.GetString(result.Buffer.ToArray()));
            input.AdvanceTo(result.Buffer.End);
            if (round % 2 == 0 && result.Buffer.Length == 5)
            {
                var rest = await input.ReadAsync(cts.Token).AsTask().WaitAsync(Bound, cts.Token);
                Assert.Equal("late"u8.ToArray(), rest.Buffer.ToArray());
                input.AdvanceTo(rest.Buffer.End);
            }

            var echo = await pair.Client.Transport.Input.ReadAsync(cts.Token); // drain the "r"s
            pair.Client.Transport.Input.AdvanceTo(echo.Buffer.End);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task ReadAsync_AllExaminedNoneConsumed_WaitsForMoreAndReturnsAll()
    {
        using var cts = TestTimeout.Create();
        await using var pair = await StreamConnectionPair.ConnectTcpAsync(cts.Token);
        var input = pair.Server.Transport.Input;
        await PipeHelpers.WriteAsync(pair.Client.Transport.Output, "12345", cts.Token);
        var first = await input.ReadAsync(cts.Token);
        while (first.Buffer.Length < 5)
        {
            input.AdvanceTo(first.Buffer.Start, first.Buffer.End);
            first = await input.ReadAsync(cts.Token);
        }

        input.AdvanceTo(first.Buffer.Start, first.Buffer.End);
        var next = input.ReadAsync(cts.Token);
        Assert.False(next.IsCompleted); // examined to the end: nothing new yet
        await PipeHelpers.WriteAsync(pair.Client.Transport.Output, "678", cts.Token);
        var result = await next.AsTask().WaitAsync(Bound, cts.Token);
        while (result.Buffer.Length < 8)
        {
            input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            result = await input.ReadAsync(cts.Token);
        }

        Assert.Equal("12345678"u8.ToArray(), result.Buffer.ToArray());
        input.AdvanceTo(result.Buffer.End);
    }

    /// <summary>Consuming in odd pieces while more arrives compacts and grows the one buffer without losing a byte.</summary>
    [Fact(Timeout = 60_000)]
    public async Task Input_LargeTransferConsumedInOddPieces_ArrivesInOrder()
    {
        using var cts = TestTimeout.Create(30);
        await using var pair = await StreamConnectionPair.ConnectTcpAsync(cts.Token);
        byte[] expected = new byte[1_000_003];
        new Random(18).NextBytes(expected);
        var sending = Task.Run(async () =>
        {
            for (int at = 0; at < expected.Length; at += 70_001)
            {
                await pair.Client.Transport.Output.WriteAsync(expected.AsMemory(at, Math.Min(70_001, expected.Length - at)), cts.Token);
            }
        }, cts.Token);

        var input = pair.Server.Transport.Input;
        byte[] received = new byte[expected.Length];
        int got = 0;
        int piece = 1;
        for (int i = 0; got < expected.Length && i < 10_000_000; i++)
        {
            var result = await input.ReadAsync(cts.Token);
            piece = (piece * 7 + 3) % 9_001;
            int take = (int)Math.Min(result.Buffer.Length, piece + 1);
            bool moreToCome = got + result.Buffer.Length < expected.Length;
            result.Buffer.Slice(0, take).CopyTo(received.AsSpan(got));
            got += take;
            // Every other read examines everything (wants more: the next read waits for new bytes unless all was
            // consumed), the others only what they consumed (the next read returns the rest at once).
            input.AdvanceTo(result.Buffer.GetPosition(take), moreToCome && i % 2 == 0 ? result.Buffer.End : result.Buffer.GetPosition(take));
            Assert.False(result.IsCompleted);
        }

        await sending;
        Assert.Equal(expected.Length, got);
        Assert.True(expected.AsSpan().SequenceEqual(received));
    }

    /// <summary>
    /// Issue 18, third round: while receives fill the buffer the read size doubles (16, then 32, 64 KiB, up to 128 KiB), so a
    /// backlog of small messages costs fewer <c>recv</c> calls; the bytes still arrive whole and in order.
    /// </summary>
    [Fact(Timeout = 60_000)]
    public async Task ReadAsync_BacklogInTheKernel_ReadSizeGrowsPast16KiB()
    {
        using var cts = TestTimeout.Create();
        await using var pair = await StreamConnectionPair.ConnectTcpAsync(cts.Token);
        byte[] expected = new byte[60_000];
        new Random(3).NextBytes(expected);
        await pair.Client.Transport.Output.WriteAsync(expected, cts.Token);
        Assert.True(SpinWait.SpinUntil(() => pair.ServerSocket.Available >= expected.Length, Bound));

        var input = pair.Server.Transport.Input;
        byte[] received = new byte[expected.Length];
        int got = 0;
        long largest = 0;
        for (int i = 0; got < expected.Length && i < 100; i++)
        {
            var result = await input.ReadAsync(cts.Token);
            largest = Math.Max(largest, result.Buffer.Length);
            result.Buffer.CopyTo(received.AsSpan(got));
            got += (int)result.Buffer.Length;
            input.AdvanceTo(result.Buffer.End);
        }

        Assert.Equal(expected.Length, got);
        Assert.True(expected.AsSpan().SequenceEqual(received));
        Assert.True(largest > 16 * 1024, $"largest read {largest} B");
    }

    /// <summary>
    /// Issue 18, fifth round: after a receive that drained the socket the next read makes no <c>recv</c> of its own
    /// before it parks; the readiness wait probes the socket, so bytes that came in between still complete it at once.
    /// </summary>
    [Fact(Timeout = 60_000)]
    public async Task ReadAsync_AfterAReadThatDrainedTheSocket_BytesThatCameMeanwhileCompleteItSynchronously()
    {
        using var cts = TestTimeout.Create();
        await using var pair = await StreamConnectionPair.ConnectTcpAsync(cts.Token);
        var input = pair.Server.Transport.Input;
        await PipeHelpers.WriteAsync(pair.Client.Transport.Output, "ab", cts.Token);
        Assert.True(SpinWait.SpinUntil(() => pair.ServerSocket.Available >= 2, Bound));
        var first = await input.ReadAsync(cts.Token); // 2 bytes of a 16 KiB read: drained
        Assert.Equal("ab"u8.ToArray(), first.Buffer.ToArray());
        input.AdvanceTo(first.Buffer.End);

        await PipeHelpers.WriteAsync(pair.Client.Transport.Output, "cd", cts.Token);
        Assert.True(SpinWait.SpinUntil(() => pair.ServerSocket.Available >= 2, Bound));
        var read = input.ReadAsync(cts.Token);

        Assert.True(read.IsCompleted);
        var result = await read;
        Assert.Equal("cd"u8.ToArray(), result.Buffer.ToArray());
        input.AdvanceTo(result.Buffer.End);
    }

    /// <summary>Issue 18, fifth round: the same for a direct read after a drained receive.</summary>
    [Fact(Timeout = 60_000)]
    public async Task ReadDirectAsync_AfterAReadThatDrainedTheSocket_BytesThatCameMeanwhileCompleteItSynchronously()
    {
        using var cts = TestTimeout.Create();
        await using var pair = await StreamConnectionPair.ConnectTcpAsync(cts.Token);
        var input = pair.Server.Transport.Input;
        var direct = (IDirectReadConnection)pair.Server;
        await PipeHelpers.WriteAsync(pair.Client.Transport.Output, "ab", cts.Token);
        Assert.True(SpinWait.SpinUntil(() => pair.ServerSocket.Available >= 2, Bound));
        var first = await input.ReadAsync(cts.Token);
        input.AdvanceTo(first.Buffer.End);
        Assert.Equal(2, first.Buffer.Length);

        await PipeHelpers.WriteAsync(pair.Client.Transport.Output, "cd", cts.Token);
        Assert.True(SpinWait.SpinUntil(() => pair.ServerSocket.Available >= 2, Bound));
        byte[] destination = new byte[16];
        var read = direct.ReadDirectAsync(destination, cts.Token);

        Assert.True(read.IsCompleted);
        Assert.Equal(2, await read);
        Assert.Equal("cd"u8.ToArray(), destination.AsSpan(0, 2).ToArray());
    }

    /// <summary>
    /// Issue 18, fifth round: a read that <see cref="IDirectReadConnection.PollInput"/> served leaves its readiness wait
    /// under way; the next read after that drained receive must still probe the socket itself (no fresh readiness probe
    /// would), so bytes that came meanwhile complete it at once instead of through epoll and the thread pool. Without
    /// the probe, most rounds fail: the next read runs before the socket engine handles the readiness event.
    /// </summary>
    [Fact(Timeout = 60_000)]
    public async Task ReadAsync_AfterAPolledReadThatDrainedTheSocket_BytesThatCameMeanwhileCompleteItSynchronously()
    {
        using var cts = TestTimeout.Create();
        await using var pair = await StreamConnectionPair.ConnectTcpAsync(cts.Token);
        var input = pair.Server.Transport.Input;
        var output = pair.Client.Transport.Output;
        for (int round = 0; round < 100; round++)
        {
            var parked = input.ReadAsync(cts.Token); // nothing there: parks, the readiness wait starts
            await PipeHelpers.WriteAsync(output, "x", cts.Token);
            Assert.True(SpinWait.SpinUntil(() => parked.IsCompleted || pair.ServerSocket.Available >= 1, Bound));
            ((IDirectReadConnection)pair.Server).PollInput(0);
            var first = await parked;
            input.AdvanceTo(first.Buffer.End);

            await PipeHelpers.WriteAsync(output, "y", cts.Token);
            Assert.True(SpinWait.SpinUntil(() => pair.ServerSocket.Available >= 1, Bound));
            var next = input.ReadAsync(cts.Token);

            Assert.True(next.IsCompleted, $"round {round}: the read parked with a byte in the kernel");
            var result = await next;
            Assert.Equal("y"u8.ToArray(), result.Buffer.ToArray());
            input.AdvanceTo(result.Buffer.End);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task CancelPendingRead_ParkedRead_ReturnsCanceledAtOnce_ThenReadsOn()
    {
        using var cts = TestTimeout.Create();
        await using var pair = await StreamConnectionPair.ConnectTcpAsync(cts.Token);
        var input = pair.Server.Transport.Input;
        var read = input.ReadAsync(cts.Token);

        input.CancelPendingRead();

        Assert.True(read.IsCompleted);
        var canceled = await read;
        Assert.True(canceled.IsCanceled);
        input.AdvanceTo(canceled.Buffer.Start);
        await PipeHelpers.WriteAsync(pair.Client.Transport.Output, "ok", cts.Token);
        Assert.Equal("ok", await PipeHelpers.ReadExactlyAsync(input, 2, cts.Token));
    }

    [Fact(Timeout = 60_000)]
    public async Task CancelPendingRead_NoReadPending_TheNextReadReturnsCanceled()
    {
        using var cts = TestTimeout.Create();
        await using var pair = await StreamConnectionPair.ConnectTcpAsync(cts.Token);
        var input = pair.Server.Transport.Input;

        input.CancelPendingRead();

        Assert.True(input.TryRead(out var result));
        Assert.True(result.IsCanceled);
        input.AdvanceTo(result.Buffer.Start);
        Assert.False(input.TryRead(out _));
    }

    [Fact(Timeout = 60_000)]
    public async Task ReadAsync_TokenCancelledWhileParked_ThrowsOperationCanceled_ThenReadsOn()
    {
        using var cts = TestTimeout.Create();
        await using var pair = await StreamConnectionPair.ConnectTcpAsync(cts.Token);
        var input = pair.Server.Transport.Input;
        using var readCts = new CancellationTokenSource();
        var read = input.ReadAsync(readCts.Token);

        await readCts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await read);
        await PipeHelpers.WriteAsync(pair.Client.Transport.Output, "on", cts.Token);
        Assert.Equal("on", await PipeHelpers.ReadExactlyAsync(input, 2, cts.Token));
    }

    [Fact(Timeout = 60_000)]
    public async Task ReadAsync_PeerClosesWhileParked_CompletesWithIsCompleted()
    {
        using var cts = TestTimeout.Create();
        await using var pair = await StreamConnectionPair.ConnectTcpAsync(cts.Token);
        var read = pair.Server.Transport.Input.ReadAsync(cts.Token);

        await pair.Client.DisposeAsync();

        var result = await read.AsTask().WaitAsync(Bound, cts.Token);
        Assert.True(result.IsCompleted);
        Assert.True(result.Buffer.IsEmpty);
    }

    [Fact(Timeout = 60_000)]
    public async Task ReadAsync_AbortedWhileParked_FailsWithIOException()
    {
        using var cts = TestTimeout.Create();
        await using var pair = await StreamConnectionPair.ConnectTcpAsync(cts.Token);
        var read = pair.Server.Transport.Input.ReadAsync(cts.Token);

        pair.Server.Abort();

        await Assert.ThrowsAsync<IOException>(async () => await read.AsTask().WaitAsync(Bound, cts.Token));
    }

    [Fact(Timeout = 60_000)]
    public async Task ReadAsync_PeerResets_FailsWithIOException()
    {
        using var cts = TestTimeout.Create();
        await using var pair = await StreamConnectionPair.ConnectTcpAsync(cts.Token);
        var read = pair.Server.Transport.Input.ReadAsync(cts.Token);

        pair.Client.Abort();

        await Assert.ThrowsAsync<IOException>(async () => await read.AsTask().WaitAsync(Bound, cts.Token));
    }

    [Fact(Timeout = 60_000)]
    public async Task ReadDirectAsync_WaitsForBytes_ThenReadsIntoTheCallersBuffer()
    {
        using var cts = TestTimeout.Create();
        await using var pair = await StreamConnectionPair.ConnectTcpAsync(cts.Token);
        var direct = (IDirectReadConnection)pair.Server;
        byte[] destination = new byte[64];
        var read = direct.ReadDirectAsync(destination, cts.Token);
        Assert.False(read.IsCompleted);

        await PipeHelpers.WriteAsync(pair.Client.Transport.Output, "direct", cts.Token);

        int count = await read.AsTask().WaitAsync(Bound, cts.Token);
        Assert.InRange(count, 1, 6);
        Assert.Equal("direct"u8[..count].ToArray(), destination.AsSpan(0, count).ToArray());
    }

    [Fact(Timeout = 60_000)]
    public async Task ReadDirectAsync_TokenCancelledWhileParked_ThrowsOperationCanceled()
    {
        using var cts = TestTimeout.Create();
        await using var pair = await StreamConnectionPair.ConnectTcpAsync(cts.Token);
        using var readCts = new CancellationTokenSource();
        var read = ((IDirectReadConnection)pair.Server).ReadDirectAsync(new byte[16], readCts.Token);

        await readCts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await read);
    }

    [Fact(Timeout = 60_000)]
    public async Task ReadAsync_WhileAReadIsParked_Throws()
    {
        using var cts = TestTimeout.Create();
        await using var pair = await StreamConnectionPair.ConnectTcpAsync(cts.Token);
        var input = pair.Server.Transport.Input;
        var pending = input.ReadAsync(cts.Token).AsTask();

        Assert.Throws<InvalidOperationException>(() => { _ = input.ReadAsync(cts.Token).AsTask(); });
        input.CancelPendingRead();
        Assert.True((await pending).IsCanceled);
    }
}
