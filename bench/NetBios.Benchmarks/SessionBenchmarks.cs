using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using NetBios.SessionService;
using NetBios.Transport;

namespace NetBios.Benchmarks;

/// <summary>
/// Session service ([RFC 1002] 5.3.3) over loopback TCP against raw sockets: ping-pong latency (one message each way)
/// and one-way throughput (16 messages in flight), for 64 B, 4 KiB and 64 KiB.
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class SessionBenchmarks
{
    private const int Batch = 16;

    private SessionService.SessionService _server = null!;
    private SessionService.SessionService _client = null!;
    private NbssSession _a = null!;
    private NbssSession _b = null!;
    private Socket _rawA = null!;
    private Socket _rawB = null!;
    private byte[] _payload = [];
    private byte[] _receiveA = [];
    private byte[] _receiveB = [];

    /// <summary>Message size.</summary>
    [Params(64, 4096, 65536)]
    public int Size { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var name = NetBiosName.Create("BENCH", 0x20);
        (_server, _client, _a, _b) = await SessionPair.OpenAsync(name);
        _payload = new byte[Size];
        _receiveA = new byte[Size];
        _receiveB = new byte[Size];

        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        _rawA = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var accept = listener.AcceptAsync();
        await _rawA.ConnectAsync(listener.LocalEndPoint!);
        _rawB = await accept;
        _rawB.NoDelay = true;
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _rawA.Dispose();
        _rawB.Dispose();
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Benchmark(Description = "NBSS ping-pong")]
    public async Task NbssPingPong()
    {
        await _a.SendAsync(_payload);
        await ReceiveWholeAsync(_b, _receiveB);
        await _b.SendAsync(_payload);
        await ReceiveWholeAsync(_a, _receiveA);
    }

    [Benchmark(Description = "raw TCP ping-pong")]
    public async Task RawPingPong()
    {
        await _rawA.SendAsync(_payload);
        await ReceiveExactlyAsync(_rawB, _receiveB);
        await _rawB.SendAsync(_payload);
        await ReceiveExactlyAsync(_rawA, _receiveA);
    }

    [Benchmark(Description = "NBSS one-way x16", OperationsPerInvoke = Batch)]
    public async Task NbssThroughput()
    {
        var send = Task.Run(async () =>
        {
            for (int i = 0; i < Batch; i++)
            {
                await _a.SendAsync(_payload);
            }
        });
        for (int i = 0; i < Batch; i++)
        {
            await ReceiveWholeAsync(_b, _receiveB);
        }

        await send;
    }

    [Benchmark(Description = "raw TCP one-way x16", OperationsPerInvoke = Batch)]
    public async Task RawThroughput()
    {
        var send = Task.Run(async () =>
        {
            for (int i = 0; i < Batch; i++)
            {
                await _rawA.SendAsync(_payload);
            }
        });
        for (int i = 0; i < Batch; i++)
        {
            await ReceiveExactlyAsync(_rawB, _receiveB);
        }

        await send;
    }

    private static async Task ReceiveWholeAsync(NbssSession session, byte[] buffer)
    {
        var result = await session.ReceiveAsync(buffer);
        if (result.Status != SessionIoStatus.Ok)
        {
            throw new InvalidOperationException($"receive: {result.Status}");
        }
    }

    private static async Task ReceiveExactlyAsync(Socket socket, byte[] buffer)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await socket.ReceiveAsync(buffer.AsMemory(read));
            if (n == 0)
            {
                throw new InvalidOperationException("closed");
            }

            read += n;
        }
    }
}
