using System.Net;
using Microsoft.Extensions.Logging;
using NetBios.Interop.Tests.Harness;
using NetBios.SessionService;
using NetBios.Transport;
using Xunit;

namespace NetBios.Interop.Tests;

/// <summary>
/// Session service interop ([RFC 1002] 5.3) against Samba smbd 139, impacket and smbclient, each in its own network
/// namespace, our engine in-process with its sockets created inside the namespace (loopback only):
/// (a) our caller → smbd: positive response, then an SMB1 NEGOTIATE carried as a session message and answered;
/// (b) smbd's <c>netbios retarget</c> sends us a RETARGET and our caller follows it;
/// (c) impacket's NetBIOSTCPSession → our listener: positive for a listening name, 0x82 / 0x80 for wrong ones;
/// (d) smbclient -L against our listener for a name we do not have fails cleanly and the listener survives.
/// </summary>
[Trait("Category", "Interop")]
[Collection(nameof(SessionServiceInteropTests))]
[CollectionDefinition(nameof(SessionServiceInteropTests), DisableParallelization = true)]
public sealed class SessionServiceInteropTests(ITestOutputHelper output)
{
    private static readonly NetBiosName Caller = NetBiosName.Create("NBICALLER", 0x00);
    private static readonly NetBiosName Ours = NetBiosName.Create("OURSERVER", 0x20);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = 120_000)]
    public async Task A_OurCaller_ReachesSmbd_AndCarriesAnSmbNegotiate()
    {
        InteropRequirements.Require(InteropRequirements.Root, InteropRequirements.Ip, InteropRequirements.Smbd);
        await using var ns = await NetworkNamespace.CreateAsync("nbss-a", Ct);
        await using var smbd = await SmbdProcess.StartAsync(ns, new SmbdOptions { NetbiosName = "PEERSMB", LogLevel = 2 }, Ct);
        await using var service = CreateService(ns, out _);

        var call = await service.CallAsync(Caller, NetBiosName.Create("PEERSMB", 0x20), [new IPEndPoint(IPAddress.Loopback, 139)], Ct);
        Assert.True(call.IsConnected, $"{call.Outcome} {call.ErrorCode}\n{smbd.Log}");

        Assert.Equal(SessionIoStatus.Ok, await call.Session.SendAsync(SmbNegotiate(), Ct));
        byte[] buffer = new byte[65536];
        var reply = await call.Session.ReceiveAsync(buffer, Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct);
        output.WriteLine($"negotiate reply: {reply.Status} {reply.BytesReceived} bytes");
        Assert.Equal(SessionIoStatus.Ok, reply.Status);
        Assert.Equal([0xFF, (byte)'S', (byte)'M', (byte)'B', 0x72], buffer[..5]);
        await call.Session.HangUpAsync();
    }

    [Fact(Timeout = 120_000)]
    public async Task B_SmbdRetarget_IsFollowed()
    {
        InteropRequirements.Require(InteropRequirements.Root, InteropRequirements.Ip, InteropRequirements.Smbd);
        await using var ns = await NetworkNamespace.CreateAsync("nbss-b", Ct);
        // smbd retargets REDIRECT to 127.0.0.1:1139, where our own listener answers for that name.
        await using var smbd = await SmbdProcess.StartAsync(ns, new SmbdOptions
        {
            NetbiosName = "PEERSMB",
            LogLevel = 2,
            Retargets = new Dictionary<string, string> { ["REDIRECT"] = "127.0.0.1:1139" },
        }, Ct);
        var redirect = NetBiosName.Create("REDIRECT", 0x20);
        await using var target = CreateService(ns, out _, new IPEndPoint(IPAddress.Loopback, 1139), redirect);
        await target.StartAsync(Ct);
        var listen = target.ListenAsync(redirect, null, Ct).AsTask();
        await using var service = CreateService(ns, out _);

        var call = await service.CallAsync(Caller, redirect, [new IPEndPoint(IPAddress.Loopback, 139)], Ct);
        output.WriteLine($"{call.Outcome} retargets={call.Retargets} at {call.EndPoint}");
        Assert.True(call.IsConnected, $"{call.Outcome} {call.ErrorCode}\n{smbd.Log}");
        Assert.Equal(1, call.Retargets);
        Assert.Equal(1139, call.EndPoint!.Port);
        Assert.True((await listen.WaitAsync(TimeSpan.FromSeconds(10), Ct)).IsConnected);
    }

    [Fact(Timeout = 120_000)]
    public async Task C_ImpacketCaller_GetsPositiveForOurName_AndTheRightNegativeCodes()
    {
        InteropRequirements.Require(InteropRequirements.Root, InteropRequirements.Ip, InteropRequirements.Impacket);
        await using var ns = await NetworkNamespace.CreateAsync("nbss-c", Ct);
        var other = NetBiosName.Create("IDLENAME", 0x20);
        await using var service = CreateService(ns, out var log, new IPEndPoint(IPAddress.Loopback, 139), Ours, other);
        await service.StartAsync(Ct);
        var listen = service.ListenAsync(Ours, null, Ct).AsTask();

        const string script = """
            import sys
            from impacket import nmb
            try:
                s = nmb.NetBIOSTCPSession('PROBE', sys.argv[1], '127.0.0.1', sess_port=139, timeout=5)
                s.send_packet(b'hello from impacket')
                print('positive session')
                print('reply', s.recv_packet(5).get_trailer())
                s.close()
            except Exception as e:
                print('refused', repr(e))
            """;
        var echo = Task.Run(async () =>
        {
            var session = (await listen.WaitAsync(TimeSpan.FromSeconds(30), Ct)).Session!;
            var buffer = new byte[100];
            var got = await session.ReceiveAsync(buffer, Ct);
            await session.SendAsync(buffer.AsMemory(0, got.BytesReceived), Ct);
            return got;
        }, Ct);
        var positive = await SambaClient.Python(ns, script, ["OURSERVER"], cancellationToken: Ct);
        output.WriteLine(positive.ToString());
        Assert.Contains("positive session", positive.StdOut, StringComparison.Ordinal);
        Assert.Contains("hello from impacket", positive.StdOut, StringComparison.Ordinal);
        Assert.Equal(19, (await echo).BytesReceived);

        var absent = await SambaClient.Python(ns, script, ["NOTHERE"], cancellationToken: Ct);
        output.WriteLine(absent.ToString());
        Assert.Contains("refused", absent.StdOut, StringComparison.Ordinal);
        Assert.Contains(log.Lines, l => l.Contains("NOTHERE", StringComparison.Ordinal) && l.EndsWith("negative 0x82", StringComparison.Ordinal));

        var idle = await SambaClient.Python(ns, script, ["IDLENAME"], cancellationToken: Ct);
        output.WriteLine(idle.ToString());
        Assert.Contains("refused", idle.StdOut, StringComparison.Ordinal);
        Assert.Contains(log.Lines, l => l.Contains("IDLENAME", StringComparison.Ordinal) && l.EndsWith("negative 0x80", StringComparison.Ordinal));
    }

    [Fact(Timeout = 120_000)]
    public async Task D_Smbclient_AgainstOurListener_FailsCleanly_AndTheListenerSurvives()
    {
        InteropRequirements.Require(InteropRequirements.Root, InteropRequirements.Ip, InteropRequirements.Smbclient);
        await using var ns = await NetworkNamespace.CreateAsync("nbss-d", Ct);
        await using var service = CreateService(ns, out var log, new IPEndPoint(IPAddress.Loopback, 139), Ours);
        await service.StartAsync(Ct);

        using var client = SambaClient.Create(ns, "127.0.0.1/8", "CLIENTS");
        var list = await client.SmbclientAsync(["-L", "NOTHERE", "-I", "127.0.0.1", "-p", "139", "-N"], TimeSpan.FromSeconds(60), Ct);
        output.WriteLine(list.ToString());
        Assert.False(list.Succeeded);
        Assert.Contains(log.Lines, l => l.EndsWith("negative 0x82", StringComparison.Ordinal));

        // Still listening: our own caller connects.
        var listen = service.ListenAsync(Ours, null, Ct).AsTask();
        await using var caller = CreateService(ns, out _);
        var call = await caller.CallAsync(Caller, Ours, [new IPEndPoint(IPAddress.Loopback, 139)], Ct);
        Assert.True(call.IsConnected, call.Outcome.ToString());
        Assert.True((await listen.WaitAsync(TimeSpan.FromSeconds(10), Ct)).IsConnected);
    }

    private NetBios.SessionService.SessionService CreateService(NetworkNamespace ns, out ListLogger log, IPEndPoint? listen = null, params NetBiosName[] names)
    {
        log = new ListLogger(output);
        var options = new SessionServiceOptions { ListenEndPoint = listen ?? new IPEndPoint(IPAddress.Loopback, 0), CallTimeout = TimeSpan.FromSeconds(10) };
        var local = names.ToHashSet();
        return new NetBios.SessionService.SessionService(new NamespaceStreamNetwork(ns, new TcpStreamNetwork()), options, local.Contains,
            (_, _) => ValueTask.FromResult<IReadOnlyList<IPAddress>>([]), TimeProvider.System, log);
    }

    /// <summary>SMB1 NEGOTIATE offering only "NT LM 0.12" (MS-CIFS 2.2.4.52.1).</summary>
    private static byte[] SmbNegotiate()
    {
        byte[] dialects = [0x02, .. "NT LM 0.12"u8, 0x00];
        byte[] header = new byte[32];
        header[0] = 0xFF;
        header[1] = (byte)'S';
        header[2] = (byte)'M';
        header[3] = (byte)'B';
        header[4] = 0x72;          // SMB_COM_NEGOTIATE
        header[9] = 0x18;          // flags: case-insensitive, canonicalised paths
        header[10] = 0x01;         // flags2: long names
        header[26] = 0xFF;         // PID low
        header[27] = 0xFE;
        return [.. header, 0x00, (byte)dialects.Length, 0x00, .. dialects];
    }

    internal sealed class ListLogger(ITestOutputHelper output) : ILogger
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            string line = formatter(state, exception);
            lock (_lines)
            {
                _lines.Add(line);
            }

            try
            {
                output.WriteLine($"[{eventId.Id}] {line}");
            }
            catch (InvalidOperationException)
            {
                // The test has finished.
            }
        }
    }
}
