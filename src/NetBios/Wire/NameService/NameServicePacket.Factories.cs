using System.Net;

namespace NetBios.Wire.NameService;

public sealed partial class NameServicePacket
{
    /// <summary>MAX_DATAGRAM_LENGTH (RFC 1002 §6): node status responses are sized to fit it.</summary>
    public const int MaxDatagramLength = 576;

    private const NameServiceFlags AuthoritativeRecursive = NameServiceFlags.Authoritative | NameServiceFlags.RecursionDesired;

    /// <summary>[RFC 1002] 4.2.12 NAME QUERY REQUEST.</summary>
    /// <param name="transactionId">NAME_TRN_ID.</param>
    /// <param name="name">The name asked for.</param>
    /// <param name="recursionDesired">RD: ask a name server for its database (set) or a node for its own names (clear).</param>
    /// <param name="broadcast">B: the request is broadcast.</param>
    public static NameServicePacket CreateNameQueryRequest(ushort transactionId, NetBiosName name, bool recursionDesired, bool broadcast) =>
        new(Request(transactionId, NameServiceOpcode.Query, recursionDesired, broadcast), [new NameServiceQuestion(name, RecordType.NB)]);

    /// <summary>[RFC 1002] 4.2.17 NODE STATUS REQUEST (usually for <c>*</c>).</summary>
    public static NameServicePacket CreateNodeStatusRequest(ushort transactionId, NetBiosName name) =>
        new(Request(transactionId, NameServiceOpcode.Query, recursionDesired: false, broadcast: false), [new NameServiceQuestion(name, RecordType.NBStat)]);

    /// <summary>[RFC 1002] 4.2.13 POSITIVE NAME QUERY RESPONSE (AA, RD; no question section).</summary>
    public static NameServicePacket CreatePositiveQueryResponse(ushort transactionId, NetBiosName name, uint ttl, IReadOnlyList<NbAddressEntry> entries) =>
        new(Response(transactionId, NameServiceOpcode.Query, AuthoritativeRecursive, NameServiceRcode.Ok),
            answers: [new ResourceRecord(name, RecordType.NB, ttl, new NbRecordData(entries))]);

    /// <summary>[RFC 1002] 4.2.14 NEGATIVE NAME QUERY RESPONSE, with the NULL record nmbd sends.</summary>
    public static NameServicePacket CreateNegativeQueryResponse(ushort transactionId, NetBiosName name, NameServiceRcode rcode) =>
        new(Response(transactionId, NameServiceOpcode.Query, AuthoritativeRecursive, rcode),
            answers: [new ResourceRecord(name, RecordType.Null, 0, NullRecordData.Instance)]);

    /// <summary>[RFC 1002] 4.2.15 REDIRECT NAME QUERY RESPONSE: NS and A records naming the NBNS to ask instead.</summary>
    public static NameServicePacket CreateRedirectResponse(ushort transactionId, NetBiosName name, NetBiosName serverName, IPAddress serverAddress, uint ttl) =>
        new(Response(transactionId, NameServiceOpcode.Query, NameServiceFlags.RecursionDesired, NameServiceRcode.Ok),
            authority: [new ResourceRecord(name, RecordType.NS, ttl, new NsRecordData(serverName))],
            additional: [new ResourceRecord(serverName, RecordType.A, ttl, new ARecordData(serverAddress))]);

    /// <summary>
    /// [RFC 1002] 4.2.2 NAME REGISTRATION REQUEST (RD set), or 4.2.3 NAME OVERWRITE REQUEST &amp; DEMAND (RD clear);
    /// RR_NAME is the pointer 0xC00C to the question name, as Windows and Samba send it.
    /// </summary>
    public static NameServicePacket CreateRegistrationRequest(ushort transactionId, NetBiosName name, uint ttl, NbFlags flags, IPAddress address, bool broadcast, bool recursionDesired) =>
        AddressRequest(transactionId, NameServiceOpcode.Registration, name, ttl, flags, address, broadcast, recursionDesired);

    /// <summary>[RFC 1002] 4.2.4 NAME REFRESH REQUEST (opcode 8; RD clear).</summary>
    public static NameServicePacket CreateRefreshRequest(ushort transactionId, NetBiosName name, uint ttl, NbFlags flags, IPAddress address, bool broadcast) =>
        AddressRequest(transactionId, NameServiceOpcode.Refresh, name, ttl, flags, address, broadcast, recursionDesired: false);

    /// <summary>[MS-NBTE] 2.2.1 multi-homed NAME REGISTRATION REQUEST (opcode 0xF, RD set).</summary>
    public static NameServicePacket CreateMultiHomedRegistrationRequest(ushort transactionId, NetBiosName name, uint ttl, NbFlags flags, IPAddress address) =>
        AddressRequest(transactionId, NameServiceOpcode.MultiHomedRegistration, name, ttl, flags, address, broadcast: false, recursionDesired: true);

    /// <summary>[RFC 1002] 4.2.9 NAME RELEASE REQUEST &amp; DEMAND (TTL 0, RD clear).</summary>
    public static NameServicePacket CreateReleaseRequest(ushort transactionId, NetBiosName name, NbFlags flags, IPAddress address, bool broadcast) =>
        AddressRequest(transactionId, NameServiceOpcode.Release, name, 0, flags, address, broadcast, recursionDesired: false);

    /// <summary>[RFC 1002] 4.2.5 POSITIVE NAME REGISTRATION RESPONSE (AA, RD, RA).</summary>
    public static NameServicePacket CreatePositiveRegistrationResponse(ushort transactionId, NetBiosName name, uint ttl, NbFlags flags, IPAddress address) =>
        AddressResponse(transactionId, NameServiceOpcode.Registration, AuthoritativeRecursive | NameServiceFlags.RecursionAvailable, NameServiceRcode.Ok, name, ttl, flags, address);

    /// <summary>[RFC 1002] 4.2.6 NEGATIVE NAME REGISTRATION RESPONSE; a defending node answers ACT_ERR with its own address.</summary>
    public static NameServicePacket CreateNegativeRegistrationResponse(ushort transactionId, NetBiosName name, NameServiceRcode rcode, NbFlags flags, IPAddress address) =>
        AddressResponse(transactionId, NameServiceOpcode.Registration, AuthoritativeRecursive | NameServiceFlags.RecursionAvailable, rcode, name, 0, flags, address);

    /// <summary>[RFC 1002] 4.2.7 END-NODE CHALLENGE REGISTRATION RESPONSE (AA, RD, not RA): the record names the current owner.</summary>
    public static NameServicePacket CreateEndNodeChallengeResponse(ushort transactionId, NetBiosName name, uint ttl, NbFlags flags, IPAddress owner) =>
        AddressResponse(transactionId, NameServiceOpcode.Registration, AuthoritativeRecursive, NameServiceRcode.Ok, name, ttl, flags, owner);

    /// <summary>[RFC 1002] 4.2.8 NAME CONFLICT DEMAND (RCODE CFT_ERR).</summary>
    public static NameServicePacket CreateConflictDemand(ushort transactionId, NetBiosName name, NbFlags flags, IPAddress address) =>
        AddressResponse(transactionId, NameServiceOpcode.Registration, AuthoritativeRecursive | NameServiceFlags.RecursionAvailable, NameServiceRcode.ConflictError, name, 0, flags, address);

    /// <summary>[RFC 1002] 4.2.10 POSITIVE / 4.2.11 NEGATIVE NAME RELEASE RESPONSE (by <paramref name="rcode"/>).</summary>
    public static NameServicePacket CreateReleaseResponse(ushort transactionId, NetBiosName name, NbFlags flags, IPAddress address, NameServiceRcode rcode) =>
        AddressResponse(transactionId, NameServiceOpcode.Release, NameServiceFlags.Authoritative, rcode, name, 0, flags, address);

    /// <summary>[RFC 1002] 4.2.16 WAIT FOR ACKNOWLEDGEMENT (WACK) RESPONSE: wait <paramref name="ttl"/> seconds for the real answer.</summary>
    public static NameServicePacket CreateWackResponse(ushort transactionId, NetBiosName name, uint ttl, ushort requestFlags) =>
        new(Response(transactionId, NameServiceOpcode.Wack, NameServiceFlags.Authoritative, NameServiceRcode.Ok),
            answers: [new ResourceRecord(name, RecordType.NB, ttl, new WackRecordData(requestFlags))]);

    /// <summary>
    /// [RFC 1002] 4.2.18 NODE STATUS RESPONSE. The name list is cut so that the packet fits
    /// <see cref="MaxDatagramLength"/> (Samba 1998 node-status overflow; docs/RELIABILITY.md rule 4).
    /// </summary>
    public static NameServicePacket CreateNodeStatusResponse(ushort transactionId, NetBiosName name, IReadOnlyList<NodeStatusEntry> entries, NodeStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(entries);
        int fixedPart = NameServiceHeader.Length + NameCodec.GetEncodedLength(name) + 10 + 1 + NodeStatistics.Length;
        int fit = Math.Min(Math.Max(0, (MaxDatagramLength - fixedPart) / NodeStatusEntry.Length), byte.MaxValue);
        var names = entries.Count > fit ? entries.Take(fit).ToList() : entries;
        return new(Response(transactionId, NameServiceOpcode.Query, NameServiceFlags.Authoritative, NameServiceRcode.Ok),
            answers: [new ResourceRecord(name, RecordType.NBStat, 0, new NodeStatusRecordData(names, statistics))]);
    }

    private static NameServicePacket AddressRequest(ushort transactionId, NameServiceOpcode opcode, NetBiosName name, uint ttl, NbFlags flags, IPAddress address, bool broadcast, bool recursionDesired) =>
        new(Request(transactionId, opcode, recursionDesired, broadcast),
            [new NameServiceQuestion(name, RecordType.NB)],
            additional: [new ResourceRecord(name, RecordType.NB, ttl, new NbRecordData([new NbAddressEntry(flags, address)]), NameIsPointer: true)]);

    private static NameServicePacket AddressResponse(ushort transactionId, NameServiceOpcode opcode, NameServiceFlags flags, NameServiceRcode rcode, NetBiosName name, uint ttl, NbFlags nbFlags, IPAddress address) =>
        new(Response(transactionId, opcode, flags, rcode),
            answers: [new ResourceRecord(name, RecordType.NB, ttl, new NbRecordData([new NbAddressEntry(nbFlags, address)]))]);

    private static NameServiceHeader Request(ushort transactionId, NameServiceOpcode opcode, bool recursionDesired, bool broadcast) =>
        new(transactionId, IsResponse: false, opcode,
            (recursionDesired ? NameServiceFlags.RecursionDesired : 0) | (broadcast ? NameServiceFlags.Broadcast : 0), NameServiceRcode.Ok);

    private static NameServiceHeader Response(ushort transactionId, NameServiceOpcode opcode, NameServiceFlags flags, NameServiceRcode rcode) =>
        new(transactionId, IsResponse: true, opcode, flags, rcode);
}
