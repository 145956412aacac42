using System.Buffers;
using System.Net;
using Nbt.Cli.Capture;
using NetBios.Wire.Session;

namespace Nbt.Cli.Tracing;

/// <summary>
/// Follows one direction of one session service connection and writes a trace line for each NBSS frame
/// ([RFC 1002] 4.3.1) as its last byte passes, decoded as <c>nbt decode</c> decodes it. A SESSION MESSAGE is traced
/// by its length only: at most its first 8 bytes are kept (to name SMB1/SMB2), the rest is counted past without
/// being buffered. A control packet is at most <see cref="SessionHeader.MaxRequestLength"/> bytes (the header check
/// refuses longer ones), so nothing is allocated from a wire length. After a header the scanner refuses, the
/// direction is no longer followed (as the session layer then closes the connection). Not thread-safe: one follower
/// per direction, fed by that direction's single reader or writer.
/// </summary>
internal sealed class NbssTraceFollower(PacketTrace trace, IPEndPoint source, IPEndPoint destination)
{
    private const int MessageHeadLength = 8;

    private static readonly NbssFrameScanner s_scanner = new();

    private readonly byte[] _header = new byte[SessionHeader.Size];
    private readonly byte[] _body = new byte[SessionHeader.MaxRequestLength];
    private int _headerFilled;
    private SessionHeader? _current;
    private int _bodyFilled;
    private int _remaining;
    private bool _dead;

    /// <summary>Takes the next bytes of the direction, in stream order.</summary>
    public void Feed(ReadOnlySequence<byte> bytes)
    {
        foreach (var segment in bytes)
        {
            Feed(segment.Span);
        }
    }

    /// <summary>Takes the next bytes of the direction, in stream order.</summary>
    public void Feed(ReadOnlySpan<byte> bytes)
    {
        // Bounded: every pass consumes at least one byte, or ends.
        while (!bytes.IsEmpty && !_dead)
        {
            if (_current is not { } header)
            {
                int take = Math.Min(SessionHeader.Size - _headerFilled, bytes.Length);
                bytes[..take].CopyTo(_header.AsSpan(_headerFilled));
                _headerFilled += take;
                bytes = bytes[take..];
                if (_headerFilled == SessionHeader.Size)
                {
                    StartFrame();
                }

                continue;
            }

            int count = Math.Min(_remaining, bytes.Length);
            int keep = Math.Min(count, Kept(header) - _bodyFilled);
            if (keep > 0)
            {
                bytes[..keep].CopyTo(_body.AsSpan(_bodyFilled));
                _bodyFilled += keep;
            }

            _remaining -= count;
            bytes = bytes[count..];
            if (_remaining == 0)
            {
                EndFrame(header);
            }
        }
    }

    private static int Kept(SessionHeader header) =>
        header.Type == SessionPacketType.SessionMessage ? Math.Min(header.Length, MessageHeadLength) : header.Length;

    private void StartFrame()
    {
        var status = s_scanner.TryReadHeader(new ReadOnlySequence<byte>(_header), out var header, out var error);
        if (status != OperationStatus.Done)
        {
            var (kind, summary, malformed, _) = PacketFormatter.DescribeBadHeader(_header, error);
            trace.Write(NbtProtocol.Nbss, source, destination, kind, summary, malformed);
            _dead = true;
            return;
        }

        _current = header;
        _bodyFilled = 0;
        _remaining = header.Length;
        if (_remaining == 0)
        {
            EndFrame(header);
        }
    }

    private void EndFrame(SessionHeader header)
    {
        var frame = new NbssFrame(header, new ReadOnlySequence<byte>(_body, 0, _bodyFilled));
        var (kind, summary, malformed, _) = PacketFormatter.DecodeNbssFrame(frame);
        trace.Write(NbtProtocol.Nbss, source, destination, kind, summary, malformed);
        _current = null;
        _headerFilled = 0;
    }
}
