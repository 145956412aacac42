using System.Net;
using NetBios.NameService;
using NetBios.Wire.NameService;

namespace NetBios.NameServer;

/// <summary>
/// The parts of a registration, refresh or release request (RFC 1002 §4.2.2–4.2.4, §4.2.9, MS-NBTE §2.2.1) that the
/// server decides on: the question name, the NB entry of the additional record, its TTL and who sent it.
/// </summary>
/// <param name="Name">QUESTION_NAME.</param>
/// <param name="Kind">Registration, overwrite, refresh, multi-homed registration or release.</param>
/// <param name="Flags">NB_FLAGS (G bit, ONT).</param>
/// <param name="Address">NB_ADDRESS.</param>
/// <param name="Ttl">The TTL asked for, in seconds.</param>
/// <param name="Source">The sender's address: only it counts as a holder of the name.</param>
internal readonly record struct WinsRequest(NetBiosName Name, NameServicePacketKind Kind, NbFlags Flags, IPAddress Address, uint Ttl, IPAddress Source)
{
    /// <summary>G: a group registration.</summary>
    public bool IsGroup => (Flags & NbFlags.Group) != 0;

    /// <summary>The owner node type (ONT).</summary>
    public NodeType NodeType => (NodeType)(((ushort)Flags >> 13) & 3);

    /// <summary>The record type the request asks for: special group for a <c>&lt;1C&gt;</c> group, normal group,
    /// multi-homed for opcode 0xF, else unique.</summary>
    public WinsRecordType RecordType => IsGroup
        ? (Name.Suffix == 0x1C ? WinsRecordType.SpecialGroup : WinsRecordType.Group)
        : (Kind == NameServicePacketKind.MultiHomedRegistrationRequest ? WinsRecordType.MultiHomed : WinsRecordType.Unique);

    /// <summary>Reads a request that carries one NB additional record with at least one entry.</summary>
    public static bool TryCreate(NameServiceRequest request, out WinsRequest result)
    {
        result = default;
        var packet = request.Packet;
        if (request.QuestionName is not { } name || packet.Additional.Count == 0
            || packet.Additional[0].Data is not NbRecordData { Entries.Count: > 0 } nb || nb.Entries[0].Address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            return false;
        }

        result = new WinsRequest(name, packet.Kind, nb.Entries[0].Flags, nb.Entries[0].Address, packet.Additional[0].Ttl, request.Source.Address);
        return true;
    }
}
