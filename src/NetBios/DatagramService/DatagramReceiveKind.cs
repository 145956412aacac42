namespace NetBios.DatagramService;

/// <summary>The three kinds of datagram receiver.</summary>
public enum DatagramReceiveKind
{
    /// <summary>Datagrams to one local name.</summary>
    Name,

    /// <summary>Datagrams to any local name (not broadcasts).</summary>
    AnyName,

    /// <summary>Broadcast datagrams.</summary>
    Broadcast,
}
