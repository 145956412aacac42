namespace NetBios.Wire.NameService;

/// <summary>Empty RDATA (RDLENGTH 0): NULL records of negative query responses (RFC 1002 §4.2.14) and similar.</summary>
public sealed record NullRecordData : RecordData
{
    /// <summary>The one instance.</summary>
    public static NullRecordData Instance { get; } = new();

    /// <inheritdoc/>
    public override int Length => 0;

    internal override void Write(Span<byte> destination)
    {
    }
}
