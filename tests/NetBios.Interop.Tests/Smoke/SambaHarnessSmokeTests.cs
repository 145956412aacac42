using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NetBios.Interop.Tests.Harness;
using Xunit;

namespace NetBios.Interop.Tests.Smoke;

/// <summary>Proves the Samba fixtures with third-party tools only (no code of our stack involved yet).</summary>
[Trait("Category", "Interop")]
public sealed class SambaHarnessSmokeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task BroadcastSegment_NmbdOnHost1_NmblookupBroadcastFromHost2FindsIt()
    {
        InteropRequirements.Require(InteropRequirements.Root, InteropRequirements.Ip, InteropRequirements.Nmbd, InteropRequirements.Nmblookup);
        var ct = TestContext.Current.CancellationToken;
        await using var segment = await BroadcastSegment.CreateAsync(2, ct);
        var (h1, h2) = (segment[1], segment[2]);
        await using var nmbd = await NmbdProcess.StartAsync(h1.Namespace,
            new NmbdOptions { NetbiosName = "PEERB1", Interfaces = h1.InterfaceSpec, WinsSupport = false }, ct);
        output.WriteLine($"nmbd start: {nmbd.StartupTime.TotalMilliseconds:F0} ms");
        using var client = SambaClient.Create(h2.Namespace, h2.InterfaceSpec, "CLIENTB2");

        var r = await client.NmblookupAsync(["-B", segment.Broadcast.ToString(), "PEERB1"], cancellationToken: ct);

        output.WriteLine(r.ToString());
        Assert.True(r.Succeeded, r.ToString());
        Assert.Contains($"{h1.Address} PEERB1<00>", r.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoopbackHost_NmbdWins_NodeStatusListsItsNames()
    {
        InteropRequirements.Require(InteropRequirements.Root, InteropRequirements.Ip, InteropRequirements.Nmbd, InteropRequirements.Nmblookup);
        var ct = TestContext.Current.CancellationToken;
        await using var host = await LoopbackHost.CreateAsync(ct);
        await using var nmbd = await NmbdProcess.StartAsync(host.Namespace,
            new NmbdOptions { NetbiosName = "PEERWINS", Interfaces = host.NmbdInterfaces, WinsSupport = true, LogLevel = 3 }, ct);
        output.WriteLine($"nmbd start: {nmbd.StartupTime.TotalMilliseconds:F0} ms");
        using var client = SambaClient.Create(host.Namespace, host.NmbdInterfaces, "CLIENTW");

        var status = await client.NmblookupAsync(["-U", "127.0.0.1", "-A", "127.0.0.1"], cancellationToken: ct);
        var query = await client.NmblookupAsync(["-U", "127.0.0.1", "--recursion", "PEERWINS"], cancellationToken: ct);

        output.WriteLine(status.ToString());
        output.WriteLine(query.ToString());
        Assert.True(status.Succeeded, status.ToString());
        foreach (var line in new[] { "PEERWINS        <00> -         H <ACTIVE>", "PEERWINS        <20> -         H <ACTIVE>",
                     "PEERTEST        <00> - <GROUP> H <ACTIVE>" })
        {
            Assert.Contains(line, status.StdOut, StringComparison.Ordinal);
        }

        Assert.Contains($"{host.Address} PEERWINS<00>", query.StdOut, StringComparison.Ordinal);
        Assert.Contains("wins_process_name_query: name query for name PEERWINS<00>", nmbd.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Smbd139_RawSessionRequestFromEnteredSocket_GetsPositiveResponse()
    {
        InteropRequirements.Require(InteropRequirements.Root, InteropRequirements.Ip, InteropRequirements.Smbd, InteropRequirements.Smbclient,
            InteropRequirements.Impacket);
        var ct = TestContext.Current.CancellationToken;
        await using var ns = await NetworkNamespace.CreateAsync("smbd", ct);
        await using var smbd = await SmbdProcess.StartAsync(ns, new SmbdOptions { NetbiosName = "PEERSMB", LogLevel = 2 }, ct);
        output.WriteLine($"smbd start: {smbd.StartupTime.TotalMilliseconds:F0} ms");

        // SESSION REQUEST by hand: type 0x81, flags 0, length 68, called PEERSMB<20>, calling PROBE<00>.
        byte[] request = [0x81, 0x00, 0x00, 0x44, .. FirstLevel("PEERSMB", 0x20), .. FirstLevel("PROBE", 0x00)];
        Assert.Equal(72, request.Length);
        using var socket = ns.Enter(() =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Connect(new IPEndPoint(IPAddress.Loopback, 139)); // 127.0.0.1 of the namespace, not of the host
            return s;
        });
        await socket.SendAsync(request, ct);
        var reply = new byte[4];
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(30)); // a bound on a loaded machine, not an expected delay
            var read = 0;
            while (read < 4)
            {
                var n = await socket.ReceiveAsync(reply.AsMemory(read), timeout.Token);
                Assert.True(n > 0, "smbd closed the connection");
                read += n;
            }
        }

        Assert.Equal(new byte[] { 0x82, 0x00, 0x00, 0x00 }, reply);
        Assert.True(await smbd.WaitForLogAsync("name1=PEERSMB", TimeSpan.FromSeconds(30), ct), smbd.Log);

        // The other client helpers against the same smbd: impacket (python) and smbclient (starts samba-dcerpcd,
        // which outlives smbd — the fixture must still clean it up).
        var sw = Stopwatch.StartNew();
        var impacket = await SambaClient.Python(ns, """
            import sys
            from impacket import nmb
            s = nmb.NetBIOSTCPSession('PROBE', sys.argv[1], '127.0.0.1', sess_port=139, timeout=5)
            print('positive session', s.get_remote_name())
            """, ["PEERSMB"], cancellationToken: ct);
        output.WriteLine($"impacket in {sw.ElapsedMilliseconds} ms: {impacket}");
        Assert.Contains("positive session", impacket.EnsureSuccess().StdOut, StringComparison.Ordinal);

        using var client = SambaClient.Create(ns, "127.0.0.1/8", "CLIENTS");
        var list = await client.SmbclientAsync(["-L", "127.0.0.1", "-p", "139", "-I", "127.0.0.1", "-N"], cancellationToken: ct);
        output.WriteLine(list.ToString());
        Assert.Contains("share", list.EnsureSuccess().StdOut, StringComparison.Ordinal);
    }

    /// <summary>RFC 1001 14.1 first-level encoding, written out here on purpose (independent of any codec).</summary>
    private static byte[] FirstLevel(string name, byte suffix)
    {
        var raw = new byte[16];
        for (var i = 0; i < 15; i++)
        {
            raw[i] = i < name.Length ? (byte)name[i] : (byte)' ';
        }

        raw[15] = suffix;
        var encoded = new byte[34];
        encoded[0] = 0x20;
        for (var i = 0; i < 16; i++)
        {
            encoded[1 + (2 * i)] = (byte)('A' + (raw[i] >> 4));
            encoded[2 + (2 * i)] = (byte)('A' + (raw[i] & 0x0F));
        }

        return encoded; // trailing 0x00 (root label) is already there
    }
}
