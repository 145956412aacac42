using System.Net;
using NetBios.NameService;
using NetBios.SessionService;
using NetBios.Transport;
using NetBios.Wire.Session;
using Xunit;
using static NetBios.Tests.Sessions.SessionTestBed;

namespace NetBios.Tests.Sessions;

/// <summary>CALL and LISTEN ([RFC 1002] 5.3.1, 5.3.2): positive, every negative code, retargets, over in-memory streams and loopback TCP.</summary>
public sealed class SessionEstablishmentTests
{
    [Theory(Timeout = 60_000)]
    [InlineData(Net.Memory)]
    [InlineData(Net.Tcp)]
    public async Task Call_ListeningName_ConnectsAndCarriesMessages(Net net)
    {
        await using var bed = new SessionTestBed(net);
        await bed.StartAsync();
        var (caller, listener) = await bed.ConnectAsync();

        Assert.Equal(ClientName, caller.LocalName);
        Assert.Equal(ServerName, caller.RemoteName);
        Assert.Equal(ServerName, listener.LocalName);
        Assert.Equal(ClientName, listener.RemoteName);
        Assert.True(caller.IsCaller);
        Assert.False(listener.IsCaller);

        Assert.Equal(SessionIoStatus.Ok, await caller.SendAsync("ping"u8.ToArray(), Ct));
        Assert.Equal("ping"u8.ToArray(), await ReceiveMessageAsync(listener));
        Assert.Equal(SessionIoStatus.Ok, await listener.SendAsync("pong"u8.ToArray(), Ct));
        Assert.Equal("pong"u8.ToArray(), await ReceiveMessageAsync(caller));
    }

    [Theory(Timeout = 60_000)]
    [InlineData(Net.Memory)]
    [InlineData(Net.Tcp)]
    public async Task Call_ByResolvedName_TriesEachAddressInTurn(Net net)
    {
        await using var bed = new SessionTestBed(net, o => o.RemotePort = 1);
        await bed.StartAsync();

        // The resolver's first address refuses; the second is the server, found through an explicit endpoint list.
        var calledAt = new[] { new IPEndPoint(net == Net.Memory ? IPAddress.Parse("192.168.1.99") : IPAddress.Loopback, net == Net.Memory ? 139 : 1), bed.ServerEndPoint };
        var listen = bed.Server.ListenAsync(ServerName, null, Ct).AsTask();
        var call = await bed.Client.CallAsync(ClientName, ServerName, calledAt, Ct);
        Assert.Equal(SessionCallOutcome.Connected, call.Outcome);
        Assert.Equal(bed.ServerEndPoint, call.EndPoint);
        Assert.True((await listen).IsConnected);
    }

    [Fact(Timeout = 60_000)]
    public async Task Call_NameWithoutAddresses_IsNameNotFound()
    {
        await using var bed = new SessionTestBed(Net.Memory);
        var call = await bed.Client.CallAsync(ClientName, ServerName, Ct);
        Assert.Equal(SessionCallOutcome.NameNotFound, call.Outcome);
    }

    [Fact(Timeout = 60_000)]
    public async Task Call_ResolvedAddressNobodyListensOn_IsUnreachable()
    {
        await using var bed = new SessionTestBed(Net.Memory);
        bed.ClientNames.SetAddresses(ServerName, ServerAddress);
        var call = await bed.Client.CallAsync(ClientName, ServerName, Ct);
        Assert.Equal(SessionCallOutcome.Unreachable, call.Outcome);
    }

    [Theory(Timeout = 60_000)]
    [InlineData(Net.Memory)]
    [InlineData(Net.Tcp)]
    public async Task Call_NameNotOnNode_Gets0x82(Net net)
    {
        await using var bed = new SessionTestBed(net);
        await bed.StartAsync();
        var call = await bed.Client.CallAsync(ClientName, NetBiosName.Create("NOBODY", 0x20), [bed.ServerEndPoint], Ct);
        Assert.Equal(SessionCallOutcome.CalledNameNotPresent, call.Outcome);
        Assert.Equal((byte)0x82, call.ErrorCode);
    }

    [Theory(Timeout = 60_000)]
    [InlineData(Net.Memory)]
    [InlineData(Net.Tcp)]
    public async Task Call_NameNotListening_Gets0x80(Net net)
    {
        await using var bed = new SessionTestBed(net);
        await bed.StartAsync();
        var call = await bed.Client.CallAsync(ClientName, ServerName, [bed.ServerEndPoint], Ct);
        Assert.Equal(SessionCallOutcome.NotListeningOnCalledName, call.Outcome);
        Assert.Equal((byte)0x80, call.ErrorCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task Call_ListenForAnotherCaller_Gets0x81_AndTheRightCallerConnects()
    {
        await using var bed = new SessionTestBed(Net.Memory);
        await bed.StartAsync();
        var expected = NetBiosName.Create("FRIEND", 0x00);
        var listen = bed.Server.ListenAsync(ServerName, expected, Ct).AsTask();

        var stranger = await bed.Client.CallAsync(ClientName, ServerName, [bed.ServerEndPoint], Ct);
        Assert.Equal(SessionCallOutcome.NotListeningForCallingName, stranger.Outcome);
        Assert.Equal((byte)0x81, stranger.ErrorCode);
        Assert.False(listen.IsCompleted);

        var friend = await bed.Client.CallAsync(expected, ServerName, [bed.ServerEndPoint], Ct);
        Assert.Equal(SessionCallOutcome.Connected, friend.Outcome);
        var listened = await listen;
        Assert.Equal(expected, listened.Session!.RemoteName);
    }

    [Fact(Timeout = 60_000)]
    public async Task Listen_Wildcard_AcceptsAnyCaller()
    {
        await using var bed = new SessionTestBed(Net.Memory);
        await bed.StartAsync();
        var listen = bed.Server.ListenAsync(ServerName, NetBiosName.Wildcard, Ct).AsTask();
        var someone = NetBiosName.Create("SOMEONE", 0x03);
        var call = await bed.Client.CallAsync(someone, ServerName, [bed.ServerEndPoint], Ct);
        Assert.Equal(SessionCallOutcome.Connected, call.Outcome);
        Assert.Equal(someone, (await listen).Session!.RemoteName);
    }

    [Fact(Timeout = 60_000)]
    public async Task Call_SessionTableFull_Gets0x83()
    {
        await using var bed = new SessionTestBed(Net.Memory, o => o.MaxSessions = 1);
        await bed.StartAsync();
        await bed.ConnectAsync();
        _ = bed.Server.ListenAsync(ServerName, null, Ct).AsTask();
        var second = await bed.Client.CallAsync(NetBiosName.Create("OTHER", 0), ServerName, [bed.ServerEndPoint], Ct);
        // The client's own table (also 1) is full too, so call from a fresh client service.
        Assert.Equal(SessionCallOutcome.LocalSessionTableFull, second.Outcome);

        await using var other = new NetBios.SessionService.SessionServiceNode(bed.ClientNetwork, new SessionServiceOptions(), new StaticNames(), new StaticNames());
        var refused = await other.CallAsync(NetBiosName.Create("OTHER", 0), ServerName, [bed.ServerEndPoint], Ct);
        Assert.Equal(SessionCallOutcome.InsufficientResources, refused.Outcome);
        Assert.Equal((byte)0x83, refused.ErrorCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task MalformedRequest_Gets0x8F_AndTheListenerSurvives()
    {
        await using var bed = new SessionTestBed(Net.Memory);
        await bed.StartAsync();
        var raw = await bed.RawConnectAsync();
        // A SESSION REQUEST whose trailer is not two names.
        await WriteAsync(raw, new byte[] { 0x81, 0, 0, 4, 1, 2, 3, 4 });
        Assert.Equal([0x83, 0, 0, 1, 0x8F], await ReadExactlyAsync(raw, 5));
        Assert.True(await IsClosedAsync(raw));

        var raw2 = await bed.RawConnectAsync();
        await WriteAsync(raw2, new byte[] { 0x00, 0x01, 0xFF, 0xFF });
        Assert.Equal([0x83, 0, 0, 1, 0x8F], await ReadExactlyAsync(raw2, 5));
        Assert.True(await IsClosedAsync(raw2));

        await bed.ConnectAsync();
    }

    [Fact(Timeout = 60_000)]
    public async Task LegacyKeepAliveRequest_IsAnsweredWith0x85_BeforeAndAfterTheRequest()
    {
        await using var bed = new SessionTestBed(Net.Memory);
        await bed.StartAsync();
        var listen = bed.Server.ListenAsync(ServerName, null, Ct).AsTask();
        var raw = await bed.RawConnectAsync();
        await WriteAsync(raw, new byte[] { 0x89, 0, 0, 0, 0x85, 0, 0, 0 });
        Assert.Equal([0x85, 0, 0, 0], await ReadExactlyAsync(raw, 4));
        await WriteAsync(raw, new SessionRequest(ServerName, ClientName).ToArray());
        Assert.Equal([0x82, 0, 0, 0], await ReadExactlyAsync(raw, 4));
        var session = (await listen).Session!;
        await WriteAsync(raw, new byte[] { 0x89, 0, 0, 0 });
        Assert.Equal([0x85, 0, 0, 0], await ReadExactlyAsync(raw, 4));
        Assert.Equal(SessionState.Established, session.State);
    }

    [Fact(Timeout = 60_000)]
    public async Task Call_ScopedNames_AreMatched()
    {
        var scoped = NetBiosName.Create("SERVER", 0x20, "corp.example");
        await using var bed = new SessionTestBed(Net.Memory);
        bed.ServerNames.AddLocal(scoped);
        await bed.StartAsync();
        var (caller, listener) = await bed.ConnectAsync(NetBiosName.Create("CLIENT", 0, "corp.example"), scoped);
        Assert.Equal("corp.example", listener.LocalName.Scope);
        Assert.Equal("corp.example", caller.LocalName.Scope);

        // Same name, other scope: not present.
        var unscoped = await bed.Client.CallAsync(ClientName, NetBiosName.Create("SERVER", 0x20, "other"), [bed.ServerEndPoint], Ct);
        Assert.Equal(SessionCallOutcome.CalledNameNotPresent, unscoped.Outcome);
    }

    [Theory(Timeout = 60_000)]
    [InlineData(Net.Memory)]
    [InlineData(Net.Tcp)]
    public async Task Retarget_IsFollowed(Net net)
    {
        await using var bed = new SessionTestBed(net);
        await bed.StartAsync();
        await using var redirector = await Redirector.StartAsync(bed.ServerNetwork, bed.ListenAddress, bed.ServerEndPoint);
        var listen = bed.Server.ListenAsync(ServerName, null, Ct).AsTask();

        var call = await bed.Client.CallAsync(ClientName, ServerName, [redirector.EndPoint], Ct);
        Assert.Equal(SessionCallOutcome.Connected, call.Outcome);
        Assert.Equal(1, call.Retargets);
        Assert.Equal(bed.ServerEndPoint, call.EndPoint);
        Assert.True((await listen).IsConnected);
    }

    [Fact(Timeout = 60_000)]
    public async Task Retarget_Loop_IsDetected()
    {
        await using var bed = new SessionTestBed(Net.Memory);
        await using var a = await Redirector.StartAsync(bed.ServerNetwork, bed.ListenAddress, null);
        await using var b = await Redirector.StartAsync(bed.ServerNetwork, bed.ListenAddress, a.EndPoint);
        a.Target = b.EndPoint;
        var call = await bed.Client.CallAsync(ClientName, ServerName, [a.EndPoint], Ct);
        Assert.Equal(SessionCallOutcome.RetargetLoop, call.Outcome);
    }

    [Fact(Timeout = 60_000)]
    public async Task Retarget_ChainLongerThanRetryCount_IsRefused()
    {
        await using var bed = new SessionTestBed(Net.Memory);
        await bed.StartAsync();
        // 5 hops to the server: one more than SSN_RETRY_COUNT.
        var chain = new List<Redirector>();
        IPEndPoint next = bed.ServerEndPoint;
        for (int i = 0; i < 5; i++)
        {
            var r = await Redirector.StartAsync(bed.ServerNetwork, bed.ListenAddress, next);
            chain.Add(r);
            next = r.EndPoint;
        }

        try
        {
            _ = bed.Server.ListenAsync(ServerName, null, Ct).AsTask();
            var call = await bed.Client.CallAsync(ClientName, ServerName, [next], Ct);
            Assert.Equal(SessionCallOutcome.RetargetLoop, call.Outcome);

            var shorter = await bed.Client.CallAsync(ClientName, ServerName, [chain[3].EndPoint], Ct);
            Assert.Equal(SessionCallOutcome.Connected, shorter.Outcome);
            Assert.Equal(4, shorter.Retargets);
        }
        finally
        {
            foreach (var r in chain)
            {
                await r.DisposeAsync();
            }
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task CallSmbServer_CallsTheStarSmbServerName()
    {
        await using var bed = new SessionTestBed(Net.Memory, o => { });
        bed.ServerNames.AddLocal(NetBios.SessionService.SessionServiceNode.SmbServerName);
        await bed.StartAsync();
        var listen = bed.Server.ListenAsync(NetBios.SessionService.SessionServiceNode.SmbServerName, null, Ct).AsTask();
        var call = await bed.Client.CallAsync(ClientName, NetBios.SessionService.SessionServiceNode.SmbServerName, [bed.ServerEndPoint], Ct);
        Assert.True(call.IsConnected);
        Assert.Equal(NetBios.SessionService.SessionServiceNode.SmbServerName, (await listen).Session!.LocalName);
        Assert.Equal((byte)0x20, NetBios.SessionService.SessionServiceNode.SmbServerName[15]);
        Assert.Equal((byte)0x20, NetBios.SessionService.SessionServiceNode.SmbServerName[14]);
    }

    [Fact(Timeout = 60_000)]
    public async Task Listen_Cancelled_CompletesCancelled_AndTheNameIsNoLongerListening()
    {
        await using var bed = new SessionTestBed(Net.Memory);
        await bed.StartAsync();
        using var cts = new CancellationTokenSource();
        var listen = bed.Server.ListenAsync(ServerName, null, cts.Token).AsTask();
        await cts.CancelAsync();
        Assert.Equal(SessionListenOutcome.Cancelled, (await listen).Outcome);
        var call = await bed.Client.CallAsync(ClientName, ServerName, [bed.ServerEndPoint], Ct);
        Assert.Equal(SessionCallOutcome.NotListeningOnCalledName, call.Outcome);
    }

    /// <summary>A listener that answers every session request with a RETARGET to <see cref="Target"/>.</summary>
    private sealed class Redirector : IAsyncDisposable
    {
        private readonly IStreamListener _listener;
        private readonly Task _loop;

        private Redirector(IStreamListener listener, IPEndPoint? target)
        {
            _listener = listener;
            Target = target;
            _loop = Task.Run(LoopAsync, CancellationToken.None);
        }

        public IPEndPoint EndPoint => _listener.LocalEndPoint;

        public IPEndPoint? Target { get; set; }

        public static async Task<Redirector> StartAsync(IStreamNetwork network, IPAddress address, IPEndPoint? target) =>
            new(await network.ListenAsync(new IPEndPoint(address, 0), Ct), target);

        public async ValueTask DisposeAsync()
        {
            await _listener.DisposeAsync();
            await _loop;
        }

        private async Task LoopAsync()
        {
            while (await _listener.AcceptAsync(CancellationToken.None) is { } connection)
            {
                try
                {
                    await ReadExactlyAsync(connection, 4 + SessionRequest.UnscopedTrailerLength);
                    var target = Target!;
                    await WriteAsync(connection, new RetargetSessionResponse(target.Address, (ushort)target.Port).ToArray());
                    await connection.DisposeAsync();
                }
                catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException)
                {
                }
            }
        }
    }
}
