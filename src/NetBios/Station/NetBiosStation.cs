using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetBios.DatagramService;
using NetBios.NameService;
using NetBios.SessionService;
using NetBios.Transport;
using NetBios.Wire.NameService;

namespace NetBios.Station;

/// <summary>
/// One NetBIOS station on one adapter (an NCB LANA): its name, datagram and session services, sharing one name table,
/// started and stopped together, and the operations a program needs — names, resolution, node status, datagrams and
/// sessions — so that no caller has to reach into the engines.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="BindAsync(NetworkAdapter, StationOptions?, INetworkHost?, TimeProvider?, ILoggerFactory?, CancellationToken)"/>
/// is the one place where a station is wired: it binds the ports its <see cref="StationOptions.Role"/> asks for, builds
/// the engines over the seams they share (<see cref="ILocalNameRegistry"/>, <see cref="INameResolver"/>) and starts
/// them. Disposing the station hangs up its sessions, stops the datagram service, then releases its names.
/// </para>
/// <para>Thread safety: all members may be called concurrently.</para>
/// </remarks>
public sealed class NetBiosStation : INetBiosStation
{
    private int _disposed;

    private NetBiosStation(NetworkAdapter adapter, NameServiceNode names, DatagramServiceNode datagrams, SessionServiceNode sessions,
        int maxDatagramLength)
    {
        MaxDatagramLength = maxDatagramLength;
        Adapter = adapter;
        Names = names;
        Datagrams = datagrams;
        Sessions = sessions;
    }

    /// <summary>The adapter the station runs on (address, broadcast address, MAC).</summary>
    public NetworkAdapter Adapter { get; }

    /// <summary>The longest datagram the station sends in one packet (<see cref="DatagramServiceOptions.MaxUserDataLength"/>);
    /// NCB ADAPTER STATUS reports it as max_dgram_size.</summary>
    public int MaxDatagramLength { get; }

    /// <summary>The name service engine (statistics, cache; advanced use).</summary>
    public NameServiceNode Names { get; }

    /// <summary>The datagram service engine (statistics; advanced use).</summary>
    public DatagramServiceNode Datagrams { get; }

    /// <summary>The session service engine (statistics, limits; advanced use).</summary>
    public SessionServiceNode Sessions { get; }

    /// <summary>The station's IPv4 address.</summary>
    public IPAddress Address => Adapter.Address;

    /// <summary>The node type in effect (B, P, M or H).</summary>
    public NodeType NodeType => Names.NodeType;

    /// <summary>Where the name service is bound (port 137 for a node, ephemeral for a client).</summary>
    public IPEndPoint NameServiceEndPoint => Names.LocalEndPoint;

    /// <summary>Where the datagram service is bound (port 138 for a node, ephemeral for a client).</summary>
    public IPEndPoint DatagramEndPoint => Datagrams.LocalEndPoint;

    /// <summary>Where the station accepts sessions, or <see langword="null"/> when it does not listen.</summary>
    public IPEndPoint? SessionEndPoint => Sessions.LocalEndPoint;

    /// <summary>The unit ID (adapter MAC) reported in node status and NCB ADAPTER STATUS: six bytes.</summary>
    public ReadOnlyMemory<byte> UnitId => Names.UnitId;

    /// <summary>
    /// Binds a station on <paramref name="adapter"/>: the ports its role asks for (all of them before anything
    /// starts), the engines wired to each other, started and, for <see cref="StationRole.Node"/>, listening for sessions.
    /// </summary>
    /// <param name="adapter">The adapter (its address, broadcast address and MAC are used).</param>
    /// <param name="options">Settings; <see langword="null"/> for a B-node client with default timers.</param>
    /// <param name="host">Where sockets come from; defaults to this machine's (<see cref="SocketNetworkHost.Default"/>).
    /// Tests pass an <c>InMemoryHost</c>.</param>
    /// <param name="timeProvider">The clock of every timer; defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Where the engines log; none when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels binding.</param>
    /// <returns>The started station; dispose it to release its names and ports.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="adapter"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="TransportBindException">A port is in use or needs privileges; nothing stays bound.</exception>
    public static async ValueTask<NetBiosStation> BindAsync(
        NetworkAdapter adapter,
        StationOptions? options = null,
        INetworkHost? host = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        options ??= new StationOptions();
        host ??= SocketNetworkHost.Default;
        bool node = options.Role == StationRole.Node;
        var owned = new List<IAsyncDisposable>();
        try
        {
            var nameTransport = host.BindDatagram(node ? options.NameService.RemotePort : 0);
            owned.Add(nameTransport);
            var datagramTransport = host.BindDatagram(node ? options.Datagrams.RemotePort : 0);
            owned.Add(datagramTransport);
            var station = Create(adapter, nameTransport, datagramTransport, host, options, timeProvider, loggerFactory);
            owned.Clear();
            owned.Add(station);
            if (node && options.AcceptSessions)
            {
                await station.Sessions.StartAsync(cancellationToken).ConfigureAwait(false);
            }

            station.Start();
            return station;
        }
        catch
        {
            foreach (var item in owned)
            {
                await item.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>Binds a station on the adapter of this machine that has <paramref name="address"/> (loopback included).</summary>
    /// <param name="address">One of this machine's IPv4 addresses.</param>
    /// <param name="options">Settings; <see langword="null"/> for a B-node client.</param>
    /// <param name="timeProvider">The clock; defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Where the engines log; none when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels binding.</param>
    /// <returns>The started station.</returns>
    /// <exception cref="ArgumentException">No adapter of this machine has that address.</exception>
    /// <exception cref="TransportBindException">A port is in use or needs privileges.</exception>
    public static ValueTask<NetBiosStation> BindAsync(
        IPAddress address,
        StationOptions? options = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        var adapter = NetworkAdapters.Enumerate(includeLoopback: true).FirstOrDefault(a => a.Address.Equals(address))
            ?? throw new ArgumentException($"No network adapter of this machine has the address {address}.", nameof(address));
        return BindAsync(adapter, options, null, timeProvider, loggerFactory, cancellationToken);
    }

    /// <summary>
    /// Wires a station over transports bound by the caller (not started: call <see cref="Start"/>). The name service
    /// keeps the name table; the datagram and session engines see it through <see cref="ILocalNameRegistry"/> and
    /// resolve through <see cref="INameResolver"/>.
    /// </summary>
    /// <param name="adapter">The adapter.</param>
    /// <param name="nameTransport">Bound to the name service port; owned by the station from here.</param>
    /// <param name="datagramTransport">Bound to the datagram service port; owned by the station from here.</param>
    /// <param name="streams">Where session connections come from.</param>
    /// <param name="options">Settings; defaults when null.</param>
    /// <param name="timeProvider">The clock; defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Where the engines log; none when null.</param>
    /// <returns>The station, not started.</returns>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static NetBiosStation Create(
        NetworkAdapter adapter,
        IDatagramTransport nameTransport,
        IDatagramTransport datagramTransport,
        IStreamNetwork streams,
        StationOptions? options = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        ArgumentNullException.ThrowIfNull(streams);
        options ??= new StationOptions();
        loggerFactory ??= NullLoggerFactory.Instance;
        var nameOptions = options.NameService;
        if (adapter.MacAddress?.GetAddressBytes() is { Length: 6 } mac && nameOptions.UnitId.All(b => b == 0))
        {
            nameOptions = nameOptions.WithUnitId(mac); // node status reports the adapter's MAC, as nbtstat shows it
        }

        var names = new NameServiceNode(nameTransport, adapter.Address, adapter.BroadcastAddress, nameOptions, timeProvider,
            loggerFactory.CreateLogger<NameServiceNode>());
        var datagrams = new DatagramServiceNode(datagramTransport, adapter.Address, adapter.BroadcastAddress, names.NodeType, names, names,
            options.Datagrams, timeProvider, loggerFactory.CreateLogger<DatagramServiceNode>());
        var sessionOptions = options.Sessions.ListenEndPoint.Address.Equals(IPAddress.Any)
            ? options.Sessions.WithListenEndPoint(new IPEndPoint(adapter.Address, options.Sessions.ListenEndPoint.Port))
            : options.Sessions;
        var sessions = new SessionServiceNode(streams, sessionOptions, names, names, timeProvider, loggerFactory.CreateLogger<SessionServiceNode>());
        return new NetBiosStation(adapter, names, datagrams, sessions, options.Datagrams.MaxUserDataLength);
    }

    /// <summary>Starts the name and datagram services' receive loops. Calling it twice has no further effect.</summary>
    /// <exception cref="ObjectDisposedException">The station was disposed.</exception>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        Names.Start();
        Datagrams.Start();
    }

    /// <summary>Starts the session listener of a station made with <see cref="Create"/> (a bound
    /// <see cref="StationRole.Node"/> station already listens).</summary>
    /// <param name="cancellationToken">Cancels binding.</param>
    /// <exception cref="TransportBindException">The session port is in use or needs privileges.</exception>
    /// <exception cref="InvalidOperationException">The station already listens.</exception>
    public async ValueTask StartListeningAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        await Sessions.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    // ---- names ----

    /// <summary>Adds a name and registers it on the network as the node type says (see <see cref="NameServiceNode.RegisterAsync"/>).</summary>
    /// <param name="name">The name; the station's scope applies when it has none.</param>
    /// <param name="isGroup">True for a group name.</param>
    /// <param name="cancellationToken">Cancels the registration; the name is then removed again.</param>
    /// <returns>Registered, or why not (duplicate, conflict with its owner, refused, timeout).</returns>
    public ValueTask<NameRegistrationResult> AddNameAsync(NetBiosName name, bool isGroup = false, CancellationToken cancellationToken = default) =>
        Names.RegisterAsync(name, isGroup, cancellationToken: cancellationToken);

    /// <summary>Releases a name on the network and removes it from the table.</summary>
    /// <param name="name">The name; the station's scope applies when it has none.</param>
    /// <param name="cancellationToken">Cancels waiting for the name server's answer (the name is removed regardless).</param>
    /// <returns>False when the name was not in the table.</returns>
    public ValueTask<bool> DeleteNameAsync(NetBiosName name, CancellationToken cancellationToken = default) =>
        Names.ReleaseAsync(name, cancellationToken);

    /// <summary>Removes a registered name from the table without releasing it: it stays registered with the name server
    /// (or in other nodes' caches) until its TTL runs out; nobody here defends or answers it any more.</summary>
    /// <param name="name">The name; the station's scope applies when it has none.</param>
    /// <returns>False when the name was not in the table.</returns>
    public bool AbandonName(NetBiosName name) => Names.Abandon(name);

    /// <summary>The station's names (every state) in the order they were added.</summary>
    /// <returns>A snapshot.</returns>
    public IReadOnlyList<LocalName> GetNames() => Names.Names.Snapshot();

    /// <summary>The local name (scope applied) when it is registered and usable, else <see langword="null"/>.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The entry.</returns>
    public LocalName? FindName(NetBiosName name) => Names.FindRegistered(Names.ApplyScope(name));

    /// <summary>Releases a name this station does not hold but which was registered for its address (by an earlier
    /// process): see <see cref="NameServiceNode.ReleaseForeignAsync"/>.</summary>
    /// <param name="name">The name.</param>
    /// <param name="isGroup">Whether it was registered as a group.</param>
    /// <param name="cancellationToken">Cancels the release.</param>
    /// <returns>The name server's answer, or the broadcast.</returns>
    public ValueTask<NameReleaseResult> ReleaseUnheldNameAsync(NetBiosName name, bool isGroup, CancellationToken cancellationToken = default) =>
        Names.ReleaseForeignAsync(name, isGroup, cancellationToken);

    /// <summary>The local name (scope applied) in whatever state it is (registering, registered, in conflict, being
    /// deleted), else <see langword="null"/>; <see cref="FindName"/> answers only usable names.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The entry.</returns>
    public LocalName? GetName(NetBiosName name) => Names.Names.Find(Names.ApplyScope(name));

    /// <summary>Adds the permanent node name (ten zero bytes and the first six bytes of <see cref="UnitId"/>, node status
    /// PRM flag) and registers it; a station has at most one.</summary>
    /// <param name="cancellationToken">Cancels the registration.</param>
    /// <returns>Registered, or why not (<see cref="RegistrationOutcome.Duplicate"/> when the station has one already).</returns>
    public ValueTask<NameRegistrationResult> AddPermanentNameAsync(CancellationToken cancellationToken = default)
    {
        byte[] permanent = new byte[NetBiosName.Length];
        UnitId.Span[..Math.Min(6, UnitId.Length)].CopyTo(permanent.AsSpan(10));
        return Names.RegisterAsync(NetBiosName.FromBytes(permanent), permanent: true, cancellationToken: cancellationToken);
    }

    /// <summary>Marks a registered name as being deleted while something still uses it (NCB DELETE NAME with open
    /// sessions): it takes no new sessions or datagrams, is not answered and shows DRG in node status, but stays held on
    /// the network until <see cref="DeleteNameAsync"/> releases it.</summary>
    /// <param name="name">The name; the station's scope applies when it has none.</param>
    /// <returns>False when the name is not in the table.</returns>
    public bool MarkNameDeleting(NetBiosName name)
    {
        if (GetName(name) is not { } entry)
        {
            return false;
        }

        Names.MarkDeregistering(entry);
        return true;
    }

    // ---- resolution and status ----

    /// <summary>Resolves a name (own names, cache, LMHOSTS, name server, broadcast, DNS, as configured).</summary>
    /// <param name="name">The name; the station's scope applies when it has none.</param>
    /// <param name="options">Overrides for this query; <see langword="null"/> for the configured behaviour.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>Every answer collected, or why there is none.</returns>
    public ValueTask<NameQueryResult> QueryAsync(NetBiosName name, NameQueryOptions? options = null, CancellationToken cancellationToken = default) =>
        Names.QueryAsync(name, options, cancellationToken);

    /// <summary>NODE STATUS of the node at <paramref name="address"/> (its name table and statistics).</summary>
    /// <param name="address">The node.</param>
    /// <param name="name">The name to ask about; the wildcard <c>*</c> when null.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The node's names, or a timeout.</returns>
    public ValueTask<NodeStatusResult> GetNodeStatusAsync(IPAddress address, NetBiosName? name = null, CancellationToken cancellationToken = default) =>
        Names.GetNodeStatusAsync(address, name, cancellationToken);

    /// <summary>Resolves <paramref name="name"/>, then asks its first address for node status.</summary>
    /// <param name="name">The name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The node status, or <see langword="null"/> when the name was not found.</returns>
    public ValueTask<NodeStatusResult?> GetNodeStatusAsync(NetBiosName name, CancellationToken cancellationToken = default) =>
        Names.GetNodeStatusAsync(name, cancellationToken);

    // ---- datagrams ----

    /// <summary>Sends a datagram from a registered name: DIRECT_UNIQUE to a unique name's owner, DIRECT_GROUP to a group.</summary>
    /// <param name="source">One of this station's registered names.</param>
    /// <param name="destination">The destination name; the station's scope applies when it has none.</param>
    /// <param name="data">The user data.</param>
    /// <param name="kind">Resolve to decide (the default), or say the name is unique or a group.</param>
    /// <param name="cancellationToken">Cancels resolution and sending.</param>
    /// <returns>Sent, or why not.</returns>
    public ValueTask<DatagramSendResult> SendDatagramAsync(NetBiosName source, NetBiosName destination, ReadOnlyMemory<byte> data,
        DatagramDestinationKind kind = DatagramDestinationKind.Auto, CancellationToken cancellationToken = default) =>
        Datagrams.SendAsync(source, destination, data, kind, cancellationToken);

    /// <summary>Sends a BROADCAST datagram to every station on the segment.</summary>
    /// <param name="source">One of this station's registered names.</param>
    /// <param name="data">The user data.</param>
    /// <param name="cancellationToken">Cancels sending.</param>
    /// <returns>Sent, or why not.</returns>
    public ValueTask<DatagramSendResult> SendBroadcastDatagramAsync(NetBiosName source, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        Datagrams.SendBroadcastAsync(source, data, cancellationToken);

    /// <summary>Receives every datagram that matches <paramref name="filter"/> from now until the subscription is disposed.</summary>
    /// <param name="filter">To one local name, to any local name, or broadcasts.</param>
    /// <returns>The subscription.</returns>
    public DatagramSubscription SubscribeDatagrams(DatagramReceiveFilter filter) => Datagrams.Subscribe(filter);

    /// <summary>Waits for one datagram that matches <paramref name="filter"/>.</summary>
    /// <param name="filter">Which datagrams.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The datagram.</returns>
    public ValueTask<ReceivedDatagram> ReceiveDatagramAsync(DatagramReceiveFilter filter, CancellationToken cancellationToken = default) =>
        Datagrams.ReceiveAsync(filter, cancellationToken);

    // ---- sessions ----

    /// <summary>Calls <paramref name="calledName"/> (resolved, each address in turn, RETARGETs followed).</summary>
    /// <param name="callingName">This side's name.</param>
    /// <param name="calledName">The name to call.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The session, or why there is none.</returns>
    public ValueTask<SessionCallResult> CallAsync(NetBiosName callingName, NetBiosName calledName, CancellationToken cancellationToken = default) =>
        Sessions.CallAsync(callingName, calledName, cancellationToken);

    /// <summary>Calls <paramref name="calledName"/> at explicit endpoints, tried in turn.</summary>
    /// <param name="callingName">This side's name.</param>
    /// <param name="calledName">The name to call.</param>
    /// <param name="endPoints">Where to call.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The session, or why there is none.</returns>
    public ValueTask<SessionCallResult> CallAsync(NetBiosName callingName, NetBiosName calledName, IReadOnlyList<IPEndPoint> endPoints,
        CancellationToken cancellationToken = default) =>
        Sessions.CallAsync(callingName, calledName, endPoints, cancellationToken);

    /// <summary>Waits for a call to <paramref name="localName"/> from <paramref name="remoteName"/> (anyone when null).</summary>
    /// <param name="localName">The called name to accept.</param>
    /// <param name="remoteName">The caller to accept, or null for any.</param>
    /// <param name="cancellationToken">Cancels the listen.</param>
    /// <returns>The session, or why there is none.</returns>
    public ValueTask<SessionListenResult> ListenAsync(NetBiosName localName, NetBiosName? remoteName, CancellationToken cancellationToken = default) =>
        Sessions.ListenAsync(localName, remoteName, cancellationToken);

    /// <summary>The established sessions.</summary>
    /// <returns>A snapshot.</returns>
    public IReadOnlyList<NbssSession> GetSessions() => Sessions.GetSessions();

    // ---- INetBiosStation (the members whose embedded form has another signature) ----

    /// <inheritdoc/>
    ValueTask<IReadOnlyList<LocalName>> INetBiosStation.GetNamesAsync(CancellationToken cancellationToken) => ValueTask.FromResult(GetNames());

    /// <inheritdoc/>
    ValueTask<NameQueryResult> INetBiosStation.QueryAsync(NetBiosName name, CancellationToken cancellationToken) =>
        QueryAsync(name, null, cancellationToken);

    /// <inheritdoc/>
    async ValueTask<NetBiosCallResult> INetBiosStation.CallAsync(NetBiosName callingName, NetBiosName calledName, CancellationToken cancellationToken)
    {
        var result = await CallAsync(callingName, calledName, cancellationToken).ConfigureAwait(false);
        return new NetBiosCallResult(result.Outcome, result.Session, result.ErrorCode);
    }

    /// <inheritdoc/>
    async ValueTask<NetBiosListenResult> INetBiosStation.ListenAsync(NetBiosName localName, NetBiosName? remoteName, CancellationToken cancellationToken)
    {
        var result = await ListenAsync(localName, remoteName, cancellationToken).ConfigureAwait(false);
        return new NetBiosListenResult(result.Outcome, result.Session);
    }

    /// <summary>Hangs up the sessions, stops the datagram service, then releases every name and stops the name service.</summary>
    /// <returns>A task that completes when everything is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await Sessions.DisposeAsync().ConfigureAwait(false);
        await Datagrams.DisposeAsync().ConfigureAwait(false);
        await Names.DisposeAsync().ConfigureAwait(false);
    }
}
