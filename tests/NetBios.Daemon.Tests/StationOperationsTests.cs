using System.Buffers.Binary;
using System.Text;
using NetBios.DatagramService;
using NetBios.NameService;
using NetBios.SessionService;
using Xunit;
using static NetBios.Daemon.Tests.Ncbs;

namespace NetBios.Daemon.Tests;

/// <summary>The daemon side of the station operations (docs/IPC.md "Station operations (0x0100-0x01FF)"): whose names a
/// client may use, what its disconnect releases, the access policy, and malformed bodies.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StationOperationsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly NetBiosName Alice = NetBiosName.Create("ALICE", 0x00);

    [Fact]
    public async Task AClientsDisconnect_ReleasesItsNames_AbortsItsSessions_AndEndsItsReceivers()
    {
        await using var t = await StationUnderTest.StartAsync(StationMode.Daemon);
        var station = (NetBiosDaemonStation)t.Station;
        Assert.True((await station.AddNameAsync(Alice, cancellationToken: Ct)).Succeeded);
        var peerListen = t.Peer.ListenAsync(StationUnderTest.PeerName, null, Ct).AsTask();
        var call = await station.CallAsync(Alice, StationUnderTest.PeerName, Ct);
        Assert.True(call.IsConnected);
        var peer = (await peerListen.WaitAsync(TimeSpan.FromSeconds(10), Ct)).Session!;
        var receiving = station.ReceiveDatagramAsync(DatagramReceiveFilter.ForName(Alice), Ct).AsTask();
        var peerReceive = peer.ReceiveAsync(new byte[8], Ct).AsTask();
        Assert.True(await t.Bed.ObserverFindsAsync("ALICE"));

        await station.Client.DisposeAsync();

        var end = await peerReceive.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.True(end.Status is SessionIoStatus.Aborted or SessionIoStatus.Closed, end.Status.ToString());
        Assert.True(await EventuallyAsync(() => !t.Bed.StationHolds("ALICE")), "the station still holds the name");
        Assert.False(await t.Bed.ObserverFindsAsync("ALICE"));
        Assert.True(await EventuallyAsync(() => t.Bed.Server!.ClientCount == 0));
        Assert.DoesNotContain(t.Bed.Station.GetSessions(), s => s.State == SessionState.Established);
        await Assert.ThrowsAnyAsync<Exception>(() => receiving.WaitAsync(TimeSpan.FromSeconds(10), Ct)); // the receiver ended with the connection
    }

    [Fact]
    public async Task AClientMayUse_ItsNames_AndTheStationsOwn_ButNotAnotherClients()
    {
        await using var bed = await DaemonTestBed.StartAsync();
        var host = NetBiosName.Create("HOST", 0x00);
        Assert.True((await bed.Station.AddNameAsync(host, cancellationToken: Ct)).Succeeded); // as nbtd's configured name
        var alice = await (await bed.ConnectAsync()).GetStationAsync(0, Ct);
        var bob = await (await bed.ConnectAsync()).GetStationAsync(0, Ct);
        Assert.True((await alice.AddNameAsync(Alice, cancellationToken: Ct)).Succeeded);
        var observer = NetBiosName.Create("OBS", 0x00);
        Assert.True((await bed.Observer.AddNameAsync(observer, cancellationToken: Ct)).Succeeded);

        var bobs = await bob.GetNamesAsync(Ct);
        Assert.Contains(bobs, n => n.Name == host);
        Assert.DoesNotContain(bobs, n => n.Name == Alice);
        var alices = await alice.GetNamesAsync(Ct);
        Assert.Contains(alices, n => n.Name == host);
        Assert.Contains(alices, n => n.Name == Alice);

        Assert.Equal(DatagramSendOutcome.Sent, (await bob.SendDatagramAsync(host, observer, new byte[1], cancellationToken: Ct)).Outcome);
        Assert.Equal(DatagramSendOutcome.SourceNameNotLocal, (await bob.SendDatagramAsync(Alice, observer, new byte[1], cancellationToken: Ct)).Outcome);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await bob.CallAsync(Alice, observer, Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await bob.ListenAsync(Alice, null, Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await bob.ReceiveDatagramAsync(DatagramReceiveFilter.ForName(Alice), Ct));
        Assert.Equal(RegistrationOutcome.Duplicate, (await bob.AddNameAsync(Alice, cancellationToken: Ct)).Outcome);
        Assert.False(await bob.DeleteNameAsync(Alice, Ct));
        Assert.False(await bob.DeleteNameAsync(host, Ct));
        Assert.True(bed.StationHolds("ALICE"));
        Assert.True(bed.StationHolds("HOST"));
    }

    [Fact]
    public async Task ThePolicy_RefusesNamesListensAndBroadcasts_ToAClientItForbids()
    {
        Assert.SkipUnless(Environment.UserName == "root", "running a client as nobody needs root");
        await using var bed = await DaemonTestBed.StartAsync(o =>
        {
            o.AccessPolicy.AddNames.Everyone = false;
            o.AccessPolicy.Listen.Everyone = false;
            o.AccessPolicy.SendBroadcasts.Everyone = false;
        });
        bed.Directory.UnixFileMode = (UnixFileMode)Convert.ToInt32("777", 8);
        using var nobody = DaemonLifetimeTests.StartClient(bed.SocketPath, "station", "NOBODY", asUser: "nobody");
        Assert.Equal("denied", await DaemonLifetimeTests.ReadFieldAsync(nobody, "ADD"));
        Assert.Equal("denied", await DaemonLifetimeTests.ReadFieldAsync(nobody, "LISTEN"));
        Assert.Equal("denied", await DaemonLifetimeTests.ReadFieldAsync(nobody, "BROADCAST"));
        await nobody.WaitForExitAsync(Ct);
        Assert.False(bed.StationHolds("NOBODY"));
    }

    [Fact]
    public async Task TheSamePolicy_LetsRootDoIt()
    {
        Assert.SkipUnless(Environment.UserName == "root", "root is the one the policy always allows");
        await using var bed = await DaemonTestBed.StartAsync(o =>
        {
            o.AccessPolicy.AddNames.Everyone = false;
            o.AccessPolicy.SendBroadcasts.Everyone = false;
        });
        var root = await (await bed.ConnectAsync()).GetStationAsync(0, Ct);
        Assert.True((await root.AddNameAsync(Alice, cancellationToken: Ct)).Succeeded);
        Assert.Equal(DatagramSendOutcome.Sent, (await root.SendBroadcastDatagramAsync(Alice, Encoding.ASCII.GetBytes("x"), Ct)).Outcome);
    }

    public static TheoryData<string, byte[]> MalformedBodies => new()
    {
        { "INFO without a LANA", Op(0x0100) },
        { "INFO with a byte too many", Op(0x0100, 0, 0) },
        { "ADD NAME with a short name", Op(0x0101, [0, .. "ALICE"u8]) },
        { "ADD NAME whose scope runs past the end", Op(0x0101, [0, .. new byte[16], 10, (byte)'a']) },
        { "ADD NAME with a bad scope", Op(0x0101, [0, .. new byte[16], 2, (byte)'.', (byte)'.']) },
        { "QUERY with trailing bytes", Op(0x0105, [0, .. new byte[16], 0, 1]) },
        { "NODE STATUS with a 5-byte address", Op(0x0106, [0, 5, 1, 2, 3, 4, 5, 0]) },
        { "SEND DATAGRAM with an unknown kind", Op(0x0107, [0, .. new byte[16], 0, .. new byte[16], 0, 9]) },
        { "RECEIVE DATAGRAM with an unknown filter", Op(0x0109, 0, 7) },
        { "LISTEN with a bad optional flag", Op(0x010B, [0, .. new byte[16], 0, 5]) },
        { "SESSION RECEIVE of more than 131071 bytes", Op(0x010D, 0, 0, 0, 1, 0, 2, 0, 0) },
        { "SESSION STATUS with a short handle", Op(0x010F, 0, 0) },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task AMalformedBody_IsAnsweredMalformed_AndTheClientGoesOn(string why, byte[] payload)
    {
        await using var bed = await DaemonTestBed.StartAsync();
        await using var raw = await RawDaemonSocket.ConnectAsync(bed.SocketPath);
        await raw.SendAsync(RawDaemonSocket.Frame(0x0001, 0, RawDaemonSocket.Hello(1, 1)));
        Assert.Equal(0x8001, (await raw.ReceiveAsync())!.Value.Type);

        await raw.SendAsync(RawDaemonSocket.Frame(0x0020, 7, payload));
        var response = await raw.ReceiveAsync();
        Assert.NotNull(response);
        Assert.Equal((0x8020, 7u), (response.Value.Type, response.Value.Id));
        Assert.True(2 == BinaryPrimitives.ReadUInt16BigEndian(response.Value.Payload), why); // Malformed

        await raw.SendAsync(RawDaemonSocket.Frame(0x0020, 8, Op(0x0100, 0))); // INFO of LANA 0: fine
        var info = await raw.ReceiveAsync();
        Assert.Equal((8u, (ushort)0), (info!.Value.Id, BinaryPrimitives.ReadUInt16BigEndian(info.Value.Payload)));
        await ClosedAsync(bed, raw);
    }

    [Fact]
    public async Task AnUnknownLanaOrSession_IsNotFound()
    {
        await using var bed = await DaemonTestBed.StartAsync();
        await using var raw = await RawDaemonSocket.ConnectAsync(bed.SocketPath);
        await raw.SendAsync(RawDaemonSocket.Frame(0x0001, 0, RawDaemonSocket.Hello(1, 1)));
        Assert.Equal(0x8001, (await raw.ReceiveAsync())!.Value.Type);
        await raw.SendAsync(RawDaemonSocket.Frame(0x0020, 1, Op(0x0100, 9)));
        Assert.Equal(4, BinaryPrimitives.ReadUInt16BigEndian((await raw.ReceiveAsync())!.Value.Payload));
        await raw.SendAsync(RawDaemonSocket.Frame(0x0020, 2, Op(0x010F, 0, 0, 0, 42)));
        var response = (await raw.ReceiveAsync())!.Value;
        Assert.Equal(4, BinaryPrimitives.ReadUInt16BigEndian(response.Payload));
        Assert.Contains("no session 42", Encoding.UTF8.GetString(response.Payload.AsSpan(2)), StringComparison.Ordinal);
        await ClosedAsync(bed, raw);
    }

    /// <summary>Closes the raw client and waits until the daemon has let it go (so that stopping the daemon writes to nobody).</summary>
    private static async Task ClosedAsync(DaemonTestBed bed, RawDaemonSocket raw)
    {
        await raw.DisposeAsync();
        Assert.True(await EventuallyAsync(() => bed.Server!.ClientCount == 0));
    }

    private static byte[] Op(ushort operation, params byte[] body) => [(byte)(operation >> 8), (byte)operation, .. body];
}
