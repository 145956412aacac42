using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using NetBios.NameService;
using NetBios.SessionService;
using NetBios.Transport;

namespace NetBios.Benchmarks;

/// <summary>
/// Issue 6: our sessions against raw TCP sockets on loopback, in the same run. Throughput: <see cref="Messages"/>
/// messages one way (4 MiB, at least 256 messages), the receiver draining concurrently (bytes/s = Messages × Size / mean). Latency: one round trip to an echo
/// loop running on its own (as a server would), and, for reference, a "same-flow" ping-pong in which one flow plays both
/// ends (favours raw sockets: no hand-over between the two ends' threads). The raw baseline sends the same payload bytes
/// over a connected socket pair (no framing) and reads exactly as many.
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class SessionBenchmarks
{
    /// <summary>Bytes per throughput operation: enough that start and end of a batch do not dominate small messages.</summary>
    public const int BatchBytes = 4 << 20;

    private SessionServiceNode _server = null!;
    private SessionServiceNode _client = null!;
    private SessionServiceNode _clientEachSend = null!;
    private NbssSession _caller = null!;
    private NbssSession _callee = null!;
    private NbssSession _eachSendCaller = null!;
    private NbssSession _eachSendCallee = null!;
    private Socket _rawA = null!;
    private Socket _rawB = null!;
    private NbssSession _echoCaller = null!;
    private Socket _rawEchoClient = null!;
    private Socket _rawEchoServer = null!;
    private Task _echoLoops = Task.CompletedTask;
    private byte[] _payload = [];
    private byte[] _receiveBuffer = [];

    [Params(64, 4096, 65536)]
    public int Size { get; set; }

    /// <summary>Messages per throughput operation.</summary>
    public int Messages => Math.Max(256, BatchBytes / Size);

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var serverName = NetBiosName.Create("BENCHSRV", 0x20);
        var clientName = NetBiosName.Create("BENCHCLI", 0x00);
        var network = new TcpStreamNetwork();
        _server = new SessionServiceNode(network, new SessionServiceOptions { ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0) },
            new StaticNames(serverName), new StaticNames());
        await _server.StartAsync();
        _client = new SessionServiceNode(network, new SessionServiceOptions(), new StaticNames(), new StaticNames());
        var listen = _server.ListenAsync(serverName, null).AsTask();
        var call = await _client.CallAsync(clientName, serverName, [_server.LocalEndPoint!]);
        _caller = call.Session!;
        _callee = (await listen).Session!;

        // The same, from a caller whose every message is its own send(2) (SessionServiceOptions.CoalesceSends off).
        _clientEachSend = new SessionServiceNode(network, new SessionServiceOptions { CoalesceSends = false }, new StaticNames(), new StaticNames());
        var eachSendListen = _server.ListenAsync(serverName, null).AsTask();
        _eachSendCaller = (await _clientEachSend.CallAsync(clientName, serverName, [_server.LocalEndPoint!])).Session!;
        _eachSendCallee = (await eachSendListen).Session!;

        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        _rawA = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var accept = listener.AcceptAsync();
        await _rawA.ConnectAsync(listener.LocalEndPoint!);
        _rawB = await accept;
        _rawB.NoDelay = true;

        _payload = new byte[Size];
        Random.Shared.NextBytes(_payload);
        _receiveBuffer = new byte[Math.Max(Size, 131_071)];

        // A second session and socket pair, each with an echo loop on the far end.
        var echoListen = _server.ListenAsync(serverName, null).AsTask();
        _echoCaller = (await _client.CallAsync(clientName, serverName, [_server.LocalEndPoint!])).Session!;
        var echoCallee = (await echoListen).Session!;
        _rawEchoClient = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var echoListener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        echoListener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        echoListener.Listen();
        var echoAccept = echoListener.AcceptAsync();
        await _rawEchoClient.ConnectAsync(echoListener.LocalEndPoint!);
        _rawEchoServer = await echoAccept;
        _rawEchoServer.NoDelay = true;
        _echoLoops = Task.WhenAll(Task.Run(() => SessionEchoAsync(echoCallee)), Task.Run(() => RawEchoAsync(_rawEchoServer, Size)));
    }

    private static async Task SessionEchoAsync(NbssSession session)
    {
        byte[] buffer = new byte[131_071];
        while (true)
        {
            var received = await session.ReceiveAsync(buffer);
            if (received.Status != SessionIoStatus.Ok || await session.SendAsync(buffer.AsMemory(0, received.BytesReceived)) != SessionIoStatus.Ok)
            {
                return;
            }
        }
    }

    private static async Task RawEchoAsync(Socket socket, int size)
    {
        byte[] buffer = new byte[size];
        try
        {
            while (true)
            {
                int read = 0;
                while (read < size)
                {
                    int n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None);
                    if (n == 0)
                    {
                        return;
                    }

                    read += n;
                }

                await socket.SendAsync(buffer, SocketFlags.None);
            }
        }
        catch (SocketException)
        {
            // Closed at cleanup.
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _rawA.Dispose();
        _rawB.Dispose();
        _rawEchoClient.Dispose();
        _rawEchoServer.Dispose();
        await _client.DisposeAsync();
        await _clientEachSend.DisposeAsync();
        await _server.DisposeAsync();
        await Task.WhenAny(_echoLoops, Task.Delay(TimeSpan.FromSeconds(5))); // the loops end with their connections
    }

    [Benchmark(Description = "session throughput (4 MiB)")]
    public Task SessionThroughput() => ThroughputAsync(_caller, _callee);

    [Benchmark(Description = "session throughput (4 MiB), each message its own send")]
    public Task SessionThroughputEachSend() => ThroughputAsync(_eachSendCaller, _eachSendCallee);

    [Benchmark(Description = "raw TCP throughput (4 MiB)", Baseline = true)]
    public async Task RawThroughput()
    {
        var receiving = ReceiveRawAsync((long)Messages * Size);
        for (int i = 0; i < Messages; i++)
        {
            await _rawA.SendAsync(_payload, SocketFlags.None);
        }

        await receiving;
    }

    [Benchmark(Description = "session round trip to an echo loop")]
    public async Task SessionEcho()
    {
        await _echoCaller.SendAsync(_payload);
        await _echoCaller.ReceiveAsync(_receiveBuffer);
    }

    [Benchmark(Description = "raw TCP round trip to an echo loop")]
    public async Task RawEcho()
    {
        await _rawEchoClient.SendAsync(_payload, SocketFlags.None);
        await ReadExactlyAsync(_rawEchoClient, Size);
    }

    [Benchmark(Description = "session ping-pong, one flow plays both ends")]
    public async Task SessionPingPong()
    {
        await _caller.SendAsync(_payload);
        var request = await _callee.ReceiveAsync(_receiveBuffer);
        await _callee.SendAsync(_receiveBuffer.AsMemory(0, request.BytesReceived));
        await _caller.ReceiveAsync(_receiveBuffer);
    }

    [Benchmark(Description = "raw TCP ping-pong, one flow plays both ends")]
    public async Task RawPingPong()
    {
        await _rawA.SendAsync(_payload, SocketFlags.None);
        await ReadExactlyAsync(_rawB, Size);
        await _rawB.SendAsync(_receiveBuffer.AsMemory(0, Size), SocketFlags.None);
        await ReadExactlyAsync(_rawA, Size);
    }

    private async Task ThroughputAsync(NbssSession caller, NbssSession callee)
    {
        var receiving = ReceiveSessionAsync(callee, Messages);
        for (int i = 0; i < Messages; i++)
        {
            await caller.SendAsync(_payload);
        }

        await receiving;
    }

    private async Task ReceiveSessionAsync(NbssSession callee, int messages)
    {
        for (int i = 0; i < messages; i++)
        {
            var result = await callee.ReceiveAsync(_receiveBuffer);
            if (result.Status != SessionIoStatus.Ok)
            {
                throw new InvalidOperationException($"receive: {result.Status}");
            }
        }
    }

    private Task ReceiveRawAsync(long bytes) => ReadExactlyAsync(_rawB, bytes);

    private async Task ReadExactlyAsync(Socket socket, long bytes)
    {
        while (bytes > 0)
        {
            int read = await socket.ReceiveAsync(_receiveBuffer.AsMemory(0, (int)Math.Min(bytes, _receiveBuffer.Length)), SocketFlags.None);
            if (read == 0)
            {
                throw new InvalidOperationException("raw peer closed");
            }

            bytes -= read;
        }
    }
}
