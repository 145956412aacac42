using System.Buffers;
using System.Net;
using NetBios.Wire.Session;

namespace Nbt.Cli.Capture;

/// <summary>
/// Follows each direction of each TCP connection in capture order and cuts the byte stream into NBSS frames with
/// <see cref="NbssFrameScanner"/>. A frame is reported at the frame number of the segment that completed it (as
/// tshark reports a reassembled PDU). Retransmitted bytes are dropped; a gap (lost segment) restarts the direction at
/// the new segment with a note. Bounded: buffered bytes per direction are at most one frame (4 + 131071) plus one
/// segment, at most <see cref="MaxBytesPerDirection"/> are followed per direction and <see cref="MaxDirections"/> directions.
/// </summary>
internal sealed class NbssStreams
{
    /// <summary>Bytes followed per direction; later data in that direction is skipped with a note.</summary>
    public const long MaxBytesPerDirection = 64L * 1024 * 1024;

    /// <summary>Connection directions followed; later ones are skipped with a note.</summary>
    public const int MaxDirections = 4096;

    private readonly Dictionary<(IPEndPoint, IPEndPoint), Direction> _directions = [];
    private readonly NbssFrameScanner _scanner = new();

    /// <summary>Adds a TCP segment and returns the NBSS frames (or malformed headers) it completed.</summary>
    /// <param name="packet">A TCP segment to or from the session port.</param>
    /// <param name="notes">Notes about the stream (gaps, caps).</param>
    public List<DecodedPacket> Add(IpPacket packet, List<string> notes)
    {
        var result = new List<DecodedPacket>();
        var key = (packet.Source, packet.Destination);
        if (!_directions.TryGetValue(key, out var direction) || packet.Syn)
        {
            if (direction is null && _directions.Count >= MaxDirections)
            {
                notes.Add($"frame {packet.Frame}: more than {MaxDirections} TCP directions; not followed");
                return result;
            }

            direction = new Direction(packet.Syn ? packet.Sequence + 1 : packet.Sequence);
            _directions[key] = direction;
        }

        var data = packet.Payload;
        if (data.Length == 0 || direction.Dead)
        {
            return result;
        }

        // Sequence arithmetic is modulo 2^32: a segment before the expected number is (partly) a retransmission.
        int delta = (int)(packet.Sequence - direction.Next);
        if (delta < 0)
        {
            if (-(long)delta >= data.Length)
            {
                return result;
            }

            data = data[-delta..];
        }
        else if (delta > 0)
        {
            notes.Add($"frame {packet.Frame}: {packet.Source} -> {packet.Destination}: {delta} bytes missing from the capture; resynchronising here");
            direction.Pending.Clear();
        }

        direction.Next = packet.Sequence + (uint)packet.Payload.Length;
        direction.Total += data.Length;
        if (direction.Total > MaxBytesPerDirection)
        {
            notes.Add($"frame {packet.Frame}: {packet.Source} -> {packet.Destination}: more than {MaxBytesPerDirection} bytes; the rest is not decoded");
            direction.Dead = true;
            return result;
        }

        direction.Pending.AddRange(data.Span);
        string src = packet.Source.ToString();
        string dst = packet.Destination.ToString();
        int start = 0;
        var buffer = direction.Pending.ToArray();
        while (start < buffer.Length)
        {
            var sequence = new ReadOnlySequence<byte>(buffer, start, buffer.Length - start);
            var status = _scanner.TryRead(sequence, out var frame, out long consumed, out var error);
            if (status == OperationStatus.NeedMoreData)
            {
                break;
            }

            if (status == OperationStatus.InvalidData)
            {
                var (kind, summary, malformed, details) = PacketFormatter.DescribeBadHeader(buffer.AsSpan(start), error);
                result.Add(new DecodedPacket(packet.Frame, src, dst, "NBSS", kind, summary, malformed, details));
                direction.Dead = true;
                start = buffer.Length;
                break;
            }

            var decoded = PacketFormatter.DecodeNbssFrame(frame);
            result.Add(new DecodedPacket(packet.Frame, src, dst, "NBSS", decoded.Kind, decoded.Summary, decoded.Malformed, decoded.Details) { Fields = PacketFields.Nbss(frame) });
            start += (int)consumed;
        }

        direction.Pending.RemoveRange(0, Math.Min(start, direction.Pending.Count));
        return result;
    }

    private sealed class Direction(uint next)
    {
        public uint Next { get; set; } = next;

        public long Total { get; set; }

        public bool Dead { get; set; }

        public List<byte> Pending { get; } = [];
    }
}
