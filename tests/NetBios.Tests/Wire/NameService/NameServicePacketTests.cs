using System.Net;
using NetBios.Tests.TestCommon;
using NetBios.Wire.NameService;
using Xunit;

namespace NetBios.Tests.Wire.NameService;

public sealed class NameServicePacketTests
{
    private static readonly NetBiosName Fred = NetBiosName.Create("FRED", 0x20);
    private static readonly IPAddress Address = IPAddress.Parse("10.0.0.7");

    public static TheoryData<string, NameServicePacketKind> EveryKind => new()
    {
        { "registration", NameServicePacketKind.NameRegistrationRequest },
        { "overwrite", NameServicePacketKind.NameOverwriteRequest },
        { "refresh", NameServicePacketKind.NameRefreshRequest },
        { "refresh9", NameServicePacketKind.NameRefreshRequest },
        { "multihomed", NameServicePacketKind.MultiHomedRegistrationRequest },
        { "positive registration", NameServicePacketKind.PositiveRegistrationResponse },
        { "negative registration", NameServicePacketKind.NegativeRegistrationResponse },
        { "challenge", NameServicePacketKind.EndNodeChallengeRegistrationResponse },
        { "conflict", NameServicePacketKind.NameConflictDemand },
        { "release", NameServicePacketKind.NameReleaseRequest },
        { "positive release", NameServicePacketKind.PositiveReleaseResponse },
        { "negative release", NameServicePacketKind.NegativeReleaseResponse },
        { "query", NameServicePacketKind.NameQueryRequest },
        { "positive query", NameServicePacketKind.PositiveQueryResponse },
        { "negative query", NameServicePacketKind.NegativeQueryResponse },
        { "redirect", NameServicePacketKind.RedirectQueryResponse },
        { "wack", NameServicePacketKind.WaitForAcknowledgementResponse },
        { "status", NameServicePacketKind.NodeStatusRequest },
        { "status response", NameServicePacketKind.NodeStatusResponse },
        { "query with scope", NameServicePacketKind.NameQueryRequest },
    };

    internal static NameServicePacket Build(string what)
    {
        var flags = NbFlags.Group | (NbFlags)0x4000;
        return what switch
        {
            "registration" => NameServicePacket.CreateRegistrationRequest(0x1234, Fred, 300_000, NbFlags.None, Address, broadcast: true, recursionDesired: true),
            "overwrite" => NameServicePacket.CreateRegistrationRequest(0x1234, Fred, 300_000, NbFlags.None, Address, broadcast: true, recursionDesired: false),
            "refresh" => NameServicePacket.CreateRefreshRequest(1, Fred, 3600, flags, Address, broadcast: false),
            "refresh9" => new NameServicePacket(
                new NameServiceHeader(2, false, NameServiceOpcode.Refresh9, NameServiceFlags.None, NameServiceRcode.Ok),
                [new NameServiceQuestion(Fred, RecordType.NB)],
                additional: [new ResourceRecord(Fred, RecordType.NB, 60, new NbRecordData([new NbAddressEntry(NbFlags.None, Address)]), NameIsPointer: true)]),
            "multihomed" => NameServicePacket.CreateMultiHomedRegistrationRequest(3, Fred, 60, NbFlags.None, Address),
            "positive registration" => NameServicePacket.CreatePositiveRegistrationResponse(4, Fred, 21600, NbFlags.None, Address),
            "negative registration" => NameServicePacket.CreateNegativeRegistrationResponse(5, Fred, NameServiceRcode.ActiveError, NbFlags.None, Address),
            "challenge" => NameServicePacket.CreateEndNodeChallengeResponse(6, Fred, 60, NbFlags.None, IPAddress.Parse("10.0.0.9")),
            "conflict" => NameServicePacket.CreateConflictDemand(7, Fred, NbFlags.None, Address),
            "release" => NameServicePacket.CreateReleaseRequest(8, Fred, NbFlags.None, Address, broadcast: false),
            "positive release" => NameServicePacket.CreateReleaseResponse(9, Fred, NbFlags.None, Address, NameServiceRcode.Ok),
            "negative release" => NameServicePacket.CreateReleaseResponse(10, Fred, NbFlags.None, Address, NameServiceRcode.NameError),
            "query" => NameServicePacket.CreateNameQueryRequest(11, Fred, recursionDesired: true, broadcast: true),
            "positive query" => NameServicePacket.CreatePositiveQueryResponse(12, Fred, 300, [new NbAddressEntry(NbFlags.Group, Address), new NbAddressEntry(NbFlags.Group, IPAddress.Parse("10.0.0.8"))]),
            "negative query" => NameServicePacket.CreateNegativeQueryResponse(13, Fred, NameServiceRcode.NameError),
            "redirect" => NameServicePacket.CreateRedirectResponse(14, Fred, NetBiosName.Create("WINS2", 0x20), IPAddress.Parse("10.0.0.2"), 60),
            "wack" => NameServicePacket.CreateWackResponse(15, Fred, 60, 0x2910),
            "status" => NameServicePacket.CreateNodeStatusRequest(16, NetBiosName.Wildcard),
            "status response" => NameServicePacket.CreateNodeStatusResponse(17, NetBiosName.Wildcard,
                [new NodeStatusEntry(Fred, NodeStatusNameFlags.Active), new NodeStatusEntry(NetBiosName.Create("WG", 0x00), NodeStatusNameFlags.Active | NodeStatusNameFlags.Group)],
                NodeStatistics.Create([0, 1, 2, 3, 4, 5], goodSends: 7)),
            "query with scope" => NameServicePacket.CreateNameQueryRequest(18, NetBiosName.Create("FRED", 0x20, "SCOPE.ID.COM"), recursionDesired: false, broadcast: false),
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };
    }

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void EncodeDecode_EveryKind_RoundTrips(string what, NameServicePacketKind kind)
    {
        var packet = Build(what);
        Assert.Equal(kind, packet.Kind);

        byte[] bytes = packet.ToArray();
        Assert.True(NameServicePacket.TryDecode(bytes, out var decoded, out var error), error.ToString());

        Assert.Equal(kind, decoded.Kind);
        Assert.Equal(packet.Header, decoded.Header);
        Assert.Equal(packet.Questions, decoded.Questions);
        Assert.Equal(packet.Answers, decoded.Answers);
        Assert.Equal(packet.Authority, decoded.Authority);
        Assert.Equal(packet.Additional, decoded.Additional);
        Assert.Equal(Hex.Format(bytes), Hex.Format(decoded.ToArray()));
    }

    [Fact]
    public void QueryRequest_SpecVector()
    {
        // RFC 1002 §4.2.12: broadcast query for FRED<00>, RD + B.
        byte[] expected = Hex.Parse(
            "1234 0110 0001 0000 0000 0000" +                                    // TRN_ID, flags: opcode 0, RD, B; QDCOUNT 1
            "20 4547464345464545434143414341434143414341434143414341434143414141 00" + // FRED<00>
            "0020 0001");                                                         // NB, IN

        var packet = NameServicePacket.CreateNameQueryRequest(0x1234, NetBiosName.Create("FRED", 0x00), recursionDesired: true, broadcast: true);

        Assert.Equal(Hex.Format(expected), Hex.Format(packet.ToArray()));
    }

    [Fact]
    public void PositiveQueryResponse_SpecVector()
    {
        byte[] expected = Hex.Parse(
            "1234 8500 0000 0001 0000 0000" +                                    // response, AA RD; ANCOUNT 1
            "20 4547464345464545434143414341434143414341434143414341434143414341 00" + // FRED<20>
            "0020 0001 000493e0 0006" +                                           // NB IN TTL 300000 RDLENGTH 6
            "6000 0a000007");                                                     // H-node unique, 10.0.0.7

        var packet = NameServicePacket.CreatePositiveQueryResponse(0x1234, Fred, 300_000, [new NbAddressEntry((NbFlags)0x6000, Address)]);

        Assert.Equal(Hex.Format(expected), Hex.Format(packet.ToArray()));
    }

    [Fact]
    public void RegistrationRequest_RecordNameIsPointerToQuestion()
    {
        byte[] bytes = Build("registration").ToArray();

        // Question at 12 (34 bytes name + 4), then the additional record starts with C0 0C.
        Assert.Equal(0xC0, bytes[12 + 34 + 4]);
        Assert.Equal(0x0C, bytes[12 + 34 + 5]);
        Assert.True(NameServicePacket.TryDecode(bytes, out var packet, out _));
        Assert.True(packet.Additional[0].NameIsPointer);
        Assert.Equal(Fred, packet.Additional[0].Name);
    }

    [Fact]
    public void NodeStatusResponse_ManyNames_FitsIn576Bytes()
    {
        var entries = Enumerable.Range(0, 255).Select(i => new NodeStatusEntry(NetBiosName.Create($"N{i}", 0x20), NodeStatusNameFlags.Active)).ToList();

        var packet = NameServicePacket.CreateNodeStatusResponse(1, NetBiosName.Wildcard, entries, NodeStatistics.Create(new byte[6]));

        Assert.True(packet.GetEncodedLength() <= NameServicePacket.MaxDatagramLength);
        var names = ((NodeStatusRecordData)packet.Answers[0].Data).Names;
        Assert.True(names.Count > 20);
        Assert.True(packet.GetEncodedLength() + NodeStatusEntry.Length > NameServicePacket.MaxDatagramLength);
    }

    [Fact]
    public void FastPath_ReadsQueryAndWritesSameBytesAsFactory()
    {
        byte[] query = NameServicePacket.CreateNameQueryRequest(0x4321, Fred, recursionDesired: false, broadcast: true).ToArray();

        Assert.True(NameServiceFastPath.TryReadQuery(query, out var header, out var name, out var type));
        Assert.Equal(0x4321, header.TransactionId);
        Assert.Equal(Fred, name);
        Assert.Equal(RecordType.NB, type);

        byte[] buffer = new byte[100];
        Assert.True(NameServiceFastPath.TryWritePositiveQueryResponse(buffer, 0x4321, Fred, 300, NbFlags.None, 0x0A000007, out int written));
        var expected = NameServicePacket.CreatePositiveQueryResponse(0x4321, Fred, 300, [new NbAddressEntry(NbFlags.None, Address)]).ToArray();
        Assert.Equal(Hex.Format(expected), Hex.Format(buffer.AsSpan(0, written)));
    }

    [Fact]
    public void FastPath_NotAQuery_ReturnsFalse()
    {
        Assert.False(NameServiceFastPath.TryReadQuery(Build("registration").ToArray(), out _, out _, out _));
        Assert.False(NameServiceFastPath.TryReadQuery(Build("positive query").ToArray(), out _, out _, out _));
        Assert.False(NameServiceFastPath.TryReadQuery([1, 2, 3], out _, out _, out _));
    }

    [Fact]
    public void Wack_IsDecidedByOpcode_NotByRdataLength()
    {
        // An NB record with 2 bytes of RDATA outside a WACK is not a WACK (Samba OSS-Fuzz 38480).
        var bogus = new NameServicePacket(
            new NameServiceHeader(1, true, NameServiceOpcode.Query, NameServiceFlags.Authoritative, NameServiceRcode.Ok),
            answers: [new ResourceRecord(Fred, RecordType.NB, 0, new RawRecordData(new byte[] { 0x29, 0x10 }))]);

        Assert.True(NameServicePacket.TryDecode(bogus.ToArray(), out var decoded, out _));

        Assert.IsType<RawRecordData>(decoded.Answers[0].Data);
        Assert.Equal(NameServicePacketKind.Unknown, decoded.Kind);
    }

    [Theory]
    [InlineData("positive query with no answer")]
    [InlineData("registration without additional")]
    [InlineData("wack without answer")]
    public void Classify_WrongShape_IsUnknown(string what)
    {
        var header = what switch
        {
            "positive query with no answer" => new NameServiceHeader(1, true, NameServiceOpcode.Query, NameServiceFlags.Authoritative, NameServiceRcode.Ok),
            "registration without additional" => new NameServiceHeader(1, false, NameServiceOpcode.Registration, NameServiceFlags.RecursionDesired, NameServiceRcode.Ok),
            _ => new NameServiceHeader(1, true, NameServiceOpcode.Wack, NameServiceFlags.Authoritative, NameServiceRcode.Ok),
        };
        var packet = new NameServicePacket(header, what.StartsWith("registration", StringComparison.Ordinal) ? [new NameServiceQuestion(Fred, RecordType.NB)] : null);

        Assert.True(NameServicePacket.TryDecode(packet.ToArray(), out var decoded, out _));
        Assert.Equal(NameServicePacketKind.Unknown, decoded.Kind);
    }
}
