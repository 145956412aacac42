using NetBios.NcbInterface;
using NetBios.SessionService;
using NetBios.Tests.Sessions;
using Xunit;
using static NetBios.Tests.Sessions.SessionTestBed;

namespace NetBios.Tests.NcbInterface;

/// <summary>
/// RECEIVE ANY ([RFC 1002] 5.3.3) as the NCB layer's pool, attached to a session service through its receive fallback:
/// a session's own receives first, a name or any name, the end of a session, cancellation, the service stopping.
/// </summary>
public sealed class NcbReceiveAnyPoolTests
{
    [Fact(Timeout = 60_000)]
    public async Task ReceiveAny_TakesTheFirstMessageOfAnySessionOfTheName_AfterSpecificReceives()
    {
        var other = NetBiosName.Create("OTHER", 0x03);
        await using var bed = new SessionTestBed(Net.Memory);
        bed.ServerNames.AddLocal(other);
        await bed.StartAsync();
        var pool = NcbReceiveAnyPool.AttachTo(bed.Server);
        var (c1, l1) = await bed.ConnectAsync();
        var (c2, l2) = await bed.ConnectAsync(calledName: other);

        var anyForServer = pool.ReceiveAsync(ServerName, null, new byte[16], Ct).AsTask();
        Assert.Equal(1, pool.CountPending(ServerName));
        await c2.SendAsync("for other"u8.ToArray(), Ct);
        await Task.Delay(100, Ct);
        Assert.False(anyForServer.IsCompleted);

        await c1.SendAsync("for server"u8.ToArray(), Ct);
        var got = await anyForServer.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal((SessionIoStatus.Ok, 10), (got.Status, got.BytesReceived));
        Assert.Same(l1, got.Session);

        var anyName = await pool.ReceiveAsync(null, null, new byte[16], Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Same(l2, anyName.Session);
        Assert.Equal(9, anyName.BytesReceived);

        // A specific receive wins over a RECEIVE ANY.
        var any = pool.ReceiveAsync(null, null, new byte[16], Ct).AsTask();
        var specific = l1.ReceiveAsync(new byte[16], Ct).AsTask();
        await Task.Delay(50, Ct);
        // Both were posted before the message; the session's own receive is served first.
        await c1.SendAsync("x"u8.ToArray(), Ct);
        Assert.Equal(SessionIoStatus.Ok, (await specific.WaitAsync(TimeSpan.FromSeconds(10), Ct)).Status);
        Assert.False(any.IsCompleted);

        // A session ending with no receive of its own completes a RECEIVE ANY for its name.
        await c2.HangUpAsync();
        var closed = await any.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(SessionIoStatus.Closed, closed.Status);
        Assert.Same(l2, closed.Session);
    }

    [Fact(Timeout = 60_000)]
    public async Task ReceiveAny_Cancelled_LeavesThePool_AndTheServiceStoppingClosesTheRest()
    {
        await using var bed = new SessionTestBed(Net.Memory);
        await bed.StartAsync();
        var pool = NcbReceiveAnyPool.AttachTo(bed.Server);
        Assert.Same(pool, NcbReceiveAnyPool.AttachTo(bed.Server)); // one pool per session service

        using var cancel = new CancellationTokenSource();
        var cancelled = pool.ReceiveAsync(ServerName, null, new byte[4], cancel.Token).AsTask();
        var waiting = pool.ReceiveAsync(null, null, new byte[4], Ct).AsTask();
        Assert.Equal(2, pool.CountPending(ServerName));
        await cancel.CancelAsync();
        Assert.Equal(SessionIoStatus.Cancelled, (await cancelled.WaitAsync(TimeSpan.FromSeconds(10), Ct)).Status);
        Assert.Equal(1, pool.CountPending(null));

        await bed.Server.DisposeAsync();
        var stopped = await waiting.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal((SessionIoStatus.Closed, null), (stopped.Status, stopped.Session));
        Assert.Equal(SessionIoStatus.Closed, (await pool.ReceiveAsync(null, null, new byte[4], Ct)).Status);
        Assert.Equal(0, pool.CountPending(null));
    }
}
