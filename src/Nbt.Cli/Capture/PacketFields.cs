using System.Globalization;
using NetBios;
using NetBios.Wire.Datagram;
using NetBios.Wire.NameService;
using NetBios.Wire.Session;

namespace Nbt.Cli.Capture;

/// <summary>
/// The fields of a decoded packet for <c>nbt decode --json</c> (the <c>fields</c> object, docs/CLI.md): numbers as
/// numbers, names as name objects (suffix in hex), flags as lists of their abbreviations. Null for a malformed packet.
/// Never throws on bad bytes.
/// </summary>
internal static class PacketFields
{
    private const int MaxListed = 64;

    /// <summary>The fields of an NBNS (RFC 1002 §4.2) or NBDS (RFC 1002 §4.4) datagram.</summary>
    public static object? Datagram(NbtProtocol protocol, ReadOnlySpan<byte> payload) =>
        protocol == NbtProtocol.Nbns ? Nbns(payload) : Nbds(payload);

    /// <summary>NBNS header, questions and records (RFC 1002 §4.2.1).</summary>
    public static object? Nbns(ReadOnlySpan<byte> payload)
    {
        if (!NameServicePacket.TryDecode(payload, out var packet, out _))
        {
            return null;
        }

        var h = packet.Header;
        return new
        {
            transactionId = h.TransactionId,
            response = h.IsResponse,
            opcode = h.Opcode.ToString(),
            flags = NbnsFlags(h.Flags),
            rcode = h.Rcode.ToString(),
            questions = packet.Questions.Take(MaxListed).Select(q => new { name = NameDisplay.Json(q.Name), type = RecordTypeName(q.Type), @class = q.Class }),
            answers = Records(packet.Answers),
            authority = Records(packet.Authority),
            additional = Records(packet.Additional),
        };
    }

    /// <summary>NBDS header and body (RFC 1002 §4.4).</summary>
    public static object? Nbds(ReadOnlySpan<byte> payload)
    {
        if (!DatagramPacket.TryDecode(payload, out var packet, out _))
        {
            return null;
        }

        var h = packet.Header;
        var header = new
        {
            type = (byte)h.Type,
            flags = (byte)h.Flags,
            sourceNodeType = h.SourceNodeType.ToString(),
            datagramId = h.DatagramId,
            sourceAddress = h.SourceAddress.ToString(),
            sourcePort = h.SourcePort,
        };
        return packet switch
        {
            UserDatagram user => new
            {
                header,
                first = user.IsFirst,
                more = user.HasMore,
                offset = user.PacketOffset,
                source = NameDisplay.Json(user.SourceName),
                destination = NameDisplay.Json(user.DestinationName),
                length = user.UserData.Length,
                errorCode = (int?)null,
            },
            DatagramErrorPacket error => new { header, first = false, more = false, offset = (ushort)0, source = (NameJson?)null, destination = (NameJson?)null, length = 0, errorCode = (int?)(byte)error.ErrorCode },
            DatagramQueryPacket query => new { header, first = false, more = false, offset = (ushort)0, source = (NameJson?)null, destination = (NameJson?)NameDisplay.Json(query.DestinationName), length = 0, errorCode = (int?)null },
            _ => (object)new { header },
        };
    }

    /// <summary>An NBSS frame (RFC 1002 §4.3).</summary>
    public static object? Nbss(in NbssFrame frame)
    {
        if (frame.Type == SessionPacketType.SessionMessage)
        {
            return new { type = (byte)frame.Type, length = frame.Length };
        }

        if (!SessionPacket.TryDecode(frame, out var packet, out _))
        {
            return null;
        }

        return packet switch
        {
            SessionRequest r => new { type = (byte)frame.Type, length = frame.Length, called = NameDisplay.Json(r.CalledName), calling = NameDisplay.Json(r.CallingName) },
            NegativeSessionResponse n => new { type = (byte)frame.Type, length = frame.Length, errorCode = (byte)n.ErrorCode },
            RetargetSessionResponse t => new { type = (byte)frame.Type, length = frame.Length, address = t.Address.ToString(), port = (int)t.Port },
            _ => (object)new { type = (byte)frame.Type, length = frame.Length },
        };
    }

    private static IEnumerable<object> Records(IReadOnlyList<ResourceRecord> records) => records.Take(MaxListed).Select(r => (object)(r.Data switch
    {
        NbRecordData nb => new
        {
            name = NameDisplay.Json(r.Name),
            type = RecordTypeName(r.Type),
            @class = r.Class,
            ttl = r.Ttl,
            entries = nb.Entries.Take(MaxListed).Select(e => new { address = e.Address.ToString(), group = e.IsGroup, nodeType = e.NodeType.ToString() }),
        },
        NodeStatusRecordData status => new
        {
            name = NameDisplay.Json(r.Name),
            type = RecordTypeName(r.Type),
            @class = r.Class,
            ttl = r.Ttl,
            names = status.Names.Take(MaxListed).Select(NameDisplay.StatusEntryJson),
            mac = string.Join('-', status.Statistics.UnitId.ToArray().Select(b => b.ToString("X2", CultureInfo.InvariantCulture))),
        },
        ARecordData a => new { name = NameDisplay.Json(r.Name), type = RecordTypeName(r.Type), @class = r.Class, ttl = r.Ttl, address = a.Address.ToString() },
        NsRecordData ns => new { name = NameDisplay.Json(r.Name), type = RecordTypeName(r.Type), @class = r.Class, ttl = r.Ttl, server = NameDisplay.Json(ns.ServerName) },
        WackRecordData wack => new { name = NameDisplay.Json(r.Name), type = RecordTypeName(r.Type), @class = r.Class, ttl = r.Ttl, requestFlags = (int)wack.RequestFlags },
        RawRecordData raw => new { name = NameDisplay.Json(r.Name), type = RecordTypeName(r.Type), @class = r.Class, ttl = r.Ttl, rdata = Convert.ToHexString(raw.Bytes.Span).ToLowerInvariant() },
        _ => (object)new { name = NameDisplay.Json(r.Name), type = RecordTypeName(r.Type), @class = r.Class, ttl = r.Ttl },
    }));

    private static string RecordTypeName(RecordType type) => Enum.IsDefined(type) ? type.ToString().ToUpperInvariant() : $"0x{(ushort)type:X4}";

    private static List<string> NbnsFlags(NameServiceFlags flags)
    {
        var words = new List<string>(5);
        foreach (var (flag, word) in new[]
        {
            (NameServiceFlags.Authoritative, "AA"), (NameServiceFlags.Truncated, "TC"), (NameServiceFlags.RecursionDesired, "RD"),
            (NameServiceFlags.RecursionAvailable, "RA"), (NameServiceFlags.Broadcast, "B"),
        })
        {
            if ((flags & flag) != 0)
            {
                words.Add(word);
            }
        }

        return words;
    }
}
