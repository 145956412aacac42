using System.Buffers.Binary;
using NetBios.SessionService;
using Xunit;
using static NetBios.Tests.Sessions.SessionTestBed;

namespace NetBios.Tests.Sessions;

/// <summary>
/// Issue 18, throughput: a sender that streams (sends again before any receive of its session was posted or served)
/// has its small messages held and sent several per TCP send (<see cref="SessionServiceOptions.CoalesceSends"/>);
/// a request and its answer never wait.
/// </summary>
public sealed class SessionSendCoalescingTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Theory(Timeout = 60_000)]
    [InlineData(64, true)]
    [InlineData(4096, true)]
    [InlineData(64, false)]
    [InlineData(4096, false)]
    public async Task StreamingSender_SmallMessages_LeaveSeveralPerSend_UnlessTurnedOff(int size, bool coalesce)
    {
        await using var bed = new SessionTestBed(Net.Tcp, o => o.CoalesceSends = coalesce);
        await bed.StartAsync();
        var (caller, listener) = await bed.ConnectAsync();
        const int count = 256;
        var receiving = ReceiveNumberedAsync(listener, count, size);
        var output = caller.Connection.SocketOutput!;
        int before = output.Sends;

        await Task.Run(() => SendNumberedAsync(caller, 0, count, size), Ct);

        Assert.Equal(count, await receiving.WaitAsync(Bound, Ct)); // every message, in order, with its own bytes
        int sends = output.Sends - before;
        if (coalesce)
        {
            // 64 B: 1 to 3 sends here; 4 KiB: ~17 (64 KiB each). A loaded pool may take a held batch early (another
            // thread's work item flushing it), so the bound is loose: half a send per message, against one without.
            Assert.True(sends <= count / 2, $"{sends} sends for {count} messages");
        }
        else
        {
            Assert.True(sends >= count, $"{sends} sends for {count} messages"); // one each (two when the socket was full)
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task RequestAndAnswer_NeverWait_EachLeavesInItsOwnSend()
    {
        await using var bed = new SessionTestBed(Net.Tcp);
        await bed.StartAsync();
        var (caller, listener) = await bed.ConnectAsync();
        byte[] request = new byte[4096], buffer = new byte[4096];
        int callerBefore = caller.Connection.SocketOutput!.Sends, listenerBefore = listener.Connection.SocketOutput!.Sends;
        const int rounds = 50;

        for (int i = 0; i < rounds; i++)
        {
            Assert.Equal(SessionIoStatus.Ok, await caller.SendAsync(request, Ct));
            Assert.Equal(0, caller.Connection.SocketOutput.UnflushedBytes); // sent, not held for later
            var received = await listener.ReceiveAsync(buffer, Ct).AsTask().WaitAsync(Bound, Ct);
            Assert.Equal(SessionIoStatus.Ok, await listener.SendAsync(buffer.AsMemory(0, received.BytesReceived), Ct));
            Assert.Equal(0, listener.Connection.SocketOutput.UnflushedBytes);
            Assert.Equal(4096, (await caller.ReceiveAsync(buffer, Ct).AsTask().WaitAsync(Bound, Ct)).BytesReceived);
        }

        // A receive was posted and served between any two sends of either end: none of them is held.
        Assert.Equal(rounds, caller.Connection.SocketOutput.Sends - callerBefore);
        Assert.Equal(rounds, listener.Connection.SocketOutput.Sends - listenerBefore);
    }

    [Fact(Timeout = 60_000)]
    public async Task HeldMessages_LeaveOnTheirOwn_WhenTheSenderStops()
    {
        await using var bed = new SessionTestBed(Net.Tcp);
        await bed.StartAsync();
        var (caller, listener) = await bed.ConnectAsync();

        // The second and third are held; nothing else happens on the caller's session afterwards.
        await Task.Run(() => SendNumberedAsync(caller, 0, 3, 64), Ct);

        Assert.Equal(3, await ReceiveNumberedAsync(listener, 3, 64).WaitAsync(Bound, Ct));
    }

    [Fact(Timeout = 60_000)]
    public async Task HangUp_RightAfterStreamingSends_DeliversEveryMessageFirst()
    {
        await using var bed = new SessionTestBed(Net.Tcp);
        await bed.StartAsync();
        var (caller, listener) = await bed.ConnectAsync();
        const int count = 100;
        var receiving = ReceiveNumberedAsync(listener, count, 4096);

        await Task.Run(
            async () =>
            {
                await SendNumberedAsync(caller, 0, count, 4096);
                Assert.Equal(SessionState.Closed, await caller.HangUpAsync()); // on the sender's thread, before any flush it queued
            },
            Ct);

        Assert.Equal(count, await receiving.WaitAsync(Bound, Ct));
        Assert.Equal(SessionIoStatus.Closed, (await listener.ReceiveAsync(new byte[16], Ct).AsTask().WaitAsync(Bound, Ct)).Status);
    }

    [Fact(Timeout = 60_000)]
    public async Task HeldMessages_ThenASendAfterAReceive_KeepTheirOrder()
    {
        await using var bed = new SessionTestBed(Net.Tcp);
        await bed.StartAsync();
        var (caller, listener) = await bed.ConnectAsync();
        var receiving = ReceiveNumberedAsync(listener, 21, 64);

        await Task.Run(
            async () =>
            {
                await SendNumberedAsync(caller, 0, 20, 64); // 19 held
                var reply = caller.ReceiveAsync(new byte[16], Ct).AsTask(); // posted: the next send is not streaming, so not held
                await SendNumberedAsync(caller, 20, 1, 64);
                Assert.False(reply.IsCompleted);
            },
            Ct);

        Assert.Equal(21, await receiving.WaitAsync(Bound, Ct));
    }

    /// <summary>Sends messages numbered <paramref name="first"/> onwards, each carrying its number in every 4-byte slot, from one buffer reused at once.</summary>
    private static async Task SendNumberedAsync(NbssSession session, int first, int count, int size)
    {
        byte[] payload = new byte[size];
        for (int i = first; i < first + count; i++)
        {
            for (int at = 0; at + 4 <= size; at += 4)
            {
                BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(at), i);
            }

            Assert.Equal(SessionIoStatus.Ok, await session.SendAsync(payload, Ct));
        }
    }

    /// <summary>Receives <paramref name="count"/> numbered messages, checking each one's size and number; how many were right.</summary>
    private static async Task<int> ReceiveNumberedAsync(NbssSession session, int count, int size)
    {
        byte[] buffer = new byte[size];
        for (int i = 0; i < count; i++)
        {
            var received = await session.ReceiveAsync(buffer, Ct);
            Assert.Equal(SessionIoStatus.Ok, received.Status);
            Assert.Equal(size, received.BytesReceived);
            for (int at = 0; at + 4 <= size; at += 4)
            {
                Assert.Equal(i, BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(at)));
            }
        }

        return count;
    }
}
