using System.Buffers.Binary;

namespace NetBios.Wire.NameService;

/// <summary>
/// [RFC 1002] 4.2.18 NODE STATUS RESPONSE RDATA: NUM_NAMES (1 byte), NUM_NAMES × (16-byte name, NAME_FLAGS),
/// then the 46-byte STATISTICS. RDLENGTH = NUM_NAMES × 18 + 47.
/// </summary>
/// <param name="Names">The node's names.</param>
/// <param name="Statistics">The statistics block.</param>
public sealed record NodeStatusRecordData(IReadOnlyList<NodeStatusEntry> Names, NodeStatistics Statistics) : RecordData
{
    /// <inheritdoc/>
    public override int Length => 1 + Names.Count * NodeStatusEntry.Length + NodeStatistics.Length;

    /// <summary>Decodes RDATA whose length matches NUM_NAMES exactly; the names take the scope of the RR name.</summary>
    internal static NodeStatusRecordData? TryRead(ReadOnlySpan<byte> rdata, string scope)
    {
        // NUM_NAMES is checked against the bytes present before anything is allocated from it.
        if (rdata.Length < 1 + NodeStatistics.Length || rdata.Length != 1 + rdata[0] * NodeStatusEntry.Length + NodeStatistics.Length)
        {
            return null;
        }

        var names = new NodeStatusEntry[rdata[0]];
        for (int i = 0; i < names.Length; i++)
        {
            var entry = rdata.Slice(1 + i * NodeStatusEntry.Length, NodeStatusEntry.Length);
            names[i] = new NodeStatusEntry(NetBiosName.FromBytesUnchecked(entry[..16], scope), (NodeStatusNameFlags)BinaryPrimitives.ReadUInt16BigEndian(entry[16..]));
        }

        return new NodeStatusRecordData(names, NodeStatistics.FromBytes(rdata[(1 + names.Length * NodeStatusEntry.Length)..]));
    }

    internal override void Write(Span<byte> destination)
    {
        destination[0] = (byte)Names.Count;
        for (int i = 0; i < Names.Count; i++)
        {
            var target = destination.Slice(1 + i * NodeStatusEntry.Length, NodeStatusEntry.Length);
            Names[i].Name.CopyTo(target);
            BinaryPrimitives.WriteUInt16BigEndian(target[16..], (ushort)Names[i].Flags);
        }

        Statistics.Write(destination[(1 + Names.Count * NodeStatusEntry.Length)..]);
    }

    /// <inheritdoc/>
    public bool Equals(NodeStatusRecordData? other) =>
        other is not null && Names.SequenceEqual(other.Names) && Statistics.Equals(other.Statistics);

    /// <inheritdoc/>
    public override int GetHashCode() => Names.Count;
}
