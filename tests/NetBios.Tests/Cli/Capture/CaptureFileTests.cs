using System.Buffers.Binary;
using Nbt.Cli.Capture;
using Nbt.Cli.Commands;
using NetBios.Tests.TestCommon;
using Xunit;

namespace NetBios.Tests.Cli.Capture;

/// <summary>The CLI's capture reader on good, rewrapped, truncated and mutated captures: it never throws.</summary>
public sealed class CaptureFileTests
{
    public static TheoryData<string> Captures => new() { "bnode-nbns-nbds.pcap", "nbss-smbd-139.pcap", "wins-nmbd-peersNS.pcap" };

    [Theory]
    [MemberData(nameof(Captures))]
    public void Read_EveryCapture_AgreesWithTheTestReaderOnUdp(string capture)
    {
        var notes = new List<string>();
        var records = CaptureFile.Read(File.ReadAllBytes(TestPaths.Capture(capture)), notes);
        var udp = records.Select(r => IpPacket.TryParse(r, out _)).Where(p => p is { IsTcp: false }).ToList();
        var expected = CaptureReader.ReadUdp(TestPaths.Capture(capture));

        Assert.Empty(notes);
        Assert.Equal(expected.Select(p => (p.FrameNumber, p.Source, p.Destination, Convert.ToHexString(p.Payload))),
            udp.Select(p => (p!.Frame, p.Source, p.Destination, Convert.ToHexString(p.Payload.Span))));
    }

    public static TheoryData<string, int> Rewraps => new()
    {
        { "pcap-le", 1 }, { "pcap-be", 1 }, { "pcap-ns", 1 }, { "pcap-raw", 101 }, { "pcap-raw228", 228 }, { "pcap-null", 0 },
        { "pcap-sll", 113 }, { "pcap-sll2", 276 }, { "pcap-vlan", 1 }, { "pcapng-be", 1 }, { "pcapng-spb", 101 },
    };

    [Theory]
    [MemberData(nameof(Rewraps))]
    public void Decode_RewrappedCapture_GivesTheSameOutput(string format, int linkType)
    {
        byte[] original = File.ReadAllBytes(TestPaths.Capture("wins-nmbd-peersNS.pcap"));
        var expected = Decode(original, out _);
        var ipPackets = CaptureFile.Read(original, []).Select(r => StripLink(r)).ToList();

        byte[] rewrapped = format switch
        {
            "pcapng-be" => PcapNg(ipPackets.Select(ip => Wrap(ip, linkType, false)), bigEndian: true, simple: false, linkType),
            "pcapng-spb" => PcapNg(ipPackets.Select(ip => Wrap(ip, linkType, false)), bigEndian: false, simple: true, linkType),
            _ => Pcap(ipPackets.Select(ip => Wrap(ip, linkType, format == "pcap-vlan")), bigEndian: format == "pcap-be", nano: format == "pcap-ns", linkType),
        };
        var actual = Decode(rewrapped, out var notes);

        Assert.Empty(notes);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Read_EveryTruncation_NeverThrowsAndKeepsWhatWasRead()
    {
        byte[] original = File.ReadAllBytes(TestPaths.Capture("wins-nmbd-peersNS.pcap"));
        int full = Decode(original, out _).Count;
        int previous = 0;
        for (int length = 0; length < original.Length; length++)
        {
            var packets = Decode(original.AsMemory(0, length), out var notes);
            Assert.True(packets.Count >= previous, $"length {length}");
            Assert.True(packets.Count <= full, $"length {length}");
            previous = packets.Count;
        }

        Decode(original.AsMemory(0, original.Length - 1), out var lastNotes);
        Assert.Contains(lastNotes, n => n.Contains("truncated", StringComparison.Ordinal));

        var pcap = Pcap(CaptureFile.Read(original, []).Select(r => StripLink(r)).Select(ip => Wrap(ip, 101, false)), false, false, 101);
        for (int length = 0; length < pcap.Length; length++)
        {
            Decode(pcap.AsMemory(0, length), out _);
        }
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void Decode_RandomMutations_NeverThrow(string capture)
    {
        byte[] original = File.ReadAllBytes(TestPaths.Capture(capture));
        var random = new Random(20261123);
        for (int iteration = 0; iteration < 700; iteration++)
        {
            byte[] mutated = (byte[])original.Clone();
            int flips = random.Next(1, 16);
            for (int i = 0; i < flips; i++)
            {
                int at = random.Next(mutated.Length);
                mutated[at] = random.Next(3) switch
                {
                    0 => (byte)random.Next(256),
                    1 => (byte)(mutated[at] ^ (1 << random.Next(8))),
                    _ => 0xFF,
                };
            }

            Decode(mutated, out _);
        }
    }

    [Fact]
    public void Read_HugeRecordLength_IsADiagnosticNotAnAllocation()
    {
        byte[] pcap = Pcap([new byte[20]], false, false, 101);
        BinaryPrimitives.WriteUInt32LittleEndian(pcap.AsSpan(24 + 8), 0xFFFFFFF0);
        var notes = new List<string>();

        var records = CaptureFile.Read(pcap, notes);

        Assert.Empty(records);
        Assert.Contains(notes, n => n.Contains("above", StringComparison.Ordinal));
    }

    private static List<string> Decode(ReadOnlyMemory<byte> file, out List<string> notes)
    {
        var packets = new List<DecodedPacket>();
        notes = [];
        DecodeCommand.DecodeCapture(file, 137, 138, 139, packets, notes);
        return packets.Select(p => DecodeCommand.FormatHeader(p) + "|" + p.Malformed + "|" + string.Join("|", p.Details)).ToList();
    }

    /// <summary>The IPv4 packet of an Ethernet record (the test captures are Ethernet).</summary>
    private static byte[] StripLink(CaptureRecord record)
    {
        Assert.Equal(1, record.LinkType);
        return record.Data.Span[14..].ToArray();
    }

    private static byte[] Wrap(byte[] ip, int linkType, bool vlan)
    {
        byte[] header = linkType switch
        {
            0 => [2, 0, 0, 0],
            1 when vlan => [0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x81, 0x00, 0x00, 0x05, 0x88, 0xA8, 0x00, 0x07, 0x08, 0x00],
            1 => [0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x08, 0x00],
            113 => [0, 0, 0, 1, 0, 6, 0, 1, 2, 3, 4, 5, 0, 0, 0x08, 0x00],
            276 => [0x08, 0x00, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 0, 1, 2, 3, 4, 5, 0, 0],
            _ => [],
        };
        return [.. header, .. ip];
    }

    private static byte[] Pcap(IEnumerable<byte[]> frames, bool bigEndian, bool nano, int linkType)
    {
        var bytes = new List<byte>();
        void U32(uint value)
        {
            byte[] b = new byte[4];
            if (bigEndian)
            {
                BinaryPrimitives.WriteUInt32BigEndian(b, value);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(b, value);
            }

            bytes.AddRange(b);
        }

        U32(nano ? 0xA1B23C4D : 0xA1B2C3D4);
        U32(0x00040002); // version 2.4 as two 16-bit fields (order irrelevant here)
        U32(0);
        U32(0);
        U32(65535);
        U32((uint)linkType);
        foreach (byte[] frame in frames)
        {
            U32(1);
            U32(2);
            U32((uint)frame.Length);
            U32((uint)frame.Length);
            bytes.AddRange(frame);
        }

        return [.. bytes];
    }

    private static byte[] PcapNg(IEnumerable<byte[]> frames, bool bigEndian, bool simple, int linkType)
    {
        var bytes = new List<byte>();
        byte[] U32(uint value)
        {
            byte[] b = new byte[4];
            if (bigEndian)
            {
                BinaryPrimitives.WriteUInt32BigEndian(b, value);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(b, value);
            }

            return b;
        }

        void Block(uint type, byte[] body)
        {
            int padded = (body.Length + 3) & ~3;
            uint length = (uint)(12 + padded);
            bytes.AddRange(U32(type));
            bytes.AddRange(U32(length));
            bytes.AddRange(body);
            bytes.AddRange(new byte[padded - body.Length]);
            bytes.AddRange(U32(length));
        }

        Block(0x0A0D0D0A, [.. U32(0x1A2B3C4D), .. (bigEndian ? new byte[] { 0, 1, 0, 0 } : [1, 0, 0, 0]), .. Enumerable.Repeat((byte)0xFF, 8)]);
        byte[] linkTypeBytes = bigEndian ? [(byte)(linkType >> 8), (byte)linkType, 0, 0] : [(byte)linkType, (byte)(linkType >> 8), 0, 0];
        Block(1, [.. linkTypeBytes, .. U32(65535)]);
        foreach (byte[] frame in frames)
        {
            if (simple)
            {
                Block(3, [.. U32((uint)frame.Length), .. frame]);
            }
            else
            {
                Block(6, [.. U32(0), .. U32(0), .. U32(0), .. U32((uint)frame.Length), .. U32((uint)frame.Length), .. frame]);
            }
        }

        return [.. bytes];
    }
}
