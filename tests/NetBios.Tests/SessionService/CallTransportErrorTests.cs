using System.Net;
using NetBios.NameService;
using NetBios.NcbInterface;
using NetBios.SessionService;
using NetBios.Station;
using NetBios.Tests.NcbInterface;
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
    [InlineData(ResetAfter.CloseAfterRequest)]
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

    [Fact(Timeout = 60_000)]
    public async Task NcbCall_ServerAcceptsThenResets_IsSessionAborted()
    {
        // The NCB CALL reports a reset as Windows does: the session ended abnormally (NRC_SABORT), not "no answer" (NRC_NOCALL).
        using var server = new ResettingServer(ResetAfter.Request);
        var options = new StationOptions();
        options.NameService.Lmhosts = LmhostsFile.Parse("127.0.0.1 EVIL");
        options.Sessions.RemotePort = server.EndPoint.Port;
        await using var station = await NetBiosStation.BindAsync(IPAddress.Loopback, options, cancellationToken: Ct);
        var netbios = NcbTestSupport.Open(station);
        Assert.Equal(NcbReturnCode.GoodReturn, await netbios.ResetAsync(0));
        Assert.Equal(NcbReturnCode.GoodReturn, await netbios.SubmitAsync(NcbTestSupport.Make(NcbCommand.AddName, "ALICE"), Ct));

        var call = NcbTestSupport.Make(NcbCommand.Call, "ALICE", "EVIL");
        Assert.Equal(NcbReturnCode.SessionAborted, await netbios.SubmitAsync(call, Ct));
        Assert.Equal(1, server.Accepted);
    }
}
