using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetBios.Transport;
using NetBios.Wire.NameService;

namespace NetBios.NameService;

/// <summary>
/// The name service of one NetBIOS node on one adapter (RFC 1001 §15, RFC 1002 §5): it registers, defends,
/// refreshes and releases the node's names, answers name queries and node status requests for them, and resolves
/// other nodes' names (cache, LMHOSTS, name server, broadcast, DNS, in the configured order).
/// </summary>
/// <remarks>
/// <para>
/// A façade over parts that each do one thing over the node's <see cref="NameServiceEndpoint"/> (UDP 137): the
/// responder (the endpoint's first handler: answers and defends our names), the registrar (registration, challenge,
/// release), the refresher (timers per name registered with a name server) and the resolver. Another engine — a name
/// server — plugs into the same port with <see cref="NameServiceEndpoint.AddHandler"/> on <see cref="Endpoint"/>.
/// </para>
/// <para>Network outcomes are result values; exceptions are for caller bugs (a disposed node, bad arguments).
/// The public methods are thread-safe.</para>
/// </remarks>
public sealed class NameServiceNode : ILocalNameRegistry, INameResolver, IAsyncDisposable
{
    private readonly NodeSettings _node;
    private readonly bool _ownsEndpoint;
    private readonly CancellationTokenSource _stopping = new();
    private readonly NodeResponder _responder;
    private readonly NameResolver _resolver;
    private readonly NameRegistrar _registrar;
    private readonly NameRefresher _refresher;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private int _disposed;

    /// <summary>Creates a node with an endpoint of its own over <paramref name="transport"/>; call <see cref="Start"/> to begin receiving.</summary>
    /// <param name="transport">The UDP (or in-memory) transport bound to the name service port.</param>
    /// <param name="address">This node's IPv4 address on the adapter (the address put in NB records).</param>
    /// <param name="broadcastAddress">The adapter's broadcast address.</param>
    /// <param name="options">Settings; validated here.</param>
    /// <param name="timeProvider">The clock; defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">A logger; defaults to none.</param>
    /// <param name="ownsTransport">Dispose the transport with the node.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public NameServiceNode(
        IDatagramTransport transport,
        IPAddress address,
        IPAddress broadcastAddress,
        NameServiceOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger? logger = null,
        bool ownsTransport = true)
        : this(new NameServiceEndpoint(transport, address, timeProvider, logger, ownsTransport, options?.Endpoint), broadcastAddress, options, timeProvider, logger, ownsEndpoint: true)
    {
    }

    /// <summary>Creates a node on an endpoint it shares with other handlers (the node's responder is added to it
    /// first); the endpoint stays the caller's.</summary>
    /// <param name="endpoint">The name service port; its local address is the node's address.</param>
    /// <param name="broadcastAddress">The adapter's broadcast address.</param>
    /// <param name="options">Settings; validated here.</param>
    /// <param name="timeProvider">The clock; defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">A logger; defaults to none.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public NameServiceNode(
        NameServiceEndpoint endpoint,
        IPAddress broadcastAddress,
        NameServiceOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger? logger = null)
        : this(endpoint, broadcastAddress, options, timeProvider, logger, ownsEndpoint: false)
    {
    }

    private NameServiceNode(NameServiceEndpoint endpoint, IPAddress broadcastAddress, NameServiceOptions? options, TimeProvider? timeProvider,
        ILogger? logger, bool ownsEndpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(broadcastAddress);
        options ??= new NameServiceOptions();
        options.Validate();
        var time = _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _ownsEndpoint = ownsEndpoint;
        Endpoint = endpoint;
        _node = new NodeSettings(endpoint.LocalAddress, broadcastAddress, options);
        Names = new LocalNameTable(options.MaxNames);
        var logInterval = endpoint.Options.RepeatedEventLogInterval;
        _responder = new NodeResponder(Names, _node, endpoint.Statistics, _logger, new LogThrottle(time, logInterval));
        _resolver = new NameResolver(endpoint, Names, _node, new NameCache(time), time);
        _registrar = new NameRegistrar(endpoint, Names, _node, _resolver, _logger, new LogThrottle(time, logInterval));
        _refresher = new NameRefresher(_registrar, Names, _node, time, _logger, _stopping.Token);
        endpoint.AddHandler(_responder);
    }

    /// <summary>The name service port this node answers on; add a handler to it to serve more than the node's names.</summary>
    public NameServiceEndpoint Endpoint { get; }

    /// <summary>This node's address.</summary>
    public IPAddress Address => _node.Address;

    /// <summary>Where broadcasts go: the adapter's broadcast address and the name service port.</summary>
    public IPEndPoint BroadcastEndPoint => _node.BroadcastEndPoint;

    /// <summary>The unit ID (adapter MAC) reported in node status.</summary>
    internal byte[] UnitId => _node.Options.UnitId;

    /// <summary>The node type in effect.</summary>
    public NodeType NodeType => _node.NodeType;

    /// <summary>The names this node has added.</summary>
    public LocalNameTable Names { get; }

    /// <summary>The resolver's cache.</summary>
    public NameCache Cache => _resolver.Cache;

    /// <summary>nbtstat -R (the daemon's CACHE PURGE): empties the name cache, reads the LMHOSTS file again from disk and
    /// loads its <c>#PRE</c> entries.</summary>
    /// <returns>Entries dropped, preloaded entries loaded, and why the file could not be read again (or null).</returns>
    internal (int Purged, int Preloaded, string? ReloadProblem) PurgeCache() => _resolver.PurgeAndPreload();

    /// <summary>Counters of the node's port and of what it answered.</summary>
    public NameServiceStatistics Statistics => Endpoint.Statistics;

    /// <summary>The transport's local endpoint.</summary>
    public IPEndPoint LocalEndPoint => Endpoint.LocalEndPoint;

    /// <summary>Starts the endpoint's receive loop. Calling it twice has no further effect.</summary>
    /// <exception cref="ObjectDisposedException">The node was disposed.</exception>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        Endpoint.Start();
    }

    /// <summary>
    /// Adds a name to the local name table and registers it on the network as the node type says
    /// (RFC 1001 §15.1.1–15.1.4; RFC 1002 §5.1.1–5.1.3): B — broadcast; P — the name server; M — broadcast, then the
    /// name server; H — the name server, then broadcast if it is silent.
    /// </summary>
    /// <param name="name">The name; the node's scope is applied when the name has none.</param>
    /// <param name="isGroup">True for a group name.</param>
    /// <param name="permanent">True for the permanent node name (node status PRM flag; one per node).</param>
    /// <param name="cancellationToken">Cancels the registration; the name is then removed again.</param>
    /// <returns>The outcome. On anything but <see cref="RegistrationOutcome.Registered"/> the name is not in the table.</returns>
    /// <exception cref="ObjectDisposedException">The node was disposed.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public async ValueTask<NameRegistrationResult> RegisterAsync(NetBiosName name, bool isGroup = false, bool permanent = false, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var result = await RegisterCoreAsync(name, isGroup, permanent, cancellationToken).ConfigureAwait(false);
        Statistics.OnRegistration(result.Outcome);
        return result;
    }

    private async ValueTask<NameRegistrationResult> RegisterCoreAsync(NetBiosName name, bool isGroup, bool permanent, CancellationToken cancellationToken)
    {
        name = ApplyScope(name);
        var error = Names.TryAdd(name, isGroup, permanent, out var entry);
        if (error != AddNameError.None)
        {
            var outcome = error switch
            {
                AddNameError.Duplicate => RegistrationOutcome.Duplicate,
                AddNameError.TableFull => RegistrationOutcome.TableFull,
                _ => RegistrationOutcome.Refused,
            };
            return new NameRegistrationResult(name, outcome, null, null, TimeSpan.Zero, null);
        }

        NameRegistrationResult result;
        try
        {
            result = await _registrar.RegisterAsync(entry!, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Names.Remove(entry!);
            throw;
        }

        if (!result.Succeeded)
        {
            Names.Remove(entry!);
            return result;
        }

        lock (Names.SyncRoot)
        {
            entry!.State = LocalNameState.Registered;
            entry.Ttl = result.Ttl;
        }

        NameServiceLog.Registered(_logger, name, name.Scope.Length == 0 ? string.Empty : "." + name.Scope, result.Ttl);
        _refresher.Schedule(entry!);
        return result;
    }

    /// <summary>
    /// Releases a name (RFC 1002 §5.1.1.5 / §5.1.2.5): a release request to the name server that holds it, or a
    /// broadcast release, then removes it from the table.
    /// </summary>
    /// <param name="name">The name; the node's scope applies when it has none.</param>
    /// <param name="cancellationToken">Cancels waiting for the name server (the name is removed regardless).</param>
    /// <returns>False when the name was not in the table.</returns>
    /// <exception cref="ObjectDisposedException">The node was disposed.</exception>
    public async ValueTask<bool> ReleaseAsync(NetBiosName name, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (Names.Find(ApplyScope(name)) is not { } entry)
        {
            return false;
        }

        await _registrar.ReleaseAsync(entry, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Releases a name this node does not hold: one registered for this node's address by an earlier process (such as
    /// <c>nbt register</c>). A NAME RELEASE REQUEST goes to each name server (RFC 1002 §5.1.2.5, up to
    /// UCAST_REQ_RETRY_COUNT tries) or, without name servers, is broadcast (§5.1.1.5, unanswered by design).
    /// </summary>
    /// <param name="name">The name; the node's scope applies when it has none.</param>
    /// <param name="isGroup">Whether it was registered as a group name.</param>
    /// <param name="cancellationToken">Cancels the release.</param>
    /// <returns>The first name server's answer, or the broadcast.</returns>
    /// <exception cref="ObjectDisposedException">The node was disposed.</exception>
    public ValueTask<NameReleaseResult> ReleaseForeignAsync(NetBiosName name, bool isGroup, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return _registrar.ReleaseForeignAsync(ApplyScope(name), isGroup, cancellationToken);
    }

    /// <summary>
    /// Marks a registered name as being deleted (NCB DELETE NAME while sessions use it; node status shows DRG): it takes
    /// no new sessions and is not answered, but stays registered on the network until <see cref="ReleaseAsync"/>.
    /// </summary>
    /// <param name="entry">The name.</param>
    internal void MarkDeregistering(LocalName entry)
    {
        lock (Names.SyncRoot)
        {
            if (entry.State == LocalNameState.Registered)
            {
                entry.State = LocalNameState.Deregistered;
                entry.HeldOnNetwork = true;
            }
        }
    }

    /// <inheritdoc/>
    public LocalName? FindRegistered(NetBiosName name) =>
        Names.Find(name) is { State: LocalNameState.Registered } entry ? entry : null;

    /// <summary>
    /// Removes a name from the table without releasing it on the network: it stays registered with the name server
    /// until its TTL runs out (<c>nbt register</c> leaves a registration behind this way).
    /// </summary>
    /// <param name="name">The name; the node's scope applies when it has none.</param>
    /// <returns>False when the name was not in the table.</returns>
    public bool Abandon(NetBiosName name) => Names.Find(ApplyScope(name)) is { } entry && Names.Remove(entry);

    /// <inheritdoc/>
    public NetBiosName ApplyScope(NetBiosName name) => _node.ApplyScope(name);

    /// <summary>
    /// Resolves a name through the configured resolve order (own names, cache, LMHOSTS, name server, broadcast,
    /// DNS), collecting every answer that arrives in the query window.
    /// </summary>
    /// <param name="name">The name; the node's scope is applied when the name has none.</param>
    /// <param name="options">Overrides for one query (a fixed target, no cache…); null for the configured behaviour.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>Every answer collected, or why there is none.</returns>
    /// <exception cref="ObjectDisposedException">The node was disposed.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public ValueTask<NameQueryResult> QueryAsync(NetBiosName name, NameQueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return _resolver.QueryAsync(name, options, cancellationToken);
    }

    /// <summary>NODE STATUS REQUEST (RFC 1002 §4.2.17) to one address: the remote node's name table and statistics.</summary>
    /// <param name="address">The node to ask.</param>
    /// <param name="name">The name to ask about; defaults to the wildcard <c>*</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The node's names, or a timeout.</returns>
    /// <exception cref="ObjectDisposedException">The node was disposed.</exception>
    public ValueTask<NodeStatusResult> GetNodeStatusAsync(IPAddress address, NetBiosName? name = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        ArgumentNullException.ThrowIfNull(address);
        return _resolver.GetNodeStatusAsync(address, name, cancellationToken);
    }

    /// <summary>Resolves <paramref name="name"/> first, then asks the first address for its node status.</summary>
    /// <param name="name">The name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The node status, or null when the name was not found.</returns>
    /// <exception cref="ObjectDisposedException">The node was disposed.</exception>
    public ValueTask<NodeStatusResult?> GetNodeStatusAsync(NetBiosName name, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return _resolver.GetNodeStatusAsync(name, cancellationToken);
    }

    /// <summary>Releases every registered name, leaves the endpoint and (if it is the node's own) closes it.</summary>
    /// <returns>A task that completes when the names are released and the endpoint is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            var options = _node.Options;
            using var releaseTimeout = new CancellationTokenSource(options.UnicastRetryTimeout * options.UnicastRetryCount, _time);
            await Task.WhenAll(Names.Snapshot().Select(n => _registrar.ReleaseAsync(n, releaseTimeout.Token).AsTask())).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutting down: a release that did not finish in time is abandoned.
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        Endpoint.RemoveHandler(_responder);
        if (_ownsEndpoint)
        {
            await Endpoint.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }
}
