namespace NetBios.Station;

/// <summary>What a station binds: the ports of a node that others can reach, or only what a client needs.</summary>
public enum StationRole
{
    /// <summary>
    /// A client that resolves, asks for node status, sends datagrams and calls: the name and datagram services use
    /// ephemeral ports (no privileges, no clash with a node on the same machine) and no session listener is bound.
    /// Names it adds are registered and released on the network, but it answers queries for them only on its
    /// ephemeral port, so other nodes' broadcasts do not reach it.
    /// </summary>
    Client,

    /// <summary>
    /// A full node: binds the name service, datagram service and session service ports of the options (137, 138, 139
    /// by default; all three are bound before anything starts, so a port in use leaves nothing half-started), answers
    /// and defends its names, receives datagrams and accepts sessions.
    /// </summary>
    Node,
}
