using System.Net;
using System.Net.Sockets;
using System.Text;
using NetBios.Interop.Tests.Harness;
using NetBios.NameService;
using NetBios.SessionService;
using NetBios.Transport;
using Xunit;

namespace NetBios.Interop.Tests;

/// <summary>
/// Issue 6 interop, each in its own namespace on 127.0.0.1 (docs/INTEROP.md §2): (a) our caller → smbd on 139, an SMB1
/// NEGOTIATE carried as session messages; (b) smbd's <c>netbios retarget</c> sends us a RETARGET that our caller
/// follows; (c) impacket's NetBIOS session client → our listener, positive and the right negative codes; (d) smbclient
/// against our listener gets a clean negative response and the listener carries on.
/// </summary>
[Trait("Category", "Interop")]
[Collection(nameof(NameServiceInteropTests))]
public sealed class SessionInteropTests(ITestOutputHelper output)
{
    private static readonly NetBiosName Ours = NetBiosName.Create("OURCLIENT", 0x00);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A session service whose sockets live in <paramref name="ns"/>.</summary>
    private static SessionServiceNode ServiceIn(NetworkNamespace ns, StaticNames names, IPEndPoint? listen = null) =>
        new(new TcpStreamNetwork(new TcpStreamOptions { SocketFactory = () => ns.Enter(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)) }),
            new SessionServiceOptions { ListenEndPoint = listen ?? new IPEndPoint(IPAddress.Loopback, 139) },
            names, names);

    /// <summary>SMB1 NEGOTIATE offering "NT LM 0.12" (MS-CIFS 2.2.4.52.1).</summary>
    private static byte[] SmbNegotiate()
    {
        byte[] dialect = [0x02, .. "NT LM 0.12"u8, 0x00];
        var smb = new List<byte> { 0xFF, (byte)'S', (byte)'M', (byte)'B', 0x72 };
        smb.AddRange(new byte[4]);          // status
        smb.Add(0x18);                      // flags: case-insensitive, canonical paths
        smb.AddRange([0x01, 0xC8]);         // flags2: long names, NT status, unicode
        smb.AddRange(new byte[12]);         // PID high, signature, reserved
        smb.AddRange([0x00, 0x00]);         // TID
        smb.AddRange([0xFE, 0xCA]);         // PID
        smb.AddRange([0x00, 0x00, 0x00, 0x00]); // UID, MID
        smb.Add(0);                         // word count
        smb.AddRange([(byte)dialect.Length, 0]);
        smb.AddRange(dialect);
        return [.. smb];
    }

    [Fact]
    public async Task A_OurCaller_ToSmbd139_PositiveThenSmbNegotiateAsSessionMessages()
    {
        InteropRequirements.Require(InteropRequirements.Root, InteropRequirements.Ip, InteropRequirements.Smbd);
        await using var ns = await NetworkNamespace.CreateAsync("smbd-a", Ct);
        await using var smbd = await SmbdProcess.StartAsync(ns, new SmbdOptions { NetbiosName = "PEERSMB", LogLevel = 2 }, Ct);
        await using var caller = ServiceIn(ns, new StaticNames());

        var call = await caller.CallAsync(Ours, NetBiosName.Create("PEERSMB", 0x20), [new IPEndPoint(IPAddress.Loopback, 139)], Ct);
        Assert.True(call.IsConnected, call.ToString());
        await using var session = call.Session!;
        Assert.Equal(SessionIoStatus.Ok, await session.SendAsync(SmbNegotiate(), Ct));
        byte[] reply = new byte[131_071];
        var received = await session.ReceiveAsync(reply, TimeSpan.FromSeconds(10), Ct);

        output.WriteLine($"{received.Status}, {received.BytesReceived} bytes: {Convert.ToHexString(reply, 0, Math.Min(40, received.BytesReceived))}");
        Assert.Equal(SessionIoStatus.Ok, received.Status);
        Assert.Equal([0xFF, (byte)'S', (byte)'M', (byte)'B', 0x72], reply[..5]);
        Assert.Equal(new byte[4], reply[5..9]); // STATUS_SUCCESS
        Assert.True(await smbd.WaitForLogAsync("name1=PEERSMB", TimeSpan.FromSeconds(30), Ct), smbd.Log);
        Assert.True(await smbd.WaitForLogAsync("name2=OURCLIENT", TimeSpan.FromSeconds(30), Ct), smbd.Log);
    }

    [Fact]
    public async Task B_SmbdNetbiosRetarget_OurCallerFollowsIt()
    {
        InteropRequirements.Require(InteropRequirements.Root, InteropRequirements.Ip, InteropRequirements.Smbd);
        await using var ns = await NetworkNamespace.CreateAsync("smbd-b", Ct);
        await using var smbd = await SmbdProcess.StartAsync(ns, new SmbdOptions
        {
            NetbiosName = "PEERSMB",
            Ports = [139, 1139],
            Retargets = new Dictionary<string, string> { ["RETGT"] = "127.0.0.1:1139" },
            LogLevel = 2,
        }, Ct);
        await using var caller = ServiceIn(ns, new StaticNames());

        var call = await caller.CallAsync(Ours, NetBiosName.Create("RETGT", 0x20), [new IPEndPoint(IPAddress.Loopback, 139)], Ct);

        output.WriteLine(call.ToString());
        Assert.True(call.IsConnected, call.ToString());
        Assert.Equal(1, call.Retargets);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 1139), call.EndPoint);
        await using var session = call.Session!;
        Assert.Equal(SessionIoStatus.Ok, await session.SendAsync(SmbNegotiate(), Ct));
        byte[] reply = new byte[131_071];
        var received = await session.ReceiveAsync(reply, TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(SessionIoStatus.Ok, received.Status);
        Assert.Equal(0x72, reply[4]);
    }

    [Fact]
    public async Task C_ImpacketSessionClient_ToOurListener_PositiveAnd0x80And0x82()
    {
        InteropRequirements.Require(InteropRequirements.Root, InteropRequirements.Ip, InteropRequirements.Impacket);
        await using var ns = await NetworkNamespace.CreateAsync("listen-c", Ct);
        var listening = NetBiosName.Create("OURSRV", 0x20);
        var idle = NetBiosName.Create("IDLESRV", 0x20);
        await using var service = ServiceIn(ns, new StaticNames(listening, idle));
        await service.StartAsync(Ct);
        var listen = service.ListenAsync(listening, null, Ct).AsTask();

        var result = SambaClient.Python(ns, """
            import sys
            from impacket import nmb
            s = nmb.NetBIOSTCPSession('PYCLIENT', 'OURSRV', '127.0.0.1', sess_port=139, timeout=5)
            print('positive', s.get_remote_name())
            s.send_packet(b'hello from impacket')
            print('reply', s.recv_packet(5).get_trailer())
            import socket
            for name in ('IDLESRV', 'WRONGNAME'):
                try:
                    nmb.NetBIOSTCPSession('PYCLIENT', name, '127.0.0.1', sess_port=139, timeout=5)
                    print(name, 'positive?!')
                except nmb.NetBIOSError as e:
                    print(name, 'impacket:', e)
                # impacket does not decode the error byte: read it with a raw request (RFC 1002 4.3.2/4.3.4).
                body = nmb.encode_name(name, nmb.TYPE_SERVER, '') + nmb.encode_name('PYCLIENT', nmb.TYPE_WORKSTATION, '')
                raw = socket.create_connection(('127.0.0.1', 139), 5)
                raw.sendall(bytes([0x81, 0, 0, len(body)]) + body)
                r = raw.recv(5)
                print(name, 'negative 0x%02x 0x%02x' % (r[0], r[4]))
            """, [], TimeSpan.FromSeconds(60), Ct);
        // The script needs our side to answer while it runs: receive and echo on the accepted session.
        var accepted = await listen.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.True(accepted.IsConnected);
        byte[] buffer = new byte[1024];
        var message = await accepted.Session!.ReceiveAsync(buffer, TimeSpan.FromSeconds(10), Ct);
        Assert.Equal("hello from impacket", Encoding.ASCII.GetString(buffer, 0, message.BytesReceived));
        Assert.Equal(SessionIoStatus.Ok, await accepted.Session.SendAsync("hello from .NET"u8.ToArray(), Ct));
        var run = await result;

        output.WriteLine(run.ToString());
        Assert.Contains("positive", run.EnsureSuccess().StdOut, StringComparison.Ordinal);
        Assert.Contains("reply b'hello from .NET'", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("IDLESRV impacket: Cannot request session", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("IDLESRV negative 0x83 0x80", run.StdOut, StringComparison.Ordinal);   // not listening on called name
        Assert.Contains("WRONGNAME negative 0x83 0x82", run.StdOut, StringComparison.Ordinal); // called name not present
        Assert.Equal("PYCLIENT", accepted.Session.RemoteName.NameText.TrimEnd());
    }

    [Fact]
    public async Task D_Smbclient_AgainstOurListener_GetsACleanNegativeResponse_AndTheListenerCarriesOn()
    {
        InteropRequirements.Require(InteropRequirements.Root, InteropRequirements.Ip, InteropRequirements.Smbclient);
        await using var ns = await NetworkNamespace.CreateAsync("listen-d", Ct);
        var ours = NetBiosName.Create("OURSRV", 0x20);
        await using var service = ServiceIn(ns, new StaticNames(ours));
        await service.StartAsync(Ct);
        using var client = SambaClient.Create(ns, "127.0.0.1/8", "SMBCLIENTD");

        // -L 127.0.0.1 calls "127.0.0.1<20>", which is not here: 0x82. Then OURSRV, present but not listening: 0x80.
        // Either way smbclient reports a clean failure, not a broken connection.
        var notPresent = await client.SmbclientAsync(["-L", "127.0.0.1", "-p", "139", "-I", "127.0.0.1", "-N", "--debuglevel=1"], cancellationToken: Ct);
        var notListening = await client.SmbclientAsync(["-L", "OURSRV", "-p", "139", "-I", "127.0.0.1", "-N", "--debuglevel=1"], cancellationToken: Ct);
        output.WriteLine(notPresent.ToString());
        output.WriteLine(notListening.ToString());

        Assert.NotEqual(0, notPresent.ExitCode);
        // smbclient maps every NEGATIVE SESSION RESPONSE to one status (the codes themselves are checked in test C).
        Assert.Contains("NT_STATUS_RESOURCE_NAME_NOT_FOUND", notPresent.StdOut + notPresent.StdErr, StringComparison.Ordinal);
        Assert.NotEqual(0, notListening.ExitCode);
        Assert.Contains("NT_STATUS_RESOURCE_NAME_NOT_FOUND", notListening.StdOut + notListening.StdErr, StringComparison.Ordinal);

        // Still serving: a call of ours from the same namespace gets the positive response.
        var listen = service.ListenAsync(ours, null, Ct).AsTask();
        await using var caller = ServiceIn(ns, new StaticNames());
        var call = await caller.CallAsync(Ours, ours, [new IPEndPoint(IPAddress.Loopback, 139)], Ct);
        Assert.True(call.IsConnected, call.ToString());
        Assert.True((await listen).IsConnected);
    }
}
