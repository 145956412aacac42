using System.Buffers;
using System.Net;
using BenchmarkDotNet.Attributes;
using NetBios.Wire.Datagram;
using NetBios.Wire.NameService;
using NetBios.Wire.Session;

namespace NetBios.Benchmarks;

/// <summary>The codecs' hot paths: NBNS query parse and answer, NBDS parse, NBSS frame scan.</summary>
[Config(typeof(BenchmarkConfig))]
public class WireBenchmarks
{
    private readonly byte[] _response = new byte[128];
    private readonly NbssFrameScanner _scanner = new();
    private byte[] _query = [];
    private byte[] _registration = [];
    private byte[] _datagram = [];
    private ReadOnlySequence<byte> _stream;
    private NetBiosName _name;

    [GlobalSetup]
    public void Setup()
    {
        _name = NetBiosName.Create("FRED", 0x20);
        _query = NameServicePacket.CreateNameQueryRequest(0x1234, _name, recursionDesired: true, broadcast: true).ToArray();
        _registration = NameServicePacket.CreateRegistrationRequest(0x1234, _name, 300_000, NbFlags.None, IPAddress.Parse("10.0.0.7"), broadcast: true, recursionDesired: true).ToArray();
        _datagram = UserDatagram.Create(DatagramMessageType.DirectGroup, 1, new IPEndPoint(IPAddress.Parse("10.0.0.7"), 138),
            NetBiosName.Create("SENDER", 0), NetBiosName.Create("CHAT", 3), new byte[200]).ToArray();
        byte[] stream = new byte[10 * (4 + 1024)];
        for (int i = 0; i < 10; i++)
        {
            stream[i * 1028 + 2] = 0x04; // SESSION MESSAGE, LENGTH 1024
        }

        _stream = new ReadOnlySequence<byte>(stream);
    }

    /// <summary>The responder's parse of a name query (allocation-free fast path).</summary>
    [Benchmark]
    public byte ParseNameQuery()
    {
        NameServiceFastPath.TryReadQuery(_query, out _, out var name, out _);
        return name.Suffix;
    }

    /// <summary>Parse + positive response write: what answering one query costs in the codec.</summary>
    [Benchmark]
    public int AnswerNameQuery()
    {
        NameServiceFastPath.TryReadQuery(_query, out var header, out var name, out _);
        NameServiceFastPath.TryWritePositiveQueryResponse(_response, header.TransactionId, name, 300_000, NbFlags.None, 0x0A000007, out int written);
        return written;
    }

    /// <summary>The full decoder on the same query (builds the packet object).</summary>
    [Benchmark]
    public int DecodeNameQueryFull()
    {
        NameServicePacket.TryDecode(_query, out var packet, out _);
        return packet!.Questions.Count;
    }

    /// <summary>The full decoder on a registration (question + pointer RR + NB rdata).</summary>
    [Benchmark]
    public int DecodeRegistration()
    {
        NameServicePacket.TryDecode(_registration, out var packet, out _);
        return packet!.Additional.Count;
    }

    /// <summary>NBDS parse of a 200-byte group datagram.</summary>
    [Benchmark]
    public int ParseDatagram()
    {
        DatagramPacket.TryDecode(_datagram, out var packet, out _);
        return ((UserDatagram)packet!).UserData.Length;
    }

    /// <summary>NBSS scan of ten 1 KiB session messages in one buffer.</summary>
    [Benchmark]
    public int ScanSessionFrames()
    {
        var buffer = _stream;
        int frames = 0;
        while (_scanner.TryRead(buffer, out _, out long consumed, out _) == OperationStatus.Done)
        {
            buffer = buffer.Slice(consumed);
            frames++;
        }

        return frames;
    }
}
