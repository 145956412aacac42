using NetBios.SessionService;
using Xunit;
using static NetBios.Tests.Sessions.SessionTestBed;

namespace NetBios.Tests.Sessions;

/// <summary>
/// Issue 18: receives are rented from their session and come back once their result is read; a receive given a token or
/// a timeout is never reused (its callbacks may still run). Reuse must never mix up two receives' results or buffers.
/// </summary>
public sealed class SessionReceiveReuseTests
{
    [Theory(Timeout = 60_000)]
    [InlineData(Net.Memory)]
    [InlineData(Net.Tcp)]
    public async Task ReceivesWithAndWithoutTokensOrTimeouts_Interleaved_EachGetsItsOwnMessage(Net net)
    {
        await using var bed = new SessionTestBed(net);
        await bed.StartAsync();
        var (caller, listener) = await bed.ConnectAsync();
        const int count = 300;
        var sends = Task.Run(async () =>
        {
            for (int i = 0; i < count; i++)
            {
                Assert.Equal(SessionIoStatus.Ok, await caller.SendAsync(Pattern(1 + (i % 97), i), Ct));
            }
        }, Ct);

        using var cts = new CancellationTokenSource();
        for (int i = 0; i < count; i++)
        {
            byte[] buffer = new byte[200];
            var received = (i % 3) switch
            {
                0 => await listener.ReceiveAsync(buffer), // rented, comes back
                1 => await listener.ReceiveAsync(buffer, cts.Token), // watched: never reused
                _ => await listener.ReceiveAsync(buffer, TimeSpan.FromSeconds(30)),
            };
            Assert.Equal(SessionIoStatus.Ok, received.Status);
            Assert.Same(listener, received.Session);
            Assert.Equal(Pattern(1 + (i % 97), i), buffer.AsSpan(0, received.BytesReceived).ToArray());
        }

        await sends.WaitAsync(TimeSpan.FromSeconds(20), Ct);
    }

    [Fact(Timeout = 60_000)]
    public async Task CancelledReceive_ThenPlainReceives_TheMessageGoesToTheNextOne()
    {
        await using var bed = new SessionTestBed(Net.Memory);
        await bed.StartAsync();
        var (caller, listener) = await bed.ConnectAsync();
        using var cts = new CancellationTokenSource();
        var cancelled = listener.ReceiveAsync(new byte[10], cts.Token);
        await cts.CancelAsync();
        Assert.Equal(SessionIoStatus.Cancelled, (await cancelled).Status);

        for (int i = 0; i < 5; i++)
        {
            byte[] buffer = new byte[10];
            var receiving = listener.ReceiveAsync(buffer);
            Assert.Equal(SessionIoStatus.Ok, await caller.SendAsync(Pattern(4, i), Ct));
            var received = await receiving;
            Assert.Equal(SessionIoStatus.Ok, received.Status);
            Assert.Equal(Pattern(4, i), buffer.AsSpan(0, received.BytesReceived).ToArray());
        }
    }

    [Theory(Timeout = 60_000)]
    [InlineData(Net.Memory)]
    [InlineData(Net.Tcp)]
    public async Task ReceivesPendingWhenTheSessionEnds_CompleteClosed_AndLaterOnesAtOnce(Net net)
    {
        await using var bed = new SessionTestBed(net);
        await bed.StartAsync();
        var (caller, listener) = await bed.ConnectAsync();
        var first = listener.ReceiveAsync(new byte[10]).AsTask();
        var second = listener.ReceiveAsync(new byte[10]).AsTask();
        await caller.HangUpAsync();

        Assert.Equal(SessionIoStatus.Closed, (await first).Status);
        Assert.Equal(SessionIoStatus.Closed, (await second).Status);
        Assert.Equal(SessionIoStatus.Closed, (await listener.ReceiveAsync(new byte[10])).Status);
    }

    [Theory(Timeout = 60_000)]
    [InlineData(Net.Memory)]
    [InlineData(Net.Tcp)]
    public async Task ReceivePostedAfterTheMessageArrived_IsServed_WithoutAnotherMessage(Net net)
    {
        await using var bed = new SessionTestBed(net);
        await bed.StartAsync();
        var (caller, listener) = await bed.ConnectAsync();
        for (int i = 0; i < 20; i++)
        {
            // The read loop has the header (and the body) before a receive exists: it waits for a receiver, then the
            // receive is filled from what is buffered.
            Assert.Equal(SessionIoStatus.Ok, await caller.SendAsync(Pattern(50, i), Ct));
            await Task.Yield();
            byte[] buffer = new byte[64];
            var received = await listener.ReceiveAsync(buffer);
            Assert.Equal(SessionIoStatus.Ok, received.Status);
            Assert.Equal(Pattern(50, i), buffer.AsSpan(0, received.BytesReceived).ToArray());
        }
    }
}
