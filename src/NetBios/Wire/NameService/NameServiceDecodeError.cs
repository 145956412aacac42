namespace NetBios.Wire.NameService;

/// <summary>Why a name service packet could not be decoded; for debug logs and tests.</summary>
public enum NameServiceDecodeError : byte
{
    /// <summary>Decoded.</summary>
    None,

    /// <summary>Shorter than the 12-byte header.</summary>
    TruncatedHeader,

    /// <summary>A question name is malformed.</summary>
    BadQuestionName,

    /// <summary>A question runs past the end.</summary>
    TruncatedQuestion,

    /// <summary>A resource record name is malformed.</summary>
    BadRecordName,

    /// <summary>A resource record's fixed part runs past the end.</summary>
    TruncatedRecord,

    /// <summary>RDLENGTH runs past the end of the datagram.</summary>
    RdataPastEnd,

    /// <summary>The counts promise more questions or records than the datagram can hold.</summary>
    CountsTooLarge,
}
