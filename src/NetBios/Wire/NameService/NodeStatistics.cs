using System.Buffers.Binary;

namespace NetBios.Wire.NameService;

/// <summary>
/// [RFC 1002] 4.2.18 NODE STATUS RESPONSE: the 46-byte STATISTICS block. Kept as its raw bytes, so that it
/// re-encodes exactly; the fields are read from them.
/// </summary>
/// <remarks>
/// Layout: UNIT_ID(6) JUMPERS(1) TEST_RESULT(1) VERSION_NUMBER(2) PERIOD_OF_STATISTICS(2) NUMBER_OF_CRCs(2)
/// NUMBER_ALIGNMENT_ERRORS(2) NUMBER_OF_COLLISIONS(2) NUMBER_SEND_ABORTS(2) NUMBER_GOOD_SENDS(4)
/// NUMBER_GOOD_RECEIVES(4) NUMBER_RETRANSMITS(2) NUMBER_NO_RESOURCE_CONDITIONS(2) NUMBER_FREE_COMMAND_BLOCKS(2)
/// TOTAL_NUMBER_COMMAND_BLOCKS(2) MAX_TOTAL_NUMBER_COMMAND_BLOCKS(2) NUMBER_PENDING_SESSIONS(2)
/// MAX_NUMBER_PENDING_SESSIONS(2) MAX_TOTAL_SESSIONS_POSSIBLE(2) SESSION_DATA_PACKET_SIZE(2).
/// </remarks>
public sealed class NodeStatistics : IEquatable<NodeStatistics>
{
    /// <summary>Bytes on the wire: 46.</summary>
    public const int Length = 46;

    private readonly byte[] _raw;

    private NodeStatistics(byte[] raw) => _raw = raw;

    /// <summary>The raw 46 bytes.</summary>
    public ReadOnlyMemory<byte> Raw => _raw;

    /// <summary>UNIT_ID: the adapter's MAC address (Samba sends zeros).</summary>
    public ReadOnlyMemory<byte> UnitId => _raw.AsMemory(0, 6);

    /// <summary>JUMPERS.</summary>
    public byte Jumpers => _raw[6];

    /// <summary>TEST_RESULT.</summary>
    public byte TestResult => _raw[7];

    /// <summary>VERSION_NUMBER.</summary>
    public ushort VersionNumber => U16(8);

    /// <summary>PERIOD_OF_STATISTICS.</summary>
    public ushort PeriodOfStatistics => U16(10);

    /// <summary>NUMBER_OF_CRCs.</summary>
    public ushort Crcs => U16(12);

    /// <summary>NUMBER_ALIGNMENT_ERRORS.</summary>
    public ushort AlignmentErrors => U16(14);

    /// <summary>NUMBER_OF_COLLISIONS.</summary>
    public ushort Collisions => U16(16);

    /// <summary>NUMBER_SEND_ABORTS.</summary>
    public ushort SendAborts => U16(18);

    /// <summary>NUMBER_GOOD_SENDS.</summary>
    public uint GoodSends => BinaryPrimitives.ReadUInt32BigEndian(_raw.AsSpan(20));

    /// <summary>NUMBER_GOOD_RECEIVES.</summary>
    public uint GoodReceives => BinaryPrimitives.ReadUInt32BigEndian(_raw.AsSpan(24));

    /// <summary>NUMBER_RETRANSMITS.</summary>
    public ushort Retransmits => U16(28);

    /// <summary>NUMBER_NO_RESOURCE_CONDITIONS.</summary>
    public ushort NoResourceConditions => U16(30);

    /// <summary>NUMBER_FREE_COMMAND_BLOCKS.</summary>
    public ushort FreeCommandBlocks => U16(32);

    /// <summary>TOTAL_NUMBER_COMMAND_BLOCKS.</summary>
    public ushort TotalCommandBlocks => U16(34);

    /// <summary>MAX_TOTAL_NUMBER_COMMAND_BLOCKS.</summary>
    public ushort MaxTotalCommandBlocks => U16(36);

    /// <summary>NUMBER_PENDING_SESSIONS.</summary>
    public ushort PendingSessions => U16(38);

    /// <summary>MAX_NUMBER_PENDING_SESSIONS.</summary>
    public ushort MaxPendingSessions => U16(40);

    /// <summary>MAX_TOTAL_SESSIONS_POSSIBLE.</summary>
    public ushort MaxTotalSessions => U16(42);

    /// <summary>SESSION_DATA_PACKET_SIZE.</summary>
    public ushort SessionDataPacketSize => U16(44);

    /// <summary>Builds a statistics block.</summary>
    /// <param name="unitId">The MAC address (6 bytes).</param>
    /// <param name="goodSends">NUMBER_GOOD_SENDS.</param>
    /// <param name="goodReceives">NUMBER_GOOD_RECEIVES.</param>
    /// <param name="maxTotalSessions">MAX_TOTAL_SESSIONS_POSSIBLE.</param>
    /// <param name="sessionDataPacketSize">SESSION_DATA_PACKET_SIZE.</param>
    /// <exception cref="ArgumentException"><paramref name="unitId"/> is not 6 bytes.</exception>
    public static NodeStatistics Create(ReadOnlySpan<byte> unitId, uint goodSends = 0, uint goodReceives = 0, ushort maxTotalSessions = 0, ushort sessionDataPacketSize = 0)
    {
        if (unitId.Length != 6)
        {
            throw new ArgumentException("UNIT_ID is 6 bytes.", nameof(unitId));
        }

        byte[] raw = new byte[Length];
        unitId.CopyTo(raw);
        BinaryPrimitives.WriteUInt32BigEndian(raw.AsSpan(20), goodSends);
        BinaryPrimitives.WriteUInt32BigEndian(raw.AsSpan(24), goodReceives);
        BinaryPrimitives.WriteUInt16BigEndian(raw.AsSpan(42), maxTotalSessions);
        BinaryPrimitives.WriteUInt16BigEndian(raw.AsSpan(44), sessionDataPacketSize);
        return new NodeStatistics(raw);
    }

    /// <summary>Reads exactly 46 bytes.</summary>
    internal static NodeStatistics FromBytes(ReadOnlySpan<byte> raw) => new(raw[..Length].ToArray());

    internal void Write(Span<byte> destination) => _raw.CopyTo(destination);

    /// <inheritdoc/>
    public bool Equals(NodeStatistics? other) => other is not null && _raw.AsSpan().SequenceEqual(other._raw);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as NodeStatistics);

    /// <inheritdoc/>
    public override int GetHashCode() => BinaryPrimitives.ReadInt32BigEndian(_raw);

    private ushort U16(int offset) => BinaryPrimitives.ReadUInt16BigEndian(_raw.AsSpan(offset));
}
