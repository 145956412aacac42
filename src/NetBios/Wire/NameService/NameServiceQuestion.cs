namespace NetBios.Wire.NameService;

/// <summary>[RFC 1002] 4.2.1.2 QUESTION SECTION: QUESTION_NAME, QUESTION_TYPE (NB or NBSTAT), QUESTION_CLASS (IN).</summary>
/// <param name="Name">QUESTION_NAME.</param>
/// <param name="Type">QUESTION_TYPE.</param>
/// <param name="Class">QUESTION_CLASS (IN = 1).</param>
public sealed record NameServiceQuestion(NetBiosName Name, RecordType Type, ushort Class = NameServiceQuestion.ClassIn)
{
    /// <summary>The Internet class, 0x0001.</summary>
    public const ushort ClassIn = 0x0001;
}
