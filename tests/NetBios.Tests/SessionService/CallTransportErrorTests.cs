using NetBios.SessionService;
using NetBios.Tests.TestCommon;
using Xunit;
using static NetBios.Tests.Sessions.SessionTestBed;

namespace NetBios.Tests.Sessions;

/// <summary>Issue 17 item 5: every transport error on the call path, and on an established session, is a result value, never an exception.</summary>
public sealed class CallTransportErrorTests
{
    [Theory(Timeout = 60_000)]
    [InlineData(ResetAfter.Accept)]
    [InlineData(ResetAfter.Request)]
    public async Task Call_ServerAcceptsThenResets_IsResetResult(ResetAfter when)
    {
        using var server = new ResettingServer(when);
        await using var bed = new SessionTestBed(Net.Tcp);

        for (int i = 0; i < 20; i++)
        {
            var call = await bed.Client.CallAsync(ClientName, ServerName, [server.EndPoint], Ct);

            Assert.Equal(SessionCallOutcome.Reset, call.Outcome);
            Assert.Equal(server.EndPoint, call.EndPoint);
            Assert.Null(call.Session);
        }

        Assert.Equal(20, server.Accepted);
        Assert.Empty(bed.Client.GetSessions());
    }

    [Fact(Timeout = 60_000)]
    public async Task EstablishedSession_PeerResets_SendAndReceiveReturnAborted()
    {
        using var server = new ResettingServer(ResetAfter.PositiveResponse);
        await using var bed = new SessionTestBed(Net.Tcp);
        var call = await bed.Client.CallAsync(ClientName, ServerName, [server.EndPoint], Ct);
        Assert.True(call.IsConnected);
        var session = call.Session;

        Assert.Equal(SessionIoStatus.Ok, await session.SendAsync("hello"u8.ToArray(), Ct));
        var received = await session.ReceiveAsync(new byte[64], Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(20), Ct);
        Assert.Equal(SessionIoStatus.Aborted, received.Status);

        // Sends after the reset: a status, not an exception, however many times.
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(SessionIoStatus.Aborted, await session.SendAsync("again"u8.ToArray(), Ct));
        }

        Assert.Equal(SessionState.Aborted, session.State);
    }
}
