namespace NetBios.Wire.NameService;

/// <summary>RDATA kept as bytes: an unknown type, or RDATA that does not have its type's shape.</summary>
/// <param name="Bytes">The RDATA.</param>
public sealed record RawRecordData(ReadOnlyMemory<byte> Bytes) : RecordData
{
    /// <inheritdoc/>
    public override int Length => Bytes.Length;

    internal override void Write(Span<byte> destination) => Bytes.Span.CopyTo(destination);

    /// <inheritdoc/>
    public bool Equals(RawRecordData? other) => other is not null && Bytes.Span.SequenceEqual(other.Bytes.Span);

    /// <inheritdoc/>
    public override int GetHashCode() => Bytes.Length;
}
