using NetBios.SessionService;
using NetBios.Transport;
using Xunit;
using static NetBios.Tests.Sessions.SessionTestBed;

namespace NetBios.Tests.Sessions;

/// <summary>Session data transfer ([RFC 1002] 5.3.3, 4.3.6, 4.3.7): message boundaries, pieces, maximum size, keepalives, stream segmentation.</summary>
public sealed class SessionDataTests
{
    [Theory(Timeout = 60_000)]
    [InlineData(Net.Memory)]
    [InlineData(Net.Tcp)]
    public async Task Messages_KeepTheirBoundaries(Net net)
    {
        await using var bed = new SessionTestBed(net);
        await bed.StartAsync();
        var (caller, listener) = await bed.ConnectAsync();
        byte[][] sent = [Pattern(1), Pattern(0), Pattern(1000, 1), Pattern(70000, 2), Pattern(3, 3)];
        // Sends run beside the receives: a message is only read once a receive waits, so a large one holds the sender back.
        var sends = Task.Run(async () =>
        {
            foreach (var m in sent)
            {
                Assert.Equal(SessionIoStatus.Ok, await caller.SendAsync(m, Ct));
            }
        }, Ct);
        foreach (var m in sent)
        {
            Assert.Equal(m, await ReceiveMessageAsync(listener));
        }

        await sends.WaitAsync(TimeSpan.FromSeconds(20), Ct);
    }

    [Theory(Timeout = 60_000)]
    [InlineData(Net.Memory)]
    [InlineData(Net.Tcp)]
    public async Task LargestMessage_131071Bytes_UsesTheExtensionBit(Net net)
    {
        await using var bed = new SessionTestBed(net);
        await bed.StartAsync();
        var (caller, listener) = await bed.ConnectAsync();
        byte[] big = Pattern(131071, 7);
        var send = caller.SendAsync(big, Ct).AsTask();
        Assert.Equal(big, await ReceiveMessageAsync(listener));
        Assert.Equal(SessionIoStatus.Ok, await send);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await caller.SendAsync(new byte[131072], Ct));
    }

    [Fact(Timeout = 60_000)]
    public async Task ChainSend_TwoBuffers_AreOneMessage()
    {
        await using var bed = new SessionTestBed(Net.Memory);
        await bed.StartAsync();
        var (caller, listener) = await bed.ConnectAsync();
        Assert.Equal(SessionIoStatus.Ok, await caller.SendAsync("hello "u8.ToArray(), "world"u8.ToArray(), Ct));
        Assert.Equal("hello world"u8.ToArray(), await ReceiveMessageAsync(listener));
    }

    [Theory(Timeout = 60_000)]
    [InlineData(Net.Memory)]
    [InlineData(Net.Tcp)]
    public async Task Message_ReadInPieces_IsIncompleteUntilTheLastPiece(Net net)
    {
        await using var bed = new SessionTestBed(net);
        await bed.StartAsync();
        var (caller, listener) = await bed.ConnectAsync();
        byte[] message = Pattern(10);
        await caller.SendAsync(message, Ct);
        await caller.SendAsync(Pattern(2, 9), Ct);

        var received = new List<byte>();
        byte[] buffer = new byte[4];
        var first = await listener.ReceiveAsync(buffer, Ct);
        Assert.Equal(SessionIoStatus.Incomplete, first.Status);
        Assert.Equal(4, first.BytesReceived);
        received.AddRange(buffer);
        var second = await listener.ReceiveAsync(buffer, Ct);
        Assert.Equal((SessionIoStatus.Incomplete, 4), (second.Status, second.BytesReceived));
        received.AddRange(buffer);
        var third = await listener.ReceiveAsync(buffer, Ct);
        Assert.Equal((SessionIoStatus.Ok, 2), (third.Status, third.BytesReceived));
        received.AddRange(buffer[..2]);
        Assert.Equal(message, received.ToArray());

        // A buffer exactly the size of the next message: Ok, not Incomplete.
        var exact = await listener.ReceiveAsync(new byte[2], Ct);
        Assert.Equal((SessionIoStatus.Ok, 2), (exact.Status, exact.BytesReceived));
    }

    [Fact(Timeout = 60_000)]
    public async Task EmptyMessage_IsDelivered()
    {
        await using var bed = new SessionTestBed(Net.Memory);
        await bed.StartAsync();
        var (caller, listener) = await bed.ConnectAsync();
        await caller.SendAsync(ReadOnlyMemory<byte>.Empty, Ct);
        var result = await listener.ReceiveAsync(new byte[8], Ct);
        Assert.Equal((SessionIoStatus.Ok, 0), (result.Status, result.BytesReceived));
    }

    /// <summary>
    /// The same stream — keepalives before, between and after messages (one with the E bit), legacy 0x89 included —
    /// split at every position into two writes, and also byte by byte, gives the same messages.
    /// </summary>
    [Fact(Timeout = 60_000)]
    public async Task EverySegmentation_GivesTheSameMessages()
    {
        byte[] m1 = Pattern(5, 1), m2 = Pattern(3, 2), m3 = Pattern(65537, 3);
        byte[] keepAlive = [0x85, 0, 0, 0];
        byte[] stream = [.. keepAlive, .. Message(m1), .. keepAlive, .. keepAlive, .. Message(m2), .. Message([]), .. keepAlive, .. Message(m3), .. keepAlive];
        byte[][] expected = [m1, m2, [], m3];
        int headLength = stream.Length - m3.Length + 8; // split points up to a few bytes into the large body

        await using var bed = new SessionTestBed(Net.Memory);
        await bed.StartAsync();
        for (int split = 0; split <= headLength; split++)
        {
            var (raw, listener) = await bed.RawSessionAsync();
            int at = split;
            var writes = Task.Run(async () =>
            {
                await WriteAsync(raw, stream.AsMemory(0, at));
                await WriteAsync(raw, stream.AsMemory(at));
            }, Ct);
            foreach (var m in expected)
            {
                Assert.Equal(m, await ReceiveMessageAsync(listener));
            }

            await writes.WaitAsync(TimeSpan.FromSeconds(20), Ct);
            await listener.HangUpAsync();
        }

        var (byteRaw, byteListener) = await bed.RawSessionAsync();
        var receive = Task.Run(async () =>
        {
            var all = new List<byte[]>();
            foreach (var _ in expected)
            {
                all.Add(await ReceiveMessageAsync(byteListener));
            }

            return all;
        }, Ct);
        for (int i = 0; i < headLength; i++)
        {
            await WriteAsync(byteRaw, stream.AsMemory(i, 1));
        }

        await WriteAsync(byteRaw, stream.AsMemory(headLength));
        Assert.Equal(expected, await receive.WaitAsync(TimeSpan.FromSeconds(20), Ct));
    }

    [Fact(Timeout = 60_000)]
    public async Task KeepAlive_BetweenThePiecesOfAMessageBeingRead_IsIgnored()
    {
        await using var bed = new SessionTestBed(Net.Memory);
        await bed.StartAsync();
        var (raw, listener) = await bed.RawSessionAsync();
        byte[] body = Pattern(8);
        // Header and half the body; the reader takes a first piece.
        byte[] start = [0x85, 0, 0, 0, 0, 0, 0, 8, .. body[..4]];
        await WriteAsync(raw, start);
        var first = await listener.ReceiveAsync(new byte[4], Ct);
        Assert.Equal(SessionIoStatus.Incomplete, first.Status);
        // Rest of the body, then keepalives (0x85 and legacy 0x89) before the next message while a receive waits.
        var next = listener.ReceiveAsync(new byte[16], Ct).AsTask();
        byte[] rest = [.. body[4..], 0x85, 0, 0, 0, 0x89, 0, 0, 0, 0x85, 0, 0, 0];
        await WriteAsync(raw, rest);
        var second = await next;
        Assert.Equal((SessionIoStatus.Ok, 4), (second.Status, second.BytesReceived));
        Assert.Equal([0x85, 0, 0, 0], await ReadExactlyAsync(raw, 4)); // the answer to 0x89
        await WriteAsync(raw, Message("x"u8));
        Assert.Equal("x"u8.ToArray(), await ReceiveMessageAsync(listener));
        Assert.Equal(SessionState.Established, listener.State);
    }

    [Fact(Timeout = 60_000)]
    public async Task OversizedMessage_AbortsTheSession_WithoutBuffering()
    {
        await using var bed = new SessionTestBed(Net.Memory, o => o.MaxMessageSize = 1000);
        await bed.StartAsync();
        var (raw, listener) = await bed.RawSessionAsync();
        var pending = listener.ReceiveAsync(new byte[10], Ct).AsTask();
        await WriteAsync(raw, new byte[] { 0x00, 0x01, 0xFF, 0xFF });
        Assert.Equal(SessionIoStatus.Aborted, (await pending.WaitAsync(TimeSpan.FromSeconds(10), Ct)).Status);
        Assert.True(await IsClosedAsync(raw));
    }

    [Fact(Timeout = 60_000)]
    public async Task SessionRequestAfterEstablishment_AbortsTheSession()
    {
        await using var bed = new SessionTestBed(Net.Memory);
        await bed.StartAsync();
        var (raw, listener) = await bed.RawSessionAsync();
        await WriteAsync(raw, new NetBios.Wire.Session.SessionRequest(ServerName, ClientName).ToArray());
        await listener.Completion.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(SessionState.Aborted, listener.State);
    }

    /// <summary>
    /// Large bodies are read from the connection straight into the receive buffer (no pipe copy): pieces of any size,
    /// never a byte past the message, so the next header and message still come through the pipe.
    /// </summary>
    [Theory(Timeout = 60_000)]
    [InlineData(Net.Memory)]
    [InlineData(Net.Tcp)]
    public async Task LargeMessages_ReadInLargePieces_AreExact_AndTheNextMessageFollows(Net net)
    {
        await using var bed = new SessionTestBed(net);
        await bed.StartAsync();
        var (caller, listener) = await bed.ConnectAsync();
        byte[] big = Pattern(131071, 4), second = Pattern(70000, 5), small = Pattern(3, 6);
        var sends = Task.Run(async () =>
        {
            foreach (var m in new[] { big, second, small })
            {
                Assert.Equal(SessionIoStatus.Ok, await caller.SendAsync(m, Ct));
            }
        }, Ct);

        var received = new List<byte>();
        byte[] piece = new byte[40_000];
        SessionReceiveResult result;
        int pieces = 0;
        do
        {
            result = await listener.ReceiveAsync(piece, Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(20), Ct);
            received.AddRange(piece[..result.BytesReceived]);
            pieces++;
        }
        while (result.Status == SessionIoStatus.Incomplete);

        Assert.Equal((SessionIoStatus.Ok, 4), (result.Status, pieces)); // 40 000 × 3 + 11 071
        Assert.Equal(big, received.ToArray());
        Assert.Equal(second, await ReceiveMessageAsync(listener));
        Assert.Equal(small, await ReceiveMessageAsync(listener));
        await sends.WaitAsync(TimeSpan.FromSeconds(20), Ct);
    }

    /// <summary>
    /// Messages of random sizes (0..131071) received with buffers of random sizes, over both networks, with the
    /// receiver sometimes late: every byte arrives in order with the right boundaries (pipe reads, direct reads and
    /// waits for a receiver interleaved as timing falls).
    /// </summary>
    [Theory(Timeout = 120_000)]
    [InlineData(Net.Memory, 1)]
    [InlineData(Net.Tcp, 2)]
    [InlineData(Net.Tcp, 3)]
    public async Task RandomSizesAndBuffers_ArriveExactly(Net net, int seed)
    {
        await using var bed = new SessionTestBed(net);
        await bed.StartAsync();
        var (caller, listener) = await bed.ConnectAsync();
        var random = new Random(seed);
        byte[][] messages = [.. Enumerable.Range(0, 150).Select(i => Pattern(random.Next(4) == 0 ? random.Next(64) : random.Next(131072), i))];
        var sends = Task.Run(async () =>
        {
            foreach (var m in messages)
            {
                Assert.Equal(SessionIoStatus.Ok, await caller.SendAsync(m, Ct));
            }
        }, Ct);

        foreach (var expected in messages)
        {
            var received = new List<byte>(expected.Length);
            SessionReceiveResult result;
            do
            {
                if (random.Next(8) == 0)
                {
                    await Task.Yield(); // let the read loop get ahead of the receiver now and then
                }

                byte[] buffer = new byte[random.Next(2) == 0 ? random.Next(1, 131072) : random.Next(1, 5000)];
                result = await listener.ReceiveAsync(buffer, Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(20), Ct);
                received.AddRange(buffer.AsSpan(0, result.BytesReceived));
            }
            while (result.Status == SessionIoStatus.Incomplete);

            Assert.Equal(SessionIoStatus.Ok, result.Status);
            Assert.Equal(expected, received.ToArray());
        }

        await sends.WaitAsync(TimeSpan.FromSeconds(20), Ct);
    }

    /// <summary>
    /// A receive posted just as the read loop has looked at the first bytes of a large body (too few to stop the frame
    /// deadline): those bytes, still in the pipe, come first; the body is not read past them from the socket.
    /// </summary>
    [Fact(Timeout = 60_000)]
    public async Task ReceivePostedWhileABodyIsExamined_GetsTheBufferedBytesFirst()
    {
        await using var bed = new SessionTestBed(Net.Tcp);
        await bed.StartAsync();
        var (raw, listener) = await bed.RawSessionAsync();
        byte[] body = Pattern(100_000, 9);
        var posted = new TaskCompletionSource<Task<SessionReceiveResult>>(TaskCreationOptions.RunContinuationsAsynchronously);
        byte[] buffer = new byte[131071];
        listener.Connection.BodyExamined = () =>
        {
            listener.Connection.BodyExamined = null;
            posted.SetResult(listener.ReceiveAsync(buffer, Ct).AsTask());
        };
        await WriteAsync(raw, (byte[])[0x00, 0x01, 0x86, 0xA0, .. body[..1000]]);
        var receive = await posted.Task.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        await WriteAsync(raw, body.AsMemory(1000));
        var result = await receive.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        Assert.Equal((SessionIoStatus.Ok, body.Length), (result.Status, result.BytesReceived));
        Assert.Equal(body, buffer[..body.Length]);
    }

    /// <summary>
    /// A receiver may block its thread waiting for its next message inside the continuation of the last one (which
    /// may run on the thread that delivered it): the session goes on reading and the wait ends, whether the next
    /// message is already buffered behind the first or comes later.
    /// </summary>
    [Theory(Timeout = 60_000)]
    [InlineData(Net.Memory, true)]
    [InlineData(Net.Memory, false)]
    [InlineData(Net.Tcp, true)]
    [InlineData(Net.Tcp, false)]
    public async Task Receiver_BlockingOnItsNextMessage_InsideTheLastOne_DoesNotStallTheSession(Net net, bool together)
    {
        await using var bed = new SessionTestBed(net);
        await bed.StartAsync();
        var (raw, listener) = await bed.RawSessionAsync();
        var firstPosted = listener.ReceiveAsync(new byte[64], Ct);
        var secondPosted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var receiver = Task.Run(async () =>
        {
            var first = await firstPosted;
            var next = listener.ReceiveAsync(new byte[64], Ct).AsTask();
            secondPosted.SetResult();
#pragma warning disable xUnit1031 // Blocking on purpose: a synchronous wait in a receive's continuation must not stall the session.
            bool done = next.Wait(TimeSpan.FromSeconds(20), Ct);
#pragma warning restore xUnit1031
            return (first.Status, done ? next.Result.Status : SessionIoStatus.TimedOut);
        }, Ct);

        if (together)
        {
            await WriteAsync(raw, (byte[])[.. Message("one"u8), .. Message("two"u8)]);
        }
        else
        {
            await WriteAsync(raw, Message("one"u8));
            await secondPosted.Task.WaitAsync(TimeSpan.FromSeconds(20), Ct);
            await WriteAsync(raw, Message("two"u8));
        }

        Assert.Equal((SessionIoStatus.Ok, SessionIoStatus.Ok), await receiver.WaitAsync(TimeSpan.FromSeconds(30), Ct));
    }

    [Theory(Timeout = 60_000)]
    [InlineData(Net.Memory)]
    [InlineData(Net.Tcp)]
    public async Task MessageFollowedByClose_IsDeliveredWhole_ThenTheSessionIsClosed(Net net)
    {
        await using var bed = new SessionTestBed(net);
        await bed.StartAsync();
        var (raw, listener) = await bed.RawSessionAsync();
        var pending = listener.ReceiveAsync(new byte[100_000], Ct).AsTask();
        await WriteAsync(raw, Message(Pattern(90_000, 8)));
        await raw.DisposeAsync();
        var result = await pending.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        Assert.Equal((SessionIoStatus.Ok, 90_000), (result.Status, result.BytesReceived));
        Assert.Equal(SessionIoStatus.Closed, (await listener.ReceiveAsync(new byte[1], Ct)).Status);
    }
}
