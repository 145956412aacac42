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
        const int rounds = 200;
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

        // Without the poll none would (the bytes reach the read loop through epoll and the thread pool); the readiness
        // wait may still win a race now and then on a loaded machine.
        Assert.True(synchronous >= rounds, $"{synchronous} of {2 * rounds} receives completed synchronously");
    }
}
