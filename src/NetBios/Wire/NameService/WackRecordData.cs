using System.Buffers.Binary;

namespace NetBios.Wire.NameService;

/// <summary>[RFC 1002] 4.2.16 WAIT FOR ACKNOWLEDGEMENT (WACK) RESPONSE: RDATA is the request's header flags word (2 bytes).</summary>
/// <param name="RequestFlags">The second 16-bit word of the request header (R, OPCODE, NM_FLAGS, RCODE).</param>
public sealed record WackRecordData(ushort RequestFlags) : RecordData
{
    /// <inheritdoc/>
    public override int Length => 2;

    internal override void Write(Span<byte> destination) => BinaryPrimitives.WriteUInt16BigEndian(destination, RequestFlags);
}
