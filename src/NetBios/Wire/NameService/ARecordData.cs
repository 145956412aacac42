using System.Net;

namespace NetBios.Wire.NameService;

/// <summary>[RFC 1002] 4.2.15 REDIRECT NAME QUERY RESPONSE: the A record's RDATA, the redirected NBNS's IPv4 address.</summary>
/// <param name="Address">The IPv4 address.</param>
public sealed record ARecordData(IPAddress Address) : RecordData
{
    /// <inheritdoc/>
    public override int Length => 4;

    internal override void Write(Span<byte> destination) => Address.TryWriteBytes(destination, out _);
}
