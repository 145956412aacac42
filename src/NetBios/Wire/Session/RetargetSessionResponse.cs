using System.Buffers.Binary;
using System.Net;

namespace NetBios.Wire.Session;

/// <summary>[RFC 1002] 4.3.5 SESSION RETARGET RESPONSE PACKET (LENGTH 6: RETARGET_IP_ADDRESS, PORT).</summary>
/// <param name="Address">Where to call instead.</param>
/// <param name="Port">The port to call.</param>
public sealed record RetargetSessionResponse(IPAddress Address, ushort Port) : SessionPacket
{
    /// <inheritdoc/>
    public override SessionPacketType Type => SessionPacketType.RetargetSessionResponse;

    /// <inheritdoc/>
    public override int TrailerLength => 6;

    private protected override void WriteTrailer(Span<byte> destination)
    {
        Address.TryWriteBytes(destination, out _);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], Port);
    }
}
