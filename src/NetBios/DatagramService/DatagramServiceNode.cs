using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetBios.NameService;
using NetBios.Transport;
using NetBios.Wire;
using NetBios.Wire.Datagram;
using NetBios.Wire.NameService;

namespace NetBios.DatagramService;

/// <summary>
/// The datagram service of one NetBIOS node on one adapter (RFC 1001 §17, RFC 1002 §4.4 and §5.3): it sends
/// datagrams to a unique name, to a group and to every station, and delivers each datagram received to the receivers
/// that asked for it, reassembling fragmented ones.
/// </summary>
/// <remarks>
/// <para>
/// Names come from the station through two seams: the source of a datagram must be one of its registered names
/// (<see cref="ILocalNameRegistry"/>), unique destinations are resolved through <see cref="INameResolver"/>, and
/// received datagrams are delivered only for registered names. Names and addresses are never learnt from datagram
/// headers (CVE-2000-1079).
/// </para>
/// <para>
/// Group and broadcast datagrams go to the subnet broadcast address, as Windows sends them, or to an NBDD when one is
/// configured. A DIRECT_UNIQUE datagram for a name that is not here is answered with DATAGRAM ERROR 0x82 (RFC 1002
/// §5.3.3), sent to the address it came from. One receive loop reads the transport; a bad packet is dropped and logged
/// at debug level, never fatal. All timers run on the injected <see cref="TimeProvider"/>. Thread-safe.
/// </para>
/// </remarks>
public sealed partial class DatagramServiceNode : IAsyncDisposable
{
    /// <summary>Largest UDP payload read whole.</summary>
    private const int ReceiveBufferSize = UserDatagram.MaxUdpPayloadLength;

    private readonly IDatagramTransport _transport;
    private readonly ILocalNameRegistry _names;
    private readonly INameResolver _resolver;
    private readonly IPAddress _address;
    private readonly NodeType _nodeType;
    private readonly DatagramServiceOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly bool _ownsTransport;
    private readonly DatagramReassembler _reassembler;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _subscriptionsLock = new();
    private DatagramSubscription[] _subscriptions = [];
    private ITimer? _expiryTimer;
    private Task? _receiveLoop;
    private int _nextDatagramId;
    private int _disposed;

    /// <summary>Creates the service; call <see cref="Start"/> to begin receiving.</summary>
    /// <param name="transport">The UDP (or in-memory) transport bound to the datagram service port.</param>
    /// <param name="address">The station's address (SOURCE_IP).</param>
    /// <param name="broadcastAddress">The adapter's broadcast address.</param>
    /// <param name="nodeType">The station's node type (the datagram header's source node type; a P node sends group
    /// datagrams to each member).</param>
    /// <param name="names">The names registered on this station: sources must be, and datagrams are delivered for, them.</param>
    /// <param name="resolver">Resolves destination names.</param>
    /// <param name="options">Settings; validated here.</param>
    /// <param name="timeProvider">The clock; defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">A logger; defaults to none.</param>
    /// <param name="ownsTransport">Dispose the transport with the service.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public DatagramServiceNode(
        IDatagramTransport transport,
        IPAddress address,
        IPAddress broadcastAddress,
        NodeType nodeType,
        ILocalNameRegistry names,
        INameResolver resolver,
        DatagramServiceOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger? logger = null,
        bool ownsTransport = true)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(broadcastAddress);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(resolver);
        _options = options ?? new DatagramServiceOptions();
        _options.Validate();
        _transport = transport;
        _names = names;
        _resolver = resolver;
        _address = address;
        _nodeType = nodeType;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _ownsTransport = ownsTransport;
        _reassembler = new DatagramReassembler(_options, _time);
        _nextDatagramId = RandomNumberGenerator.GetInt32(ushort.MaxValue + 1);
        BroadcastEndPoint = new IPEndPoint(broadcastAddress, _options.RemotePort);
    }

    /// <summary>Where group and broadcast datagrams go without an NBDD: the subnet broadcast, datagram service port.</summary>
    public IPEndPoint BroadcastEndPoint { get; }

    /// <summary>The transport's local endpoint (SOURCE_IP is the node's address, SOURCE_PORT this port).</summary>
    public IPEndPoint LocalEndPoint => _transport.LocalEndPoint;

    /// <summary>Counters of what the service did.</summary>
    public DatagramServiceStatistics Statistics { get; } = new();

    /// <summary>Partial datagrams waiting for fragments now.</summary>
    public int PendingReassemblies => _reassembler.PartialCount;

    /// <summary>Bytes held by partial datagrams now.</summary>
    public long ReassemblyBytes => _reassembler.BufferedBytes;

    private DatagramSourceNodeType SourceNodeType => _nodeType switch
    {
        NodeType.B => DatagramSourceNodeType.BNode,
        NodeType.P => DatagramSourceNodeType.PNode,
        NodeType.M => DatagramSourceNodeType.MNode,
        _ => DatagramSourceNodeType.NbddOrHNode, // what Microsoft H nodes send
    };

    private IPEndPoint SourceEndPoint => new(_address, _transport.LocalEndPoint.Port);

    /// <summary>Starts the receive loop and the FRAGMENT_TO timer. Calling it twice has no further effect.</summary>
    /// <exception cref="ObjectDisposedException">The service was disposed.</exception>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_receiveLoop is not null)
        {
            return;
        }

        var period = _options.FragmentTimeout / 2;
        _expiryTimer = _time.CreateTimer(_ => Statistics.AddPartialsDropped(_reassembler.Expire()), null, period, period);
        _receiveLoop = Task.Run(() => DatagramReceiveLoop.RunAsync(
            _transport, ReceiveBufferSize, HandleDatagramAsync, ex => Log.ReceiveError(_logger, ex), _time, _stopping.Token));
    }

    /// <summary>
    /// Registers a receiver: from now until it is disposed it gets every datagram that matches
    /// <paramref name="filter"/>. Several receivers may match one datagram; each gets it.
    /// </summary>
    /// <param name="filter">Which datagrams: to one local name, to any local name, or broadcasts.</param>
    /// <exception cref="ObjectDisposedException">The service was disposed.</exception>
    public DatagramSubscription Subscribe(DatagramReceiveFilter filter)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (filter.Kind == DatagramReceiveKind.Name)
        {
            filter = DatagramReceiveFilter.ForName(_names.ApplyScope(filter.Name));
        }

        var subscription = new DatagramSubscription(filter, _options.ReceiveQueueCapacity, Unsubscribe, Statistics.OnQueueOverflow);
        lock (_subscriptionsLock)
        {
            _subscriptions = [.. _subscriptions, subscription];
        }

        return subscription;
    }

    /// <summary>The clock of the service's timers (the NCB layer times its receive handovers on it).</summary>
    internal TimeProvider TimeProvider => _time;

    /// <summary>Waits for one datagram that matches <paramref name="filter"/> (the NCB DATAGRAM RECEIVE model: only a
    /// datagram that arrives while the receive is pending is received).</summary>
    /// <param name="filter">Which datagrams.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="ObjectDisposedException">The service was disposed.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public async ValueTask<ReceivedDatagram> ReceiveAsync(DatagramReceiveFilter filter, CancellationToken cancellationToken = default)
    {
        using var subscription = Subscribe(filter);
        return await subscription.ReceiveAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a datagram from one of the node's names to <paramref name="destination"/>: DIRECT_UNIQUE to a unique
    /// name's owner, DIRECT_GROUP to a group (RFC 1001 §17.1).
    /// </summary>
    /// <param name="source">SOURCE_NAME: a registered name of this node.</param>
    /// <param name="destination">The name it is for; the node's scope applies when it has none.</param>
    /// <param name="data">The user data, at most <see cref="DatagramServiceOptions.MaxUserDataLength"/> bytes.</param>
    /// <param name="kind">Resolve to decide (the default), or say the name is unique or a group.</param>
    /// <param name="cancellationToken">Cancels resolution and sending.</param>
    /// <returns>Sent, or why not; a datagram is unacknowledged, so "sent" says nothing about receipt.</returns>
    /// <exception cref="ObjectDisposedException">The service was disposed.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public async ValueTask<DatagramSendResult> SendAsync(NetBiosName source, NetBiosName destination, ReadOnlyMemory<byte> data,
        DatagramDestinationKind kind = DatagramDestinationKind.Auto, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        destination = _names.ApplyScope(destination);
        var type = kind == DatagramDestinationKind.Group ? DatagramMessageType.DirectGroup : DatagramMessageType.DirectUnique;
        if (CheckSend(ref source, data, type) is { } refused)
        {
            return refused;
        }

        if (kind == DatagramDestinationKind.Group)
        {
            return await SendGroupAsync(source, destination, data, [], cancellationToken).ConfigureAwait(false);
        }

        var resolved = await _resolver.QueryAsync(destination, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (resolved.Outcome != QueryOutcome.Found)
        {
            Log.NotResolved(_logger, destination, resolved.Outcome);
            var outcome = resolved.Outcome == QueryOutcome.Conflict ? DatagramSendOutcome.ConflictingAnswers : DatagramSendOutcome.NameNotFound;
            return DatagramSendResult.Failed(outcome, type);
        }

        if (kind == DatagramDestinationKind.Auto && resolved.Answers.Any(a => a.IsGroup))
        {
            return await SendGroupAsync(source, destination, data, resolved.Addresses, cancellationToken).ConfigureAwait(false);
        }

        // A unique name has one owner; a multi-homed owner is reached at its first address.
        var target = new IPEndPoint(resolved.Addresses[0], _options.RemotePort);
        return await SendPacketsAsync(DatagramMessageType.DirectUnique, source, destination, data, [target], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a BROADCAST datagram (destination <c>*</c>) to every station on the segment (RFC 1001 §17.1.3).</summary>
    /// <param name="source">SOURCE_NAME: a registered name of this node.</param>
    /// <param name="data">The user data, at most <see cref="DatagramServiceOptions.MaxUserDataLength"/> bytes.</param>
    /// <param name="cancellationToken">Cancels sending.</param>
    /// <exception cref="ObjectDisposedException">The service was disposed.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public async ValueTask<DatagramSendResult> SendBroadcastAsync(NetBiosName source, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (CheckSend(ref source, data, DatagramMessageType.Broadcast) is { } refused)
        {
            return refused;
        }

        var target = _options.DatagramDistributionServer ?? BroadcastEndPoint;
        var destination = NetBiosName.Wildcard.WithScope(source.Scope);
        return await SendPacketsAsync(DatagramMessageType.Broadcast, source, destination, data, [target], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops receiving, ends every subscription and (if owned) closes the transport.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_receiveLoop is { } loop)
        {
            await loop.ConfigureAwait(false);
        }

        if (_expiryTimer is { } timer)
        {
            await timer.DisposeAsync().ConfigureAwait(false);
        }

        DatagramSubscription[] subscriptions;
        lock (_subscriptionsLock)
        {
            subscriptions = _subscriptions;
            _subscriptions = [];
        }

        foreach (var subscription in subscriptions)
        {
            subscription.Complete();
        }

        if (_ownsTransport)
        {
            await _transport.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    /// <summary>Null when the datagram may be sent; otherwise the refusal.</summary>
    private DatagramSendResult? CheckSend(ref NetBiosName source, ReadOnlyMemory<byte> data, DatagramMessageType type)
    {
        source = _names.ApplyScope(source);
        if (data.Length > _options.MaxUserDataLength)
        {
            return DatagramSendResult.Failed(DatagramSendOutcome.TooLong, type);
        }

        return _names.FindRegistered(source) is not null
            ? null
            : DatagramSendResult.Failed(DatagramSendOutcome.SourceNameNotLocal, type);
    }

    /// <summary>
    /// DIRECT_GROUP: to the NBDD when there is one; else to each known member for a P node (which cannot broadcast);
    /// else the subnet broadcast.
    /// </summary>
    private async ValueTask<DatagramSendResult> SendGroupAsync(NetBiosName source, NetBiosName group, ReadOnlyMemory<byte> data,
        IReadOnlyList<IPAddress> members, CancellationToken cancellationToken)
    {
        IReadOnlyList<IPEndPoint> targets;
        if (_options.DatagramDistributionServer is { } nbdd)
        {
            targets = [nbdd];
        }
        else if (_nodeType == NodeType.P)
        {
            if (members.Count == 0)
            {
                var resolved = await _resolver.QueryAsync(group, cancellationToken: cancellationToken).ConfigureAwait(false);
                members = resolved.Addresses;
            }

            if (members.Count == 0)
            {
                return DatagramSendResult.Failed(DatagramSendOutcome.NameNotFound, DatagramMessageType.DirectGroup);
            }

            targets = members.Take(_options.MaxGroupMembers).Select(a => new IPEndPoint(a, _options.RemotePort)).ToList();
        }
        else
        {
            targets = [BroadcastEndPoint];
        }

        return await SendPacketsAsync(DatagramMessageType.DirectGroup, source, group, data, targets, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<DatagramSendResult> SendPacketsAsync(DatagramMessageType type, NetBiosName source, NetBiosName destination,
        ReadOnlyMemory<byte> data, IReadOnlyList<IPEndPoint> targets, CancellationToken cancellationToken)
    {
        ushort id = (ushort)Interlocked.Increment(ref _nextDatagramId);
        int maxPacket = UserDatagram.FixedLength + NameCodec.GetEncodedLength(source) + NameCodec.GetEncodedLength(destination) + _options.FragmentDataLength;
        var packets = UserDatagram.Fragment(type, id, SourceEndPoint, source, destination, data,
            Math.Min(maxPacket, UserDatagram.MaxUdpPayloadLength), SourceNodeType);
        var encoded = packets.Select(p => p.ToArray()).ToList();
        foreach (var target in targets)
        {
            foreach (byte[] packet in encoded)
            {
                await _transport.SendToAsync(packet, target, cancellationToken).ConfigureAwait(false);
            }
        }

        Statistics.AddSent(encoded.Count * targets.Count);
        Log.Sent(_logger, type, source, destination, data.Length, encoded.Count, targets.Count);
        return new DatagramSendResult(DatagramSendOutcome.Sent, type, targets, encoded.Count);
    }

    private void Unsubscribe(DatagramSubscription subscription)
    {
        lock (_subscriptionsLock)
        {
            _subscriptions = Array.FindAll(_subscriptions, s => s != subscription);
        }
    }
}
