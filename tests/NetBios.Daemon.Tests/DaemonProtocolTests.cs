using System.Buffers.Binary;
using Microsoft.Extensions.Time.Testing;
using NetBios.NcbInterface;
using Xunit;
using static NetBios.Daemon.Tests.Ncbs;

namespace NetBios.Daemon.Tests;

/// <summary>The handshake and the framing (docs/IPC.md): versions, the daemon's WELCOME, and clients that break the
/// protocol, each of which ends only itself.</summary>
public sealed class DaemonProtocolTests
{
    [Fact]
    public async Task Hello_IsAnsweredWelcome_WithVersionLimitsLanasCredentialsAndPermissions()
    {
        await using var bed = await DaemonTestBed.StartAsync();
        await using var raw = await RawDaemonSocket.ConnectAsync(bed.SocketPath);
        await raw.SendAsync(RawDaemonSocket.Frame(0x0001, 0, RawDaemonSocket.Hello(1, 0)));
        var welcome = await raw.ReceiveAsync();
        Assert.NotNull(welcome);
        Assert.Equal(0x8001, welcome.Value.Type);
        byte[] p = welcome.Value.Payload;
        Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(p));
        Assert.Equal(256 * 1024, BinaryPrimitives.ReadInt32BigEndian(p.AsSpan(4)));
        Assert.Equal(256, BinaryPrimitives.ReadInt32BigEndian(p.AsSpan(8)));
        Assert.Equal(Environment.ProcessId, BinaryPrimitives.ReadInt32BigEndian(p.AsSpan(12)));
        Assert.Equal(1, p[28]);
        Assert.Equal(0, p[29]);

        var client = await bed.ConnectAsync();
        Assert.Equal([0], client.Lanas);
        Assert.True(client.IsConnected);
        if (client.PeerUserId == 0)
        {
            Assert.Equal(NetBiosDaemonPermissions.All, client.Permissions);
        }
    }

    [Fact]
    public async Task AnotherMajorVersion_IsRefusedWithUnsupportedVersion_AndClosed()
    {
        await using var bed = await DaemonTestBed.StartAsync();
        await using var raw = await RawDaemonSocket.ConnectAsync(bed.SocketPath);
        await raw.SendAsync(RawDaemonSocket.Frame(0x0001, 0, RawDaemonSocket.Hello(2, 0)));
        var error = await raw.ReceiveAsync();
        Assert.NotNull(error);
        Assert.Equal(0x8002, error.Value.Type);
        Assert.Equal(NetBiosDaemonError.UnsupportedVersion, RawDaemonSocket.ErrorCode(error.Value.Payload));
        Assert.True(await raw.ClosedAsync());
    }

    [Fact]
    public async Task ARequestForAnOperationTheDaemonDoesNotKnow_IsAnsweredUnknownOperation_AndTheClientGoesOn()
    {
        await using var bed = await DaemonTestBed.StartAsync();
        await using var raw = await RawDaemonSocket.ConnectAsync(bed.SocketPath);
        await raw.SendAsync(RawDaemonSocket.Frame(0x0001, 0, RawDaemonSocket.Hello(1, 1)));
        Assert.Equal(0x8001, (await raw.ReceiveAsync())!.Value.Type);

        await raw.SendAsync(RawDaemonSocket.Frame(0x0021, 41, [])); // REQUEST CANCEL of nothing pending: ignored
        await raw.SendAsync(RawDaemonSocket.Frame(0x0020, 42, [0x7E, 0x57, 1, 2, 3]));
        var response = await raw.ReceiveAsync();
        Assert.NotNull(response);
        Assert.Equal(0x8020, response.Value.Type);
        Assert.Equal(42u, response.Value.Id);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(response.Value.Payload)); // UnknownOperation
        Assert.Contains("0x7E57", System.Text.Encoding.UTF8.GetString(response.Value.Payload.AsSpan(2)), StringComparison.Ordinal);

        await raw.SendAsync(RawDaemonSocket.Frame(0x0020, 43, [0x02, 0xFF]));
        Assert.Equal(43u, (await raw.ReceiveAsync())!.Value.Id);
    }

    public static TheoryData<string, byte[]> Malformed => new()
    {
        { "length below 6", [0, 0, 0, 3, 0, 1, 0, 0, 0, 0] },
        { "length above the limit", [0x7F, 0xFF, 0xFF, 0xFF, 0, 0x10, 0, 0, 0, 1] },
        { "unknown type", RawDaemonSocket.Frame(0x0777, 5, []) },
        { "SUBMIT too short", RawDaemonSocket.Frame(0x0010, 5, new byte[20]) },
        { "SUBMIT data beyond its length", SubmitClaiming(data: 100, length: 10) },
        { "SUBMIT count without buffer", SubmitClaiming(data: 5, length: 10, flags: 0) },
        { "REQUEST without an operation code", RawDaemonSocket.Frame(0x0020, 5, [1]) },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task AMalformedMessage_EndsThatClientOnly(string what, byte[] bytes)
    {
        await using var bed = await DaemonTestBed.StartAsync();
        var bystander = await bed.ConnectAndResetAsync();
        await AddAsync(bystander, "BYSTANDER");

        await using var raw = await RawDaemonSocket.ConnectAsync(bed.SocketPath);
        await raw.SendAsync(RawDaemonSocket.Frame(0x0001, 0, RawDaemonSocket.Hello(1)));
        Assert.Equal(0x8001, (await raw.ReceiveAsync())!.Value.Type);
        await raw.SendAsync(bytes);
        var error = await raw.ReceiveAsync();
        Assert.True(error is null || RawDaemonSocket.ErrorCode(error.Value.Payload) == NetBiosDaemonError.MalformedMessage, what);
        Assert.True(await raw.ClosedAsync(), what);

        Assert.True(bystander.IsConnected, what);
        Assert.True(bed.StationHolds("BYSTANDER"), what);
        var find = Make(NcbCommand.AdapterStatus, callName: "*");
        find.Buffer = new byte[1000];
        find.Length = 1000;
        Assert.Equal(NcbReturnCode.GoodReturn, await bystander.SubmitAsync(find, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task NotHelloFirst_IsMalformed()
    {
        await using var bed = await DaemonTestBed.StartAsync();
        await using var raw = await RawDaemonSocket.ConnectAsync(bed.SocketPath);
        await raw.SendAsync(SubmitClaiming(data: 0, length: 0, flags: 0));
        var error = await raw.ReceiveAsync();
        Assert.Equal(NetBiosDaemonError.MalformedMessage, RawDaemonSocket.ErrorCode(error!.Value.Payload));
        Assert.True(await raw.ClosedAsync());
    }

    [Fact]
    public async Task NoHelloWithinTheHandshakeTimeout_IsHandshakeTimeout_OnTheServersClock()
    {
        var time = new FakeTimeProvider();
        await using var bed = await DaemonTestBed.StartAsync(o => o.HandshakeTimeout = TimeSpan.FromSeconds(5), time);
        await using var raw = await RawDaemonSocket.ConnectAsync(bed.SocketPath);
        Assert.True(await EventuallyAsync(() => bed.Server!.ClientCount == 1));
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(1, bed.Server!.ClientCount);
        time.Advance(TimeSpan.FromSeconds(2));
        var error = await raw.ReceiveAsync();
        Assert.Equal(NetBiosDaemonError.HandshakeTimeout, RawDaemonSocket.ErrorCode(error!.Value.Payload));
        Assert.True(await raw.ClosedAsync());
        Assert.True(await EventuallyAsync(() => bed.Server!.ClientCount == 0));
    }

    [Fact]
    public async Task BeyondMaxClients_TheNewcomerGetsTooManyClients()
    {
        await using var bed = await DaemonTestBed.StartAsync(o => o.MaxClients = 2);
        await bed.ConnectAsync();
        await bed.ConnectAsync();
        var refused = await Assert.ThrowsAsync<NetBiosDaemonException>(() => NetBiosDaemonClient.ConnectAsync(bed.SocketPath, TestContext.Current.CancellationToken));
        Assert.Equal(NetBiosDaemonError.TooManyClients, refused.Error);
    }

    [Fact]
    public async Task BeyondMaxPendingNcbs_TheNcbIsTooManyCommands()
    {
        await using var bed = await DaemonTestBed.StartAsync(o => o.MaxPendingNcbsPerClient = 2);
        var client = await bed.ConnectAndResetAsync();
        byte number = await AddAsync(client, "ALICE");
        Ncb Receive() => new() { Command = NcbCommand.DatagramReceive | NcbCommand.Asynchronous, NameNumber = number, Buffer = new byte[10], Length = 10 };
        Assert.Equal(NcbReturnCode.GoodReturn, client.Submit(Receive()));
        Assert.Equal(NcbReturnCode.GoodReturn, client.Submit(Receive()));
        Assert.Equal(NcbReturnCode.TooManyCommands, client.Submit(Receive()));
    }

    /// <summary>An NCB SUBMIT (DATAGRAM SEND) whose data count is <paramref name="data"/> with an NCB length of
    /// <paramref name="length"/> and a buffer of 10.</summary>
    private static byte[] SubmitClaiming(int data, int length, byte flags = 1)
    {
        byte[] payload = new byte[53 + data + 4];
        payload[0] = 0x20;
        BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(4), (ushort)length);
        payload[44] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(45), 10);
        BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(49), (uint)data);
        return RawDaemonSocket.Frame(0x0010, 9, payload);
    }
}
