namespace NetBios.Wire.Datagram;

/// <summary>[RFC 1002] 4.4.3 DATAGRAM ERROR PACKET: ERROR_CODE.</summary>
public enum DatagramErrorCode : byte
{
    /// <summary>DESTINATION NAME NOT PRESENT (0x82).</summary>
    DestinationNameNotPresent = 0x82,

    /// <summary>INVALID SOURCE NAME FORMAT (0x83).</summary>
    InvalidSourceNameFormat = 0x83,

    /// <summary>INVALID DESTINATION NAME FORMAT (0x84).</summary>
    InvalidDestinationNameFormat = 0x84,
}
