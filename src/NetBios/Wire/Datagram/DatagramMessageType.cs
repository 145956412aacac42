namespace NetBios.Wire.Datagram;

/// <summary>[RFC 1002] 4.4.1 NetBIOS DATAGRAM HEADER: MSG_TYPE.</summary>
public enum DatagramMessageType : byte
{
    /// <summary>DIRECT_UNIQUE DATAGRAM (0x10): to a unique name.</summary>
    DirectUnique = 0x10,

    /// <summary>DIRECT_GROUP DATAGRAM (0x11): to a group name.</summary>
    DirectGroup = 0x11,

    /// <summary>BROADCAST DATAGRAM (0x12): to every NetBIOS name (destination <c>*</c>).</summary>
    Broadcast = 0x12,

    /// <summary>DATAGRAM ERROR (0x13).</summary>
    Error = 0x13,

    /// <summary>DATAGRAM QUERY REQUEST (0x14), to an NBDD.</summary>
    QueryRequest = 0x14,

    /// <summary>DATAGRAM POSITIVE QUERY RESPONSE (0x15).</summary>
    PositiveQueryResponse = 0x15,

    /// <summary>DATAGRAM NEGATIVE QUERY RESPONSE (0x16).</summary>
    NegativeQueryResponse = 0x16,
}
