using System.Buffers;
using NetBios.NcbInterface;
using NetBios.Wire;
using NetBios.Wire.Datagram;
using NetBios.Wire.NameService;
using NetBios.Wire.Session;

namespace NetBios.Fuzzing;

/// <summary>
/// One target per codec entry point (STYLE B6.8): each takes arbitrary bytes, must never throw, and where a decode
/// succeeds checks the round trip (decode → encode → decode gives the same value and, for exact codecs, the same bytes).
/// A violated invariant throws <see cref="FuzzInvariantException"/>, which AFL reports as a crash.
/// </summary>
public static class FuzzTargets
{
    /// <summary>Target names for the command line and corpus-seed/ folders.</summary>
    public static IReadOnlyDictionary<string, Action<ReadOnlyMemory<byte>>> All { get; } = new Dictionary<string, Action<ReadOnlyMemory<byte>>>
    {
        ["name"] = Name,
        ["nbns"] = NameService,
        ["nbds"] = Datagram,
        ["nbss"] = SessionStream,
        ["ncb"] = NcbImageBytes,
    };

    /// <summary>An encoded name at offset 0, with and without label pointers.</summary>
    public static void Name(ReadOnlyMemory<byte> input)
    {
        foreach (bool pointers in new[] { false, true })
        {
            if (NameCodec.TryRead(input.Span, 0, pointers, out var name, out int consumed))
            {
                Check(consumed > 0 && consumed <= input.Length, "name consumed outside the input");
                byte[] encoded = new byte[NameCodec.GetEncodedLength(name)];
                Check(NameCodec.TryWrite(name, encoded, out _), "a decoded name did not encode");
                Check(NameCodec.TryRead(encoded, 0, allowPointers: false, out var again, out _) && again == name, "name round trip changed the name");
            }
        }
    }

    /// <summary>An NBNS datagram (RFC 1002 §4.2): decodes exactly or not at all; re-encodes to the same bytes.</summary>
    public static void NameService(ReadOnlyMemory<byte> input)
    {
        if (!NameServicePacket.TryDecode(input.Span, out var packet, out _))
        {
            return;
        }

        _ = packet.Kind;
        _ = packet.ToString();
        byte[] encoded = packet.ToArray();
        Check(NameServicePacket.TryDecode(encoded, out var again, out _), "a decoded NBNS packet did not decode after encoding");
        Check(again!.ToArray().AsSpan().SequenceEqual(encoded), "NBNS re-encoding is not stable");
    }

    /// <summary>An NBDS datagram (RFC 1002 §4.4): strict lengths, so a decoded packet re-encodes to the input bytes.</summary>
    public static void Datagram(ReadOnlyMemory<byte> input)
    {
        if (!DatagramPacket.TryDecode(input.Span, out var packet, out _))
        {
            return;
        }

        _ = packet.ToString();
        Check(packet.ToArray().AsSpan().SequenceEqual(input.Span), "NBDS re-encoding differs from the input");
    }

    /// <summary>
    /// A TCP byte stream of NBSS frames (RFC 1002 §4.3), delivered in two segments split where the first byte says:
    /// the scanner must find the same frames as in one piece, and each control frame must re-encode exactly.
    /// </summary>
    public static void SessionStream(ReadOnlyMemory<byte> input)
    {
        if (input.Length == 0)
        {
            return;
        }

        int split = 1 + (input.Span[0] % Math.Max(1, input.Length - 1));
        var whole = Scan(new ReadOnlySequence<byte>(input[1..]));
        var body = input[1..];
        split = Math.Min(split, body.Length);
        var segmented = Scan(Segments.Of(body[..split], body[split..]));
        Check(whole.SequenceEqual(segmented), "NBSS framing depends on segmentation");
    }

    /// <summary>The seed's 64-byte NCB image: reading and writing back is exact.</summary>
    public static void NcbImageBytes(ReadOnlyMemory<byte> input)
    {
        if (!NcbImage.TryRead(input.Span, out var image))
        {
            return;
        }

        var ncb = new Ncb();
        image.CopyTo(ncb);
        var back = new NcbImage { Buffer = image.Buffer, Post = image.Post };
        back.CopyFrom(ncb);
        Check(back.ToArray().AsSpan().SequenceEqual(input.Span[..NcbImage.Length]), "NCB image round trip is not exact");
    }

    private static List<string> Scan(ReadOnlySequence<byte> stream)
    {
        var scanner = new NbssFrameScanner();
        var frames = new List<string>();
        for (int guard = 0; guard < 100_000; guard++)
        {
            var status = scanner.TryRead(stream, out var frame, out long consumed, out var error);
            if (status != OperationStatus.Done)
            {
                frames.Add(status == OperationStatus.InvalidData ? $"invalid {error}" : "need more");
                return frames;
            }

            Check(consumed >= SessionHeader.Size && consumed <= stream.Length, "NBSS frame consumed outside the buffer");
            if (SessionPacket.TryDecode(frame, out var packet, out _) && frame.Type != SessionPacketType.SessionMessage)
            {
                Check(packet.ToArray().AsSpan().SequenceEqual(stream.Slice(0, consumed).ToArray()), "NBSS control frame re-encoding differs");
            }

            frames.Add($"{frame.Type} {frame.Length}");
            stream = stream.Slice(consumed);
        }

        throw new FuzzInvariantException("NBSS scanning did not end");
    }

    private static void Check(bool condition, string invariant)
    {
        if (!condition)
        {
            throw new FuzzInvariantException(invariant);
        }
    }

    /// <summary>A multi-segment sequence, as a pipe hands bytes over.</summary>
    private sealed class Segments : ReadOnlySequenceSegment<byte>
    {
        private Segments(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public static ReadOnlySequence<byte> Of(ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second)
        {
            var head = new Segments(first, 0);
            var tail = new Segments(second, first.Length);
            head.Next = tail;
            return new ReadOnlySequence<byte>(head, 0, tail, second.Length);
        }
    }
}
