using BenchmarkDotNet.Attributes;
using NetBios.Wire;

namespace NetBios.Benchmarks;

/// <summary>Second-level name encode and decode (RFC 1001 §14).</summary>
[Config(typeof(BenchmarkConfig))]
public class NameBenchmarks
{
    private readonly byte[] _buffer = new byte[64];
    private NetBiosName _name;
    private byte[] _encoded = [];

    [GlobalSetup]
    public void Setup()
    {
        _name = NetBiosName.Create("FRED", 0x20);
        _encoded = new byte[NameCodec.GetEncodedLength(_name)];
        NameCodec.TryWrite(_name, _encoded, out _);
    }

    [Benchmark]
    public int EncodeName()
    {
        NameCodec.TryWrite(_name, _buffer, out int written);
        return written;
    }

    [Benchmark]
    public byte DecodeName()
    {
        NameCodec.TryRead(_encoded, 0, allowPointers: true, out var name, out _);
        return name.Suffix;
    }
}
