namespace NetBios.Wire.NameService;

/// <summary>[RFC 1002] 4.2.15 REDIRECT NAME QUERY RESPONSE: the NS record's RDATA, the domain name of the redirected NBNS (uncompressed).</summary>
/// <param name="ServerName">NSD_NAME, held as a NetBIOS name (the RFC reuses the name encoding).</param>
public sealed record NsRecordData(NetBiosName ServerName) : RecordData
{
    /// <inheritdoc/>
    public override int Length => NameCodec.GetEncodedLength(ServerName);

    internal override void Write(Span<byte> destination) => NameCodec.TryWrite(ServerName, destination, out _);
}
