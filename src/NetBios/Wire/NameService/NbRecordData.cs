using System.Buffers.Binary;
using System.Net;

namespace NetBios.Wire.NameService;

/// <summary>[RFC 1002] 4.2.1.3 NB RDATA: one or more 6-byte (NB_FLAGS, NB_ADDRESS) entries.</summary>
/// <param name="Entries">The entries (several for group names and multi-homed hosts).</param>
public sealed record NbRecordData(IReadOnlyList<NbAddressEntry> Entries) : RecordData
{
    /// <inheritdoc/>
    public override int Length => Entries.Count * NbAddressEntry.Length;

    /// <summary>Decodes RDATA whose length is a positive multiple of 6.</summary>
    internal static NbRecordData? TryRead(ReadOnlySpan<byte> rdata)
    {
        if (rdata.Length == 0 || rdata.Length % NbAddressEntry.Length != 0)
        {
            return null;
        }

        var entries = new NbAddressEntry[rdata.Length / NbAddressEntry.Length];
        for (int i = 0; i < entries.Length; i++)
        {
            var entry = rdata.Slice(i * NbAddressEntry.Length, NbAddressEntry.Length);
            entries[i] = new NbAddressEntry((NbFlags)BinaryPrimitives.ReadUInt16BigEndian(entry), new IPAddress(entry.Slice(2, 4)));
        }

        return new NbRecordData(entries);
    }

    internal override void Write(Span<byte> destination)
    {
        for (int i = 0; i < Entries.Count; i++)
        {
            var target = destination.Slice(i * NbAddressEntry.Length, NbAddressEntry.Length);
            BinaryPrimitives.WriteUInt16BigEndian(target, (ushort)Entries[i].Flags);
            Entries[i].Address.TryWriteBytes(target[2..], out _);
        }
    }

    /// <inheritdoc/>
    public bool Equals(NbRecordData? other) => other is not null && Entries.SequenceEqual(other.Entries);

    /// <inheritdoc/>
    public override int GetHashCode() => Entries.Count;
}
