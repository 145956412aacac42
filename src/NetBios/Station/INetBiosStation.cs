using System.Net;
using NetBios.DatagramService;
using NetBios.NameService;
using NetBios.Wire.NameService;

namespace NetBios.Station;

/// <summary>
/// The station API a program uses — names, resolution, node status, datagrams and sessions — the same whether the
/// station runs in this process (<see cref="NetBiosStation"/>) or in nbtd, shared by every local program
/// (<see cref="Daemon.NetBiosDaemonStation"/>, docs/IPC.md "Station operations"). Through nbtd the names and sessions a
/// program creates are its own and are released when it disconnects.
/// </summary>
public interface INetBiosStation : IAsyncDisposable
{
    /// <summary>The station's IPv4 address.</summary>
    IPAddress Address { get; }

    /// <summary>The node type in effect (B, P, M or H).</summary>
    NodeType NodeType { get; }

    /// <summary>Adds a name and registers it on the network ([RFC 1001] 15.2, [RFC 1002] 4.2.2).</summary>
    /// <param name="name">The name; the station's scope applies when it has none.</param>
    /// <param name="isGroup">True for a group name.</param>
    /// <param name="cancellationToken">Cancels the registration; the name is then removed again.</param>
    /// <returns>Registered, or why not (duplicate, conflict with its owner, refused, timeout).</returns>
    /// <exception cref="UnauthorizedAccessException">Through nbtd: the access policy does not let this program add names.</exception>
    ValueTask<NameRegistrationResult> AddNameAsync(NetBiosName name, bool isGroup = false, CancellationToken cancellationToken = default);

    /// <summary>Releases a name ([RFC 1001] 15.5) and removes it from the table.</summary>
    /// <param name="name">The name.</param>
    /// <param name="cancellationToken">Cancels waiting for the name server's answer (the name is removed regardless).</param>
    /// <returns>False when this program does not hold the name.</returns>
    ValueTask<bool> DeleteNameAsync(NetBiosName name, CancellationToken cancellationToken = default);

    /// <summary>The names this program may use as a source or calling name: embedded, the station's table; through nbtd,
    /// the names it added and the names the station holds that no client added (its configured names).</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A snapshot, in the order the names were added.</returns>
    ValueTask<IReadOnlyList<LocalName>> GetNamesAsync(CancellationToken cancellationToken = default);

    /// <summary>Resolves a name ([RFC 1001] 15.1.3; own names, cache, LMHOSTS, name server, broadcast, as configured).</summary>
    /// <param name="name">The name; the station's scope applies when it has none.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>Every answer collected, or why there is none.</returns>
    ValueTask<NameQueryResult> QueryAsync(NetBiosName name, CancellationToken cancellationToken = default);

    /// <summary>NODE STATUS ([RFC 1002] 4.2.17/4.2.18) of the node at <paramref name="address"/>.</summary>
    /// <param name="address">The node.</param>
    /// <param name="name">The name to ask about; the wildcard <c>*</c> when null.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The node's names, or a timeout.</returns>
    ValueTask<NodeStatusResult> GetNodeStatusAsync(IPAddress address, NetBiosName? name = null, CancellationToken cancellationToken = default);

    /// <summary>Sends a datagram ([RFC 1002] 4.4.1 DIRECT_UNIQUE / DIRECT_GROUP) from a name this program holds.</summary>
    /// <param name="source">A name of <see cref="GetNamesAsync"/>.</param>
    /// <param name="destination">The destination name.</param>
    /// <param name="data">The user data.</param>
    /// <param name="kind">Resolve to decide (the default), or say the name is unique or a group.</param>
    /// <param name="cancellationToken">Cancels resolution and sending.</param>
    /// <returns>Sent, or why not (<see cref="DatagramSendOutcome.SourceNameNotLocal"/> for a name this program does not hold).</returns>
    ValueTask<DatagramSendResult> SendDatagramAsync(NetBiosName source, NetBiosName destination, ReadOnlyMemory<byte> data,
        DatagramDestinationKind kind = DatagramDestinationKind.Auto, CancellationToken cancellationToken = default);

    /// <summary>Sends a BROADCAST datagram ([RFC 1002] 4.4.1) to every station on the segment.</summary>
    /// <param name="source">A name of <see cref="GetNamesAsync"/>.</param>
    /// <param name="data">The user data.</param>
    /// <param name="cancellationToken">Cancels sending.</param>
    /// <returns>Sent, or why not.</returns>
    /// <exception cref="UnauthorizedAccessException">Through nbtd: the access policy does not let this program send broadcasts.</exception>
    ValueTask<DatagramSendResult> SendBroadcastDatagramAsync(NetBiosName source, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>Waits for one datagram ([RFC 1001] 17) that matches <paramref name="filter"/>.</summary>
    /// <param name="filter">To one local name, to any local name, or broadcasts.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The datagram.</returns>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    ValueTask<ReceivedDatagram> ReceiveDatagramAsync(DatagramReceiveFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Calls <paramref name="calledName"/> ([RFC 1002] 5.3.2: resolved, each address in turn, RETARGETs followed).</summary>
    /// <param name="callingName">This side's name (through nbtd one of <see cref="GetNamesAsync"/>).</param>
    /// <param name="calledName">The name to call.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The session, or why there is none.</returns>
    /// <exception cref="InvalidOperationException">Through nbtd: this program does not hold <paramref name="callingName"/>.</exception>
    ValueTask<NetBiosCallResult> CallAsync(NetBiosName callingName, NetBiosName calledName, CancellationToken cancellationToken = default);

    /// <summary>Waits for a call ([RFC 1002] 5.3.1) to <paramref name="localName"/> from <paramref name="remoteName"/> (anyone when null).</summary>
    /// <param name="localName">The called name to accept (through nbtd one of <see cref="GetNamesAsync"/>).</param>
    /// <param name="remoteName">The caller to accept, or null for any.</param>
    /// <param name="cancellationToken">Cancels the listen.</param>
    /// <returns>The session, or why there is none.</returns>
    /// <exception cref="UnauthorizedAccessException">Through nbtd: the access policy does not let this program listen.</exception>
    /// <exception cref="InvalidOperationException">Through nbtd: this program does not hold <paramref name="localName"/>.</exception>
    ValueTask<NetBiosListenResult> ListenAsync(NetBiosName localName, NetBiosName? remoteName, CancellationToken cancellationToken = default);
}
