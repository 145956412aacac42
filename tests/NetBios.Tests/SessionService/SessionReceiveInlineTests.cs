using NetBios.SessionService;
using Xunit;
using static NetBios.Tests.Sessions.SessionTestBed;

namespace NetBios.Tests.Sessions;

/// <summary>
/// Issue 18, the one-flow ping-pong: a receive posted when its message is already in the kernel (loopback TCP: sent
/// and not yet read) completes synchronously, on the posting thread, instead of waiting for the socket engine's
/// readiness notification and a thread-pool hop.
/// </summary>
public sealed class SessionReceiveInlineTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Theory(Timeout = 60_000)]
    [InlineData(64)]
    [InlineData(4096)]
    [InlineData(65536)]
    public async Task OneFlowPingPong_ReceivesPostedAfterTheSend_MostlyCompleteSynchronously(int size)
    {
        await using var bed = new SessionTestBed(Net.Tcp);
        await bed.StartAsync();
        var (caller, listener) = await bed.ConnectAsync();
        byte[] payload = new byte[size];
        new Random(size).NextBytes(payload);
        byte[] buffer = new byte[size];

        // Without the poll few complete synchronously (the bytes reach the read loop through epoll and the thread pool,
        // which finishes first now and then: 4 to 35 of 400 in the best of 3 here; a lost probe, the fifth round's
        // first bug, gave 22). With it 387 to 400 do here, even with the whole suite running beside it, but
        // not every time: on a loaded machine the kernel may hand loopback segments to ksoftirqd (so they are not in
        // the socket yet when the receive is posted) and a busy thread pool may let the readiness wait win the race
        // (CI saw 174 of 400 once). Hence a quarter as the bound, and a few attempts, the best counting.
        const int rounds = 200;
        int best = await BestOfThreeAsync(CountSynchronousAsync, rounds);

        Assert.True(best >= rounds / 2, $"{best} of {2 * rounds} receives completed synchronously in the best of 3 attempts");

        async Task<int> CountSynchronousAsync()
        {
            int synchronous = 0;
            for (int i = 0; i < rounds; i++)
            {
                Assert.Equal(SessionIoStatus.Ok, await caller.SendAsync(payload, Ct));
                var request = listener.ReceiveAsync(buffer, Ct);
                synchronous += request.IsCompleted ? 1 : 0;
                var received = await request;
                Assert.Equal(SessionIoStatus.Ok, received.Status);
                Assert.Equal(size, received.BytesReceived);
                Assert.True(payload.AsSpan().SequenceEqual(buffer));

                Assert.Equal(SessionIoStatus.Ok, await listener.SendAsync(buffer, Ct));
                var reply = caller.ReceiveAsync(buffer, Ct);
                synchronous += reply.IsCompleted ? 1 : 0;
                Assert.Equal(size, (await reply).BytesReceived);
            }

            return synchronous;
        }
    }

    /// <summary>
    /// Issue 18, eighth round: in the one-flow ping-pong of large messages, a receive posted when its message is in the
    /// kernel already reads the header alone, and the body goes from the socket straight into the receive's buffer
    /// (not through the read buffer and a copy). Not every time (the readiness wait may read first, as in the test
    /// above): without the rule none does.
    /// </summary>
    [Fact(Timeout = 60_000)]
    public async Task OneFlowPingPong_LargeMessages_BodiesGoStraightIntoTheReceive()
    {
        await using var bed = new SessionTestBed(Net.Tcp);
        await bed.StartAsync();
        var (caller, listener) = await bed.ConnectAsync();
        byte[] payload = new byte[65536];
        new Random(7).NextBytes(payload);
        byte[] buffer = new byte[131_071];
        var input = listener.Connection.SocketInput!;
        const int rounds = 100;
        int best = await BestOfThreeAsync(CountDirectAsync, rounds);

        Assert.True(best >= rounds / 4, $"{best} of {rounds} bodies read straight into the receive in the best of 3 attempts");

        async Task<int> CountDirectAsync()
        {
            int direct = 0;
            for (int i = 0; i < rounds; i++)
            {
                Assert.Equal(SessionIoStatus.Ok, await caller.SendAsync(payload, Ct));
                int before = input.DirectReadsAtOnce;
                var received = await listener.ReceiveAsync(buffer, Ct);
                direct += input.DirectReadsAtOnce > before ? 1 : 0;
                Assert.Equal(SessionIoStatus.Ok, received.Status);
                Assert.Equal(payload.Length, received.BytesReceived);
                Assert.True(payload.AsSpan().SequenceEqual(buffer.AsSpan(0, received.BytesReceived)));

                Assert.Equal(SessionIoStatus.Ok, await listener.SendAsync(buffer.AsMemory(0, received.BytesReceived), Ct));
                Array.Clear(buffer);
                Assert.Equal(payload.Length, (await caller.ReceiveAsync(buffer, Ct)).BytesReceived);
                Assert.True(payload.AsSpan().SequenceEqual(buffer.AsSpan(0, payload.Length)));
            }

            return direct;
        }
    }

    /// <summary>
    /// Issue 18, seventh round: a receiver whose continuation runs inline and answers (the read loop then holds its
    /// next readiness wait back until the continuation returns) and then blocks for the next message still gets it:
    /// posted in the continuation, the receive starts the held wait; posted before the first message came (so its post
    /// cannot), it keeps the loop from holding the wait at all.
    /// </summary>
    [Theory(Timeout = 60_000)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReceiverBlockingInItsContinuation_ForTheNextMessage_GetsIt(bool receiveQueuedBefore)
    {
        await using var bed = new SessionTestBed(Net.Tcp);
        await bed.StartAsync();
        var (caller, listener) = await bed.ConnectAsync();
        for (int round = 0; round < 20; round++)
        {
            var first = listener.ReceiveAsync(new byte[16], Ct);
            var second = receiveQueuedBefore ? listener.ReceiveAsync(new byte[16], Ct).AsTask() : null;
            Assert.Equal(SessionIoStatus.Ok, await caller.SendAsync("one"u8.ToArray(), Ct));
            Assert.Equal(SessionIoStatus.Ok, (await first).Status); // the rest may run inline, in the read loop's hand-over

            second ??= listener.ReceiveAsync(new byte[16], Ct).AsTask();
#pragma warning disable xUnit1031 // blocking in the continuation is the case under test (bounded by Bound)
            Assert.True(listener.SendAsync("ack"u8.ToArray(), Ct).AsTask().Wait(Bound)); // an answer: the next hand-over holds
            Assert.True(caller.SendAsync("two"u8.ToArray(), Ct).AsTask().Wait(Bound));
            Assert.True(second.Wait(Bound), $"round {round}: the receive never completed"); // blocks this thread
#pragma warning restore xUnit1031
            Assert.Equal(3, (await second).BytesReceived);
        }
    }

    /// <summary>The best count of up to three attempts of <paramref name="rounds"/> rounds each; stops early at half the rounds.</summary>
    private static async Task<int> BestOfThreeAsync(Func<Task<int>> attempt, int rounds)
    {
        int best = 0;
        for (int i = 0; i < 3 && best < rounds / 2; i++)
        {
            best = Math.Max(best, await attempt());
        }

        return best;
    }
}
