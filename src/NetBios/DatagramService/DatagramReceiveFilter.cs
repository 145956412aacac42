namespace NetBios.DatagramService;

/// <summary>Which datagrams a receiver gets (the NCB DATAGRAM RECEIVE / RECEIVE BROADCAST choices).</summary>
public readonly record struct DatagramReceiveFilter
{
    private DatagramReceiveFilter(DatagramReceiveKind kind, NetBiosName name)
    {
        Kind = kind;
        Name = name;
    }

    /// <summary>What the filter matches on.</summary>
    public DatagramReceiveKind Kind { get; }

    /// <summary>The local name, for <see cref="DatagramReceiveKind.Name"/>.</summary>
    public NetBiosName Name { get; }

    /// <summary>Datagrams (unique or group) sent to one local name.</summary>
    /// <param name="name">The local name (unique or group).</param>
    public static DatagramReceiveFilter ForName(NetBiosName name) => new(DatagramReceiveKind.Name, name);

    /// <summary>Datagrams sent to any local name (NCB name number 0xFF); not broadcasts.</summary>
    public static DatagramReceiveFilter AnyName { get; } = new(DatagramReceiveKind.AnyName, default);

    /// <summary>BROADCAST datagrams (NCB RECEIVE BROADCAST DATAGRAM).</summary>
    public static DatagramReceiveFilter Broadcasts { get; } = new(DatagramReceiveKind.Broadcast, default);

    /// <summary>True when a datagram belongs to this receiver.</summary>
    /// <param name="datagram">The received datagram.</param>
    public bool Matches(ReceivedDatagram datagram) => Kind switch
    {
        DatagramReceiveKind.Name => !datagram.IsBroadcast && datagram.DestinationName == Name,
        DatagramReceiveKind.AnyName => !datagram.IsBroadcast,
        _ => datagram.IsBroadcast,
    };

    /// <inheritdoc/>
    public override string ToString() => Kind == DatagramReceiveKind.Name ? $"datagrams to {Name}" : Kind.ToString();
}
