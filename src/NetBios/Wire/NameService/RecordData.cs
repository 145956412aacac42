namespace NetBios.Wire.NameService;

/// <summary>
/// [RFC 1002] 4.2.1.3 RESOURCE RECORD: the RDATA of a record. Each RR type has its own subclass; RDATA that does
/// not fit its type's shape is kept as <see cref="RawRecordData"/> so that every packet re-encodes exactly. The
/// type is never guessed from the length alone (Samba OSS-Fuzz 38480): WACK RDATA is decided by the opcode.
/// </summary>
public abstract record RecordData
{
    /// <summary>RDLENGTH.</summary>
    public abstract int Length { get; }

    /// <summary>Writes exactly <see cref="Length"/> bytes.</summary>
    internal abstract void Write(Span<byte> destination);
}
