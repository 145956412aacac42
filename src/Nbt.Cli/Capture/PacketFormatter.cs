using System.Buffers;
using System.Text;
using NetBios;
using NetBios.Wire.Datagram;
using NetBios.Wire.NameService;
using NetBios.Wire.Session;

namespace Nbt.Cli.Capture;

/// <summary>The protocols <c>nbt decode</c> prints.</summary>
internal enum NbtProtocol
{
    /// <summary>Name service, UDP 137.</summary>
    Nbns,

    /// <summary>Datagram service, UDP 138.</summary>
    Nbds,

    /// <summary>Session service, TCP 139.</summary>
    Nbss,
}

/// <summary>One decoded (or malformed) packet, as printed and as written in JSON.</summary>
/// <param name="Frame">Frame number in the capture, or block number for hex input.</param>
/// <param name="Source">Source address:port ("-" for hex input).</param>
/// <param name="Destination">Destination address:port ("-" for hex input).</param>
/// <param name="Protocol">NBNS, NBDS or NBSS.</param>
/// <param name="Kind">Packet kind in words ("name query request"); "malformed" when it did not decode.</param>
/// <param name="Summary">One-line summary after the kind.</param>
/// <param name="Malformed">The decoder's reason when the packet is malformed; otherwise null.</param>
/// <param name="Details">Indented detail lines.</param>
internal sealed record DecodedPacket(int Frame, string Source, string Destination, string Protocol, string Kind, string Summary, string? Malformed, IReadOnlyList<string> Details)
{
    /// <summary>The packet's fields for <c>--json</c> (<see cref="PacketFields"/>); null when malformed.</summary>
    public object? Fields { get; init; }
}

/// <summary>Turns NetBIOS packets into short readable text with the project's wire codecs. Stateless; never throws on bad bytes.</summary>
internal static class PacketFormatter
{
    private const int MaxListed = 64;

    /// <summary>Decodes one NBNS or NBDS datagram.</summary>
    public static (string Kind, string Summary, string? Malformed, List<string> Details) DecodeDatagram(NbtProtocol protocol, ReadOnlySpan<byte> payload) =>
        protocol == NbtProtocol.Nbns ? DecodeNbns(payload) : DecodeNbds(payload);

    /// <summary>Decodes a name service packet.</summary>
    public static (string Kind, string Summary, string? Malformed, List<string> Details) DecodeNbns(ReadOnlySpan<byte> payload)
    {
        var details = new List<string>();
        if (!NameServicePacket.TryDecode(payload, out var packet, out var error))
        {
            return ("malformed", $"{payload.Length} bytes", $"{error} ({payload.Length} bytes)", details);
        }

        var h = packet.Header;
        string flags = Flags(h.Flags);
        details.Add($"trn=0x{h.TransactionId:X4} {(h.IsResponse ? "response" : "request")} opcode={h.Opcode} flags={(flags.Length == 0 ? "-" : flags)} rcode={h.Rcode} qd={h.QuestionCount} an={h.AnswerCount} ns={h.AuthorityCount} ar={h.AdditionalCount}");
        foreach (var q in packet.Questions.Take(MaxListed))
        {
            details.Add($"question  {q.Name}  {TypeName(q.Type)}{ClassText(q.Class)}");
        }

        AddRecords(details, "answer", packet.Answers);
        AddRecords(details, "authority", packet.Authority);
        AddRecords(details, "additional", packet.Additional);

        var summary = new StringBuilder();
        var name = packet.Questions.Count > 0 ? packet.Questions[0].Name.ToString()
            : packet.Answers.Count > 0 ? packet.Answers[0].Name.ToString() : null;
        if (name is not null)
        {
            summary.Append(name);
        }

        var firstRecord = packet.Answers.Count > 0 ? packet.Answers[0] : packet.Additional.Count > 0 ? packet.Additional[0] : null;
        if (firstRecord?.Data is NbRecordData { Entries.Count: > 0 } nb)
        {
            var e = nb.Entries[0];
            summary.Append($"  {e.Address} {(e.IsGroup ? "GROUP" : "UNIQUE")} {e.NodeType}-node ttl={firstRecord.Ttl}");
            if (nb.Entries.Count > 1)
            {
                summary.Append($" (+{nb.Entries.Count - 1} more)");
            }
        }
        else if (firstRecord?.Data is NodeStatusRecordData status)
        {
            summary.Append($"  {status.Names.Count} names  MAC {Mac(status.Statistics.UnitId.Span)}");
        }

        if (h.Rcode != NameServiceRcode.Ok)
        {
            summary.Append($"  rcode={h.Rcode}");
        }

        summary.Append($"  trn=0x{h.TransactionId:X4}");
        if (flags.Length > 0)
        {
            summary.Append("  ").Append(flags);
        }

        string kind = packet.Kind == NameServicePacketKind.Unknown ? $"unknown (opcode {h.Opcode})" : Words(packet.Kind.ToString());
        return (kind, summary.ToString().TrimStart(), null, details);
    }

    /// <summary>Decodes a datagram service packet.</summary>
    public static (string Kind, string Summary, string? Malformed, List<string> Details) DecodeNbds(ReadOnlySpan<byte> payload)
    {
        var details = new List<string>();
        if (!DatagramPacket.TryDecode(payload, out var packet, out var error))
        {
            return ("malformed", $"{payload.Length} bytes", $"{error} ({payload.Length} bytes)", details);
        }

        var h = packet.Header;
        string kind = h.Type switch
        {
            DatagramMessageType.DirectUnique => "direct unique",
            DatagramMessageType.DirectGroup => "direct group",
            DatagramMessageType.Broadcast => "broadcast",
            DatagramMessageType.Error => "error",
            DatagramMessageType.QueryRequest => "query request",
            DatagramMessageType.PositiveQueryResponse => "positive query response",
            DatagramMessageType.NegativeQueryResponse => "negative query response",
            _ => $"type 0x{(byte)h.Type:X2}",
        };
        details.Add($"type=0x{(byte)h.Type:X2} flags=0x{(byte)h.Flags:X2} node={h.SourceNodeType} dgm_id=0x{h.DatagramId:X4} source={h.SourceAddress}:{h.SourcePort}");
        switch (packet)
        {
            case UserDatagram user:
                string mailslot = Mailslot(user.UserData.Span);
                details.Add($"fragment  {(user.IsFirst ? "first" : "not-first")} {(user.HasMore ? "more" : "last")} offset={user.PacketOffset}");
                details.Add($"source name       {user.SourceName}");
                details.Add($"destination name  {user.DestinationName}");
                details.Add($"user data  {user.UserData.Length} bytes{(mailslot.Length > 0 ? $"  mailslot {mailslot}" : string.Empty)}");
                return (kind, $"{user.SourceName} -> {user.DestinationName}  dgm_id=0x{h.DatagramId:X4}  {user.UserData.Length} bytes{(mailslot.Length > 0 ? "  " + mailslot : string.Empty)}", null, details);
            case DatagramErrorPacket err:
                string code = Enum.IsDefined(err.ErrorCode) ? Words(err.ErrorCode.ToString()) : "unknown";
                return (kind, $"0x{(byte)err.ErrorCode:X2} {code}  dgm_id=0x{h.DatagramId:X4}", null, details);
            case DatagramQueryPacket query:
                details.Add($"destination name  {query.DestinationName}");
                return (kind, $"{query.DestinationName}  dgm_id=0x{h.DatagramId:X4}", null, details);
            default:
                return (kind, $"dgm_id=0x{h.DatagramId:X4}", null, details);
        }
    }

    /// <summary>Decodes one whole NBSS frame (header and trailer).</summary>
    public static (string Kind, string Summary, string? Malformed, List<string> Details) DecodeNbssFrame(in NbssFrame frame)
    {
        var details = new List<string>();
        if (frame.Type == SessionPacketType.SessionMessage)
        {
            Span<byte> head = stackalloc byte[Math.Min(frame.Length, 8)];
            frame.Body.Slice(0, head.Length).CopyTo(head);
            string what = head.Length >= 4 && head[1] == (byte)'S' && head[2] == (byte)'M' && head[3] == (byte)'B'
                ? head[0] switch { 0xFF => "  SMB1", 0xFE => "  SMB2", 0xFD => "  SMB3 transform", _ => string.Empty }
                : string.Empty;
            details.Add($"payload  {Convert.ToHexString(head)}{(frame.Length > head.Length ? "…" : string.Empty)}");
            return ("session message", $"{frame.Length} bytes{what}", null, details);
        }

        if (!SessionPacket.TryDecode(frame, out var packet, out var error))
        {
            return (Words(frame.Type.ToString()), $"{frame.Length} bytes", error.ToString(), details);
        }

        return packet switch
        {
            SessionRequest r => ("session request", $"called={r.CalledName} calling={r.CallingName}", null, details),
            PositiveSessionResponse => ("positive session response", string.Empty, null, details),
            NegativeSessionResponse n => ("negative session response",
                $"0x{(byte)n.ErrorCode:X2} {(Enum.IsDefined(n.ErrorCode) ? Words(n.ErrorCode.ToString()) : "unknown error")}", null, details),
            RetargetSessionResponse t => ("retarget session response", $"{t.Address}:{t.Port}", null, details),
            SessionKeepAlive => ("session keep-alive", string.Empty, null, details),
            LegacyKeepAliveRequest => ("keep-alive request (0x89)", string.Empty, null, details),
            _ => (Words(packet.Type.ToString()), string.Empty, null, details),
        };
    }

    /// <summary>Decodes a header that the scanner refused (the stream cannot be followed past it).</summary>
    public static (string Kind, string Summary, string? Malformed, List<string> Details) DescribeBadHeader(ReadOnlySpan<byte> header, SessionFrameError error)
    {
        string type = header.Length > 0 ? $"type 0x{header[0]:X2}" : "frame";
        return (type, Convert.ToHexString(header[..Math.Min(header.Length, 4)]), $"{error}; the rest of this direction is not decoded", []);
    }

    private static void AddRecords(List<string> details, string section, IReadOnlyList<ResourceRecord> records)
    {
        foreach (var r in records.Take(MaxListed))
        {
            details.Add($"{section}  {r.Name}  {TypeName(r.Type)}{ClassText(r.Class)}  ttl={r.Ttl}");
            switch (r.Data)
            {
                case NbRecordData nb:
                    foreach (var e in nb.Entries.Take(MaxListed))
                    {
                        details.Add($"    {e.Address}  {(e.IsGroup ? "GROUP" : "UNIQUE")}  {e.NodeType}-node");
                    }

                    break;
                case NodeStatusRecordData status:
                    foreach (var n in status.Names.Take(MaxListed))
                    {
                        details.Add($"    {n.Name.NameText,-15} <{n.Name.Suffix:X2}>  {(n.IsGroup ? "GROUP " : "UNIQUE")}  {n.NodeType}  {StatusFlags(n.Flags)}".TrimEnd());
                    }

                    details.Add($"    MAC {Mac(status.Statistics.UnitId.Span)}");
                    break;
                case ARecordData a:
                    details.Add($"    {a.Address}");
                    break;
                case NsRecordData ns:
                    details.Add($"    {ns.ServerName}");
                    break;
                case WackRecordData wack:
                    details.Add($"    request flags 0x{wack.RequestFlags:X4}");
                    break;
                case RawRecordData raw:
                    details.Add($"    {raw.Bytes.Length} bytes {Convert.ToHexString(raw.Bytes.Span[..Math.Min(raw.Bytes.Length, 16)])}");
                    break;
            }
        }
    }

    private static string Flags(NameServiceFlags flags)
    {
        var words = new List<string>(5);
        if ((flags & NameServiceFlags.Broadcast) != 0)
        {
            words.Add("B");
        }

        if ((flags & NameServiceFlags.Authoritative) != 0)
        {
            words.Add("AA");
        }

        if ((flags & NameServiceFlags.Truncated) != 0)
        {
            words.Add("TC");
        }

        if ((flags & NameServiceFlags.RecursionDesired) != 0)
        {
            words.Add("RD");
        }

        if ((flags & NameServiceFlags.RecursionAvailable) != 0)
        {
            words.Add("RA");
        }

        return string.Join(" ", words);
    }

    /// <summary>The state flags of a node status entry in words, as <c>nbt status</c> prints them.</summary>
    internal static string StatusFlags(NodeStatusNameFlags flags)
    {
        var words = new List<string>(4);
        if ((flags & NodeStatusNameFlags.Active) != 0)
        {
            words.Add("ACTIVE");
        }

        if ((flags & NodeStatusNameFlags.Permanent) != 0)
        {
            words.Add("PERMANENT");
        }

        if ((flags & NodeStatusNameFlags.Conflict) != 0)
        {
            words.Add("CONFLICT");
        }

        if ((flags & NodeStatusNameFlags.Deregistering) != 0)
        {
            words.Add("DEREGISTERING");
        }

        return string.Join(" ", words);
    }

    private static string TypeName(RecordType type) => Enum.IsDefined(type) ? type.ToString().ToUpperInvariant() : $"type 0x{(ushort)type:X4}";

    private static string ClassText(ushort @class) => @class == NameServiceQuestion.ClassIn ? " IN" : $" class 0x{@class:X4}";

    private static string Mac(ReadOnlySpan<byte> unitId) => Convert.ToHexString(unitId).Chunk(2).Aggregate(new StringBuilder(), (b, c) => b.Append(b.Length > 0 ? "-" : string.Empty).Append(c)).ToString();

    /// <summary>"PositiveQueryResponse" → "positive query response".</summary>
    private static string Words(string pascal)
    {
        var builder = new StringBuilder(pascal.Length + 8);
        for (int i = 0; i < pascal.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascal[i]))
            {
                builder.Append(' ');
            }

            builder.Append(char.ToLowerInvariant(pascal[i]));
        }

        return builder.ToString();
    }

    /// <summary>The mailslot named in an SMB transaction (\MAILSLOT\…), found by its prefix; empty when there is none.</summary>
    private static string Mailslot(ReadOnlySpan<byte> data)
    {
        int at = data.IndexOf("\\MAILSLOT\\"u8);
        if (at < 0)
        {
            return string.Empty;
        }

        var rest = data[at..];
        int end = rest.IndexOf((byte)0);
        rest = rest[..(end < 0 ? Math.Min(rest.Length, 64) : Math.Min(end, 64))];
        var builder = new StringBuilder(rest.Length);
        foreach (byte b in rest)
        {
            builder.Append(b is >= 0x20 and < 0x7F ? (char)b : '.');
        }

        return builder.ToString();
    }
}
