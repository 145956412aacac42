namespace NetBios.Wire.Session;

/// <summary>[RFC 1002] 4.3.1 GENERAL FORMAT OF SESSION PACKETS: TYPE.</summary>
public enum SessionPacketType : byte
{
    /// <summary>SESSION MESSAGE (0x00): user data.</summary>
    SessionMessage = 0x00,

    /// <summary>SESSION REQUEST (0x81): called and calling names.</summary>
    SessionRequest = 0x81,

    /// <summary>POSITIVE SESSION RESPONSE (0x82).</summary>
    PositiveSessionResponse = 0x82,

    /// <summary>NEGATIVE SESSION RESPONSE (0x83): one error byte.</summary>
    NegativeSessionResponse = 0x83,

    /// <summary>RETARGET SESSION RESPONSE (0x84): IP address and port to call instead.</summary>
    RetargetSessionResponse = 0x84,

    /// <summary>SESSION KEEP ALIVE (0x85): may arrive at any time and is ignored.</summary>
    SessionKeepAlive = 0x85,

    /// <summary>Not in the RFC: a keep-alive request some old clients send; Samba answers it with 0x85.</summary>
    LegacyKeepAliveRequest = 0x89,
}
