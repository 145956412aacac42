namespace NetBios.Wire.NameService;

/// <summary>
/// [RFC 1002] 4.2.1.3 RESOURCE RECORD: RR_NAME, RR_TYPE, RR_CLASS, TTL, RDLENGTH, RDATA.
/// </summary>
/// <param name="Name">RR_NAME.</param>
/// <param name="Type">RR_TYPE.</param>
/// <param name="Ttl">TTL in seconds (0 = infinite for registrations, RFC 1002 §4.2.2).</param>
/// <param name="Data">RDATA.</param>
/// <param name="NameIsPointer">
/// RR_NAME is written as the label pointer 0xC00C to the question name, as registration, refresh and release
/// requests do (RFC 1002 §4.2.2) — kept so that packets re-encode byte for byte.
/// </param>
/// <param name="Class">RR_CLASS (IN = 1).</param>
public sealed record ResourceRecord(NetBiosName Name, RecordType Type, uint Ttl, RecordData Data, bool NameIsPointer = false, ushort Class = NameServiceQuestion.ClassIn)
{
    /// <summary>The offset of the first question name in every packet: right after the header.</summary>
    internal const int QuestionNameOffset = NameServiceHeader.Length;
}
