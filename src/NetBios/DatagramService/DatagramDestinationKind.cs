namespace NetBios.DatagramService;

/// <summary>How <see cref="DatagramServiceNode.SendAsync"/> treats the destination name.</summary>
public enum DatagramDestinationKind
{
    /// <summary>Resolve the name: a unique owner gets a DIRECT_UNIQUE datagram, a group a DIRECT_GROUP one (the NCB
    /// DATAGRAM SEND behaviour).</summary>
    Auto,

    /// <summary>The name is unique: resolve it and send DIRECT_UNIQUE to its owner.</summary>
    Unique,

    /// <summary>The name is a group: send DIRECT_GROUP without resolving (subnet broadcast, or the NBDD).</summary>
    Group,
}
