namespace NetBios.Wire.Session;

/// <summary>[RFC 1002] 4.3.1 GENERAL FORMAT OF SESSION PACKETS: TYPE.</summary>
public enum SessionPacketType : byte
{
    /// <summary>SESSION MESSAGE (0x00): user data, LENGTH 0..131071 (an empty message is legal on the wire).</summary>
    SessionMessage = 0x00,

    /// <summary>SESSION REQUEST (0x81): called and calling names, LENGTH 2..256 (68 without scope).</summary>
    SessionRequest = 0x81,

    /// <summary>POSITIVE SESSION RESPONSE (0x82), LENGTH 0.</summary>
    PositiveSessionResponse = 0x82,

    /// <summary>NEGATIVE SESSION RESPONSE (0x83): one error byte, LENGTH 1.</summary>
    NegativeSessionResponse = 0x83,

    /// <summary>RETARGET SESSION RESPONSE (0x84): IP address and port to call instead, LENGTH 6.</summary>
    RetargetSessionResponse = 0x84,

    /// <summary>SESSION KEEP ALIVE (0x85), LENGTH 0: may arrive at any time and is ignored.</summary>
    SessionKeepAlive = 0x85,

    /// <summary>
    /// Not in the RFC: a keep-alive request (LENGTH 0) that some old clients send. It is a known legacy type, not an
    /// error, so that the session layer can answer it with <see cref="SessionKeepAlive"/> as Samba does
    /// (the sample capture nbss-smbd-139.pcap has smbd answering <c>89 00 00 00</c> with <c>85 00 00 00</c>).
    /// </summary>
    LegacyKeepAliveRequest = 0x89,
}
