using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace NetBios.Wire.Session;

/// <summary>[RFC 1002] 4.3.5 SESSION RETARGET RESPONSE PACKET (LENGTH 6: RETARGET_IP_ADDRESS, PORT).</summary>
/// <remarks>
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      TYPE     |     FLAGS     |            LENGTH             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      RETARGET_IP_ADDRESS                      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           PORT                |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
/// <param name="Address">Where to call instead (IPv4).</param>
/// <param name="Port">The port to call.</param>
public sealed record RetargetSessionResponse(IPAddress Address, ushort Port) : SessionPacket
{
    /// <summary>RETARGET_IP_ADDRESS (IPv4).</summary>
    /// <exception cref="ArgumentException">Not an IPv4 address.</exception>
    public IPAddress Address { get; init => field = CheckIPv4(value); } = CheckIPv4(Address);

    /// <inheritdoc/>
    public override SessionPacketType Type => SessionPacketType.RetargetSessionResponse;

    /// <inheritdoc/>
    public override int TrailerLength => 6;

    private protected override void WriteTrailer(Span<byte> destination)
    {
        Address.TryWriteBytes(destination, out _);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], Port);
    }

    private static IPAddress CheckIPv4(IPAddress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.AddressFamily == AddressFamily.InterNetwork
            ? value
            : throw new ArgumentException("RETARGET_IP_ADDRESS is an IPv4 address.", nameof(value));
    }
}
