using NetBios.NameService;
using NetBios.Wire.NameService;

namespace NetBios.Daemon;

/// <summary>Result bodies of the name operations (docs/IPC.md "Station operations"): station info, ADD NAME
/// ([RFC 1001] 15.2), the name list, NAME QUERY ([RFC 1001] 15.1.3) and NODE STATUS ([RFC 1002] 4.2.18). The readers
/// never throw and check every count against the bytes there before allocating.</summary>
internal static class StationNameCodec
{
    /// <summary>Bytes one name-list entry takes at least (16 + scope length + three flags).</summary>
    private const int MinListEntry = NetBiosName.Length + 1 + 3;

    /// <summary>Bytes one query answer takes at least.</summary>
    private const int MinAnswer = 1 + 1 + 1 + 4 + 1 + 1;

    /// <summary>Bytes one node status entry takes at least.</summary>
    private const int MinStatusEntry = NetBiosName.Length + 1 + 2;

    /// <summary>INFO result: address | node type (u8).</summary>
    public static byte[] WriteInfo(System.Net.IPAddress address, NodeType nodeType) =>
        new StationBodyWriter().Address(address).U8((byte)nodeType).ToArray();

    /// <summary>Reads an INFO result.</summary>
    public static bool TryReadInfo(ReadOnlySpan<byte> body, out System.Net.IPAddress? address, out NodeType nodeType)
    {
        var reader = new StationBodyReader(body);
        address = reader.Address();
        nodeType = reader.Enum<NodeType>();
        return reader.Complete && address is not null;
    }

    /// <summary>ADD NAME result: name | outcome (u8) | owner (address) | rcode flag + u8 | ttl seconds (u32) | responder (endpoint).</summary>
    public static byte[] WriteRegistration(NameRegistrationResult result) =>
        new StationBodyWriter()
            .Name(result.Name)
            .U8((byte)result.Outcome)
            .Address(result.Owner)
            .Bool(result.Rcode.HasValue).U8((byte)(result.Rcode ?? 0))
            .U32((uint)Math.Clamp(result.Ttl.TotalSeconds, 0, uint.MaxValue))
            .EndPoint(result.RespondedBy)
            .ToArray();

    /// <summary>Reads an ADD NAME result.</summary>
    public static bool TryReadRegistration(ReadOnlySpan<byte> body, out NameRegistrationResult? result)
    {
        var reader = new StationBodyReader(body);
        var name = reader.Name();
        var outcome = reader.Enum<RegistrationOutcome>();
        var owner = reader.Address();
        bool hasRcode = reader.Bool();
        byte rcode = reader.U8();
        uint ttl = reader.U32();
        var responder = reader.EndPoint();
        result = reader.Complete
            ? new NameRegistrationResult(name, outcome, owner, hasRcode ? (NameServiceRcode)rcode : null, TimeSpan.FromSeconds(ttl), responder)
            : null;
        return result is not null;
    }

    /// <summary>LIST NAMES result: count (u16) | per name: name | group (u8) | permanent (u8) | state (u8).</summary>
    public static byte[] WriteNames(IReadOnlyList<LocalName> names)
    {
        var writer = new StationBodyWriter(4 + (names.Count * 24));
        int count = Math.Min(names.Count, ushort.MaxValue);
        writer.U16((ushort)count);
        for (int i = 0; i < count; i++)
        {
            writer.Name(names[i].Name).Bool(names[i].IsGroup).Bool(names[i].IsPermanent).U8((byte)names[i].State);
        }

        return writer.ToArray();
    }

    /// <summary>Reads a LIST NAMES result.</summary>
    public static bool TryReadNames(ReadOnlySpan<byte> body, out IReadOnlyList<LocalName> names)
    {
        var reader = new StationBodyReader(body);
        int count = reader.U16();
        names = [];
        if (!reader.Ok || count > reader.Remaining / MinListEntry)
        {
            return false;
        }

        var list = new List<LocalName>(count);
        for (int i = 0; i < count && reader.Ok; i++)
        {
            var name = reader.Name();
            bool group = reader.Bool();
            bool permanent = reader.Bool();
            var state = reader.Enum<LocalNameState>();
            list.Add(new LocalName(name, group, permanent) { State = state });
        }

        names = list;
        return reader.Complete;
    }

    /// <summary>QUERY result: name | outcome (u8) | rcode flag + u8 | answers count (u16) | per answer: address | group (u8) |
    /// node type (u8) | ttl seconds (u32) | responder (endpoint) | source (u8) | diagnostics count (u16) | texts.</summary>
    public static byte[] WriteQuery(NameQueryResult result)
    {
        var writer = new StationBodyWriter(64 + (result.Answers.Count * 20));
        writer.Name(result.Name).U8((byte)result.Outcome).Bool(result.Rcode.HasValue).U8((byte)(result.Rcode ?? 0));
        int answers = Math.Min(result.Answers.Count, ushort.MaxValue);
        writer.U16((ushort)answers);
        for (int i = 0; i < answers; i++)
        {
            var a = result.Answers[i];
            writer.Address(a.Address).Bool(a.IsGroup).U8((byte)a.NodeType).U32((uint)Math.Clamp(a.Ttl.TotalSeconds, 0, uint.MaxValue))
                .EndPoint(a.Responder).U8((byte)a.Source);
        }

        int diagnostics = Math.Min(result.Diagnostics.Count, 64);
        writer.U16((ushort)diagnostics);
        for (int i = 0; i < diagnostics; i++)
        {
            writer.Text(result.Diagnostics[i].Length > 512 ? result.Diagnostics[i][..512] : result.Diagnostics[i]);
        }

        return writer.ToArray();
    }

    /// <summary>Reads a QUERY result.</summary>
    public static bool TryReadQuery(ReadOnlySpan<byte> body, out NameQueryResult? result)
    {
        result = null;
        var reader = new StationBodyReader(body);
        var name = reader.Name();
        var outcome = reader.Enum<QueryOutcome>();
        bool hasRcode = reader.Bool();
        byte rcode = reader.U8();
        int count = reader.U16();
        if (!reader.Ok || count > reader.Remaining / MinAnswer)
        {
            return false;
        }

        var answers = new List<NameQueryAnswer>(count);
        for (int i = 0; i < count && reader.Ok; i++)
        {
            var address = reader.Address();
            bool group = reader.Bool();
            var nodeType = reader.Enum<NodeType>();
            uint ttl = reader.U32();
            var responder = reader.EndPoint();
            var source = reader.Enum<ResolveSource>();
            if (address is null)
            {
                reader.Fail();
                break;
            }

            answers.Add(new NameQueryAnswer(address, group, nodeType, TimeSpan.FromSeconds(ttl), responder, source));
        }

        int diagnosticCount = reader.U16();
        if (!reader.Ok || diagnosticCount > reader.Remaining / 2)
        {
            return false;
        }

        var diagnostics = new List<string>(diagnosticCount);
        for (int i = 0; i < diagnosticCount && reader.Ok; i++)
        {
            diagnostics.Add(reader.Text());
        }

        if (reader.Complete)
        {
            result = new NameQueryResult(name, outcome, answers, hasRcode ? (NameServiceRcode)rcode : null, diagnostics);
        }

        return result is not null;
    }

    /// <summary>NODE STATUS result: address | outcome (u8) | names count (u16) | per name: name | flags (u16) |
    /// MAC flag + 6 bytes | statistics flag + 46 bytes ([RFC 1002] 4.2.18 STATISTICS).</summary>
    public static byte[] WriteNodeStatus(NodeStatusResult result)
    {
        var writer = new StationBodyWriter(128 + (result.Names.Count * 20));
        writer.Address(result.Address).U8((byte)result.Outcome);
        int count = Math.Min(result.Names.Count, ushort.MaxValue);
        writer.U16((ushort)count);
        for (int i = 0; i < count; i++)
        {
            writer.Name(result.Names[i].Name).U16((ushort)result.Names[i].Flags);
        }

        byte[]? mac = result.MacAddress?.GetAddressBytes();
        writer.Bool(mac is { Length: 6 });
        if (mac is { Length: 6 })
        {
            writer.Bytes(mac);
        }

        writer.Bool(result.Statistics is not null);
        if (result.Statistics is { } statistics)
        {
            writer.Bytes(statistics.Raw.Span[..NodeStatistics.Length]);
        }

        return writer.ToArray();
    }

    /// <summary>Reads a NODE STATUS result.</summary>
    public static bool TryReadNodeStatus(ReadOnlySpan<byte> body, out NodeStatusResult? result)
    {
        result = null;
        var reader = new StationBodyReader(body);
        var address = reader.Address();
        var outcome = reader.Enum<QueryOutcome>();
        int count = reader.U16();
        if (!reader.Ok || address is null || count > reader.Remaining / MinStatusEntry)
        {
            return false;
        }

        var names = new List<NodeStatusEntry>(count);
        for (int i = 0; i < count && reader.Ok; i++)
        {
            var name = reader.Name();
            var flags = (NodeStatusNameFlags)reader.U16();
            names.Add(new NodeStatusEntry(name, flags));
        }

        System.Net.NetworkInformation.PhysicalAddress? mac = null;
        if (reader.Bool())
        {
            var bytes = reader.Take(6);
            mac = reader.Ok ? new System.Net.NetworkInformation.PhysicalAddress(bytes.ToArray()) : null;
        }

        NodeStatistics? statistics = null;
        if (reader.Bool())
        {
            var raw = reader.Take(NodeStatistics.Length);
            statistics = reader.Ok ? NodeStatistics.FromBytes(raw) : null;
        }

        if (reader.Complete)
        {
            result = new NodeStatusResult(address, outcome, names, mac, statistics);
        }

        return result is not null;
    }
}
