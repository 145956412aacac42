using System.Net;
using System.Net.Sockets;
using NetBios.Transport;

namespace NetBios.Testing;

/// <summary>
/// A deterministic fake IPv4 network for tests: broadcast segments, hosts with addresses on them, datagram transports
/// and stream connections, with fault injection and a record of every datagram sent. No sockets, no threads; delays run
/// on the given <see cref="TimeProvider"/>, so a <c>FakeTimeProvider</c> controls them.
/// </summary>
/// <remarks>
/// <para>Typical use:</para>
/// <code>
/// var net = new InMemoryNetwork(timeProvider);
/// net.AddSegment(IPAddress.Parse("192.168.1.0"), 24);
/// await using var a = net.CreateDatagramTransport(IPAddress.Parse("192.168.1.1"), 137);
/// await using var b = net.CreateDatagramTransport(IPAddress.Parse("192.168.1.2"), 137);
/// await a.SendToAsync(query, new IPEndPoint(IPAddress.Parse("192.168.1.255"), 137)); // reaches a and b
/// </code>
/// <para>Delivery rules:</para>
/// <list type="bullet">
/// <item>Unicast reaches the transport bound to the destination address and port (or to 0.0.0.0 and the port) on the
/// host owning that address, if the sender's host shares a segment with it or is that host. Anything else vanishes.</item>
/// <item>A send to a segment's broadcast address, or to 255.255.255.255, reaches every transport bound to the
/// destination port on every plugged-in host of the sender's segment, whether bound to 0.0.0.0 or to the host's
/// address on that segment, once per transport; the sender's own host included when
/// <see cref="LoopBackBroadcasts"/> is set (as Linux does).</item>
/// <item>Datagrams are never reordered unless a <see cref="DeliveryFilter"/> delays some of them.</item>
/// </list>
/// <para>Thread safety: all members are safe to call concurrently.</para>
/// </remarks>
public sealed class InMemoryNetwork : IStreamNetwork
{
    private readonly Lock _gate = new();
    private readonly List<InMemorySegment> _segments = [];
    private readonly Dictionary<uint, InMemoryHost> _hostsByAddress = [];
    private readonly List<InMemoryDatagram> _traffic = [];
    private readonly HashSet<ITimer> _pendingTimers = [];
    private long _sequence;
    private long _queueDrops;

    /// <summary>Creates an empty network.</summary>
    /// <param name="timeProvider">The clock for delayed deliveries and traffic timestamps; defaults to <see cref="TimeProvider.System"/>.</param>
    public InMemoryNetwork(TimeProvider? timeProvider = null)
    {
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The clock used for delays and timestamps.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Whether a host receives its own broadcasts on its other transports (and the sending transport itself
    /// when it is bound to the destination port). Defaults to <see langword="true"/>, as on Linux.</summary>
    public bool LoopBackBroadcasts { get; set; } = true;

    /// <summary>The receive queue length of transports created from now on. Defaults to 256 datagrams.</summary>
    public int ReceiveQueueCapacity { get; set; } = 256;

    /// <summary>Whether every datagram sent is kept in <see cref="Traffic"/>. Defaults to <see langword="true"/>.</summary>
    public bool RecordTraffic { get; set; } = true;

    /// <summary>
    /// Fault injection: called for every (datagram, receiving transport) pair before delivery; returns
    /// how many copies arrive and when. <see langword="null"/> (the default) delivers every datagram once, at once.
    /// Called outside the network's lock, on the sender's thread.
    /// </summary>
    public Func<InMemoryDatagram, InMemoryDatagramTransport, DeliveryDecision>? DeliveryFilter { get; set; }

    /// <summary>The segments added so far.</summary>
    public IReadOnlyList<InMemorySegment> Segments
    {
        get
        {
            lock (_gate)
            {
                return [.. _segments];
            }
        }
    }

    /// <summary>A snapshot of every datagram sent so far (while <see cref="RecordTraffic"/> was on), in send order,
    /// including those that were dropped or reached nobody.</summary>
    public IReadOnlyList<InMemoryDatagram> Traffic
    {
        get
        {
            lock (_gate)
            {
                return [.. _traffic];
            }
        }
    }

    /// <summary>How many datagrams were dropped network-wide because a receive queue was full.</summary>
    public long QueueDropCount => Interlocked.Read(ref _queueDrops);

    /// <summary>Adds a broadcast segment (subnet).</summary>
    /// <param name="network">Any address inside the subnet; host bits are ignored.</param>
    /// <param name="prefixLength">The prefix length, 0..32.</param>
    /// <returns>The segment.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="network"/> is not IPv4.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="prefixLength"/> is not 0..32.</exception>
    public InMemorySegment AddSegment(IPAddress network, int prefixLength)
    {
        IPv4.RequireIPv4(network, nameof(network));
        IPv4.ValidatePrefix(prefixLength);
        var segment = new InMemorySegment(network, prefixLength);
        lock (_gate)
        {
            _segments.Add(segment);
        }

        return segment;
    }

    /// <summary>Adds a host with one or more addresses (a multi-homed host when they are on several segments).</summary>
    /// <param name="addresses">The host's IPv4 addresses, each inside some segment; the first is the primary one.</param>
    /// <returns>The host.</returns>
    /// <exception cref="ArgumentException">No address was given, an address is not IPv4, is on no segment, or already
    /// belongs to a host.</exception>
    public InMemoryHost AddHost(params IPAddress[] addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        if (addresses.Length == 0)
        {
            throw new ArgumentException("A host needs at least one address.", nameof(addresses));
        }

        lock (_gate)
        {
            foreach (IPAddress address in addresses)
            {
                IPv4.RequireIPv4(address, nameof(addresses));
                if (_hostsByAddress.ContainsKey(IPv4.ToUInt32(address)))
                {
                    throw new ArgumentException($"{address} already belongs to a host.", nameof(addresses));
                }

                if (!_segments.Exists(s => s.Contains(address)))
                {
                    throw new ArgumentException($"{address} is on no segment; call AddSegment first.", nameof(addresses));
                }
            }

            var host = new InMemoryHost(this, [.. addresses]);
            foreach (IPAddress address in addresses)
            {
                _hostsByAddress.Add(IPv4.ToUInt32(address), host);
            }

            return host;
        }
    }

    /// <summary>Returns the host owning <paramref name="address"/>, adding a single-address host if there is none yet.</summary>
    /// <param name="address">An IPv4 address inside some segment.</param>
    /// <returns>The host.</returns>
    /// <exception cref="ArgumentException">The address is not IPv4 or is on no segment.</exception>
    public InMemoryHost GetHost(IPAddress address)
    {
        IPv4.RequireIPv4(address);
        lock (_gate)
        {
            if (_hostsByAddress.TryGetValue(IPv4.ToUInt32(address), out InMemoryHost? host))
            {
                return host;
            }
        }

        try
        {
            return AddHost(address);
        }
        catch (ArgumentException) when (FindHost(address) is not null)
        {
            return FindHost(address)!; // another thread added it meanwhile
        }
    }

    /// <summary>Binds a datagram transport at <paramref name="hostAddress"/>:<paramref name="port"/>, adding the host if needed.</summary>
    /// <param name="hostAddress">The host address to bind (inside some segment).</param>
    /// <param name="port">The port, or 0 for an ephemeral port (49152 and up, per host).</param>
    /// <returns>The transport.</returns>
    /// <exception cref="ArgumentException">The address is not IPv4 or is on no segment.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is not 0..65535.</exception>
    /// <exception cref="TransportBindException">The address and port are already bound.</exception>
    public InMemoryDatagramTransport CreateDatagramTransport(IPAddress hostAddress, int port) =>
        BindDatagram(GetHost(hostAddress), hostAddress, port);

    /// <summary>Forgets the recorded <see cref="Traffic"/>.</summary>
    public void ClearTraffic()
    {
        lock (_gate)
        {
            _traffic.Clear();
        }
    }

    /// <inheritdoc/>
    /// <remarks>Listens on the host owning the address (added if needed). To listen on 0.0.0.0, use <see cref="InMemoryHost.ListenAsync"/>.</remarks>
    public ValueTask<IStreamListener> ListenAsync(IPEndPoint localEndPoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(localEndPoint);
        return GetHost(localEndPoint.Address).ListenAsync(localEndPoint, cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Connects from the remote address's own host (as a local client would); to connect from a particular machine, use
    /// <see cref="InMemoryHost.ConnectAsync"/> on it. An address that belongs to no host is unreachable.
    /// </remarks>
    public ValueTask<IStreamConnection> ConnectAsync(IPEndPoint remoteEndPoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(remoteEndPoint);
        InMemoryHost? host = FindHost(remoteEndPoint.Address);
        if (host is null)
        {
            throw new TransportConnectException(remoteEndPoint, ConnectFailureReason.Unreachable, SocketError.HostUnreachable);
        }

        return host.ConnectAsync(remoteEndPoint, cancellationToken);
    }

    internal void CountQueueDrop() => Interlocked.Increment(ref _queueDrops);

    internal InMemoryDatagramTransport BindDatagram(InMemoryHost host, IPAddress address, int port)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(port, IPEndPoint.MinPort);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        uint bits = IPv4.ToUInt32(address);
        lock (_gate)
        {
            port = port != 0 ? port : AllocatePort(host, p => IsDatagramPortFree(host, 0, p));
            if (!IsDatagramPortFree(host, bits, port))
            {
                throw new TransportBindException("UDP", new IPEndPoint(address, port), BindFailureReason.AddressInUse);
            }

            var transport = new InMemoryDatagramTransport(this, host, address, port, ReceiveQueueCapacity);
            host.DatagramBindings.Add((bits, port), transport);
            return transport;
        }
    }

    internal void Unbind(InMemoryDatagramTransport transport)
    {
        lock (_gate)
        {
            var key = (IPv4.ToUInt32(transport.LocalEndPoint.Address), transport.LocalEndPoint.Port);
            if (transport.Host.DatagramBindings.TryGetValue(key, out var bound) && ReferenceEquals(bound, transport))
            {
                transport.Host.DatagramBindings.Remove(key);
            }
        }
    }

    internal void Send(InMemoryDatagramTransport sender, ReadOnlyMemory<byte> payload, IPEndPoint destination)
    {
        byte[] data = payload.ToArray();
        InMemoryDatagram datagram;
        List<InMemoryDatagramTransport> recipients = [];
        lock (_gate)
        {
            InMemoryHost host = sender.Host;
            IPAddress sourceAddress = sender.LocalEndPoint.Address.Equals(IPAddress.Any)
                ? ChooseSourceAddress(host, destination.Address)
                : sender.LocalEndPoint.Address;
            datagram = new InMemoryDatagram(
                ++_sequence,
                new IPEndPoint(sourceAddress, sender.LocalEndPoint.Port),
                new IPEndPoint(destination.Address, destination.Port),
                data,
                TimeProvider.GetUtcNow());
            if (RecordTraffic)
            {
                _traffic.Add(datagram);
            }

            if (host.IsUnplugged)
            {
                return;
            }

            CollectRecipients(host, sourceAddress, destination, recipients);
        }

        Func<InMemoryDatagram, InMemoryDatagramTransport, DeliveryDecision>? filter = DeliveryFilter;
        foreach (InMemoryDatagramTransport recipient in recipients)
        {
            DeliveryDecision decision = filter?.Invoke(datagram, recipient) ?? DeliveryDecision.Deliver;
            for (int copy = 0; copy < decision.Copies; copy++)
            {
                if (decision.Delay <= TimeSpan.Zero)
                {
                    recipient.Enqueue(datagram.Source, data);
                }
                else
                {
                    ScheduleDelivery(recipient, datagram.Source, data, decision.Delay);
                }
            }
        }
    }

    internal InMemoryStreamListener Listen(InMemoryHost host, IPEndPoint localEndPoint)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(localEndPoint.Port, IPEndPoint.MinPort, nameof(localEndPoint));
        IPv4.RequireIPv4(localEndPoint.Address, nameof(localEndPoint));
        uint bits = IPv4.ToUInt32(localEndPoint.Address);
        if (bits != 0 && !host.Addresses.Contains(localEndPoint.Address))
        {
            throw new TransportBindException("TCP", localEndPoint, BindFailureReason.AddressNotAvailable);
        }

        lock (_gate)
        {
            int port = localEndPoint.Port != 0 ? localEndPoint.Port : AllocatePort(host, p => IsStreamPortFree(host, 0, p));
            var endpoint = new IPEndPoint(localEndPoint.Address, port);
            if (!IsStreamPortFree(host, bits, port))
            {
                throw new TransportBindException("TCP", endpoint, BindFailureReason.AddressInUse);
            }

            var listener = new InMemoryStreamListener(this, host, endpoint);
            host.StreamListeners.Add((bits, port), listener);
            return listener;
        }
    }

    internal void Unlisten(InMemoryStreamListener listener)
    {
        lock (_gate)
        {
            var key = (IPv4.ToUInt32(listener.LocalEndPoint.Address), listener.LocalEndPoint.Port);
            if (listener.Host.StreamListeners.TryGetValue(key, out var bound) && ReferenceEquals(bound, listener))
            {
                listener.Host.StreamListeners.Remove(key);
            }
        }
    }

    internal InMemoryStreamConnection Connect(InMemoryHost client, IPEndPoint remote)
    {
        IPv4.RequireIPv4(remote.Address, nameof(remote));
        InMemoryStreamListener? listener;
        IPEndPoint local;
        lock (_gate)
        {
            _hostsByAddress.TryGetValue(IPv4.ToUInt32(remote.Address), out InMemoryHost? server);
            IPAddress localAddress = ChooseSourceAddress(client, remote.Address);
            if (server is null || (!ReferenceEquals(server, client) && !ShareSegment(localAddress, remote.Address)))
            {
                throw new TransportConnectException(remote, ConnectFailureReason.Unreachable, SocketError.HostUnreachable);
            }

            if (!ReferenceEquals(server, client) && (server.IsUnplugged || client.IsUnplugged))
            {
                throw new TransportConnectException(remote, ConnectFailureReason.TimedOut, SocketError.TimedOut);
            }

            if (!server.StreamListeners.TryGetValue((IPv4.ToUInt32(remote.Address), remote.Port), out listener)
                && !server.StreamListeners.TryGetValue((0u, remote.Port), out listener))
            {
                throw new TransportConnectException(remote, ConnectFailureReason.Refused, SocketError.ConnectionRefused);
            }

            local = new IPEndPoint(localAddress, AllocatePort(client, _ => true));
        }

        (InMemoryStreamConnection clientSide, InMemoryStreamConnection serverSide) =
            InMemoryStreamConnection.CreatePair(local, new IPEndPoint(remote.Address, remote.Port));
        if (!listener.TryEnqueue(serverSide))
        {
            throw new TransportConnectException(remote, ConnectFailureReason.Refused, SocketError.ConnectionRefused);
        }

        return clientSide;
    }

    private InMemoryHost? FindHost(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            return null;
        }

        lock (_gate)
        {
            return _hostsByAddress.GetValueOrDefault(IPv4.ToUInt32(address));
        }
    }

    // Caller holds _gate.
    private void CollectRecipients(InMemoryHost host, IPAddress sourceAddress, IPEndPoint destination, List<InMemoryDatagramTransport> recipients)
    {
        bool limited = destination.Address.Equals(IPAddress.Broadcast);
        List<InMemorySegment> broadcastSegments = _segments.FindAll(s =>
            s.Contains(sourceAddress) && (limited || s.BroadcastAddress.Equals(destination.Address)));

        if (broadcastSegments.Count > 0)
        {
            var seen = new HashSet<InMemoryDatagramTransport>();
            foreach (InMemorySegment segment in broadcastSegments)
            {
                foreach (var (addressBits, member) in _hostsByAddress)
                {
                    if (!IPv4.Contains(segment.NetworkBits, segment.PrefixLength, IPv4.FromUInt32(addressBits))
                        || member.IsUnplugged
                        || (ReferenceEquals(member, host) && !LoopBackBroadcasts))
                    {
                        continue;
                    }

                    if (member.DatagramBindings.TryGetValue((addressBits, destination.Port), out var specific) && seen.Add(specific))
                    {
                        recipients.Add(specific);
                    }

                    if (member.DatagramBindings.TryGetValue((0u, destination.Port), out var wildcard) && seen.Add(wildcard))
                    {
                        recipients.Add(wildcard);
                    }
                }
            }

            return;
        }

        uint destinationBits = IPv4.ToUInt32(destination.Address);
        if (!_hostsByAddress.TryGetValue(destinationBits, out InMemoryHost? target)
            || (!ReferenceEquals(target, host) && (target.IsUnplugged || !ShareSegment(sourceAddress, destination.Address))))
        {
            return; // unknown address, unplugged or on another segment: the datagram vanishes
        }

        if (target.DatagramBindings.TryGetValue((destinationBits, destination.Port), out var exact)
            || target.DatagramBindings.TryGetValue((0u, destination.Port), out exact))
        {
            recipients.Add(exact);
        }
    }

    // Caller holds _gate. The host's address on the destination's segment, else its primary address.
    private IPAddress ChooseSourceAddress(InMemoryHost host, IPAddress destination)
    {
        if (destination.AddressFamily == AddressFamily.InterNetwork && host.Addresses.Contains(destination))
        {
            return destination;
        }

        foreach (IPAddress address in host.Addresses)
        {
            if (ShareSegment(address, destination))
            {
                return address;
            }
        }

        return host.Addresses[0];
    }

    // Caller holds _gate.
    private bool ShareSegment(IPAddress a, IPAddress b) =>
        _segments.Exists(s => s.Contains(a) && s.Contains(b));

    // Caller holds _gate.
    private static bool IsDatagramPortFree(InMemoryHost host, uint address, int port) =>
        IsFree(host.DatagramBindings.Keys, address, port);

    private static bool IsStreamPortFree(InMemoryHost host, uint address, int port) =>
        IsFree(host.StreamListeners.Keys, address, port);

    // A wildcard binding conflicts with every binding of the port, and a specific one with itself and the wildcard.
    private static bool IsFree(IEnumerable<(uint Address, int Port)> keys, uint address, int port) =>
        !keys.Any(k => k.Port == port && (address == 0 || k.Address == 0 || k.Address == address));

    // Caller holds _gate.
    private static int AllocatePort(InMemoryHost host, Func<int, bool> isFree)
    {
        for (int attempt = 0; attempt < 16384; attempt++)
        {
            int port = host.NextEphemeralPort;
            host.NextEphemeralPort = port == IPEndPoint.MaxPort ? 49152 : port + 1;
            if (isFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"No ephemeral port is free on {host}.");
    }

    private void ScheduleDelivery(InMemoryDatagramTransport recipient, IPEndPoint source, byte[] data, TimeSpan delay)
    {
        lock (_gate)
        {
            ITimer? timer = null;
            timer = TimeProvider.CreateTimer(
                _ =>
                {
                    lock (_gate)
                    {
                        // The callback can run before CreateTimer returns (a FakeTimeProvider advanced on another thread).
                        if (timer is null || !_pendingTimers.Remove(timer))
                        {
                            return;
                        }
                    }

                    timer.Dispose();
                    if (!recipient.Host.IsUnplugged)
                    {
                        recipient.Enqueue(source, data);
                    }
                },
                null,
                delay,
                Timeout.InfiniteTimeSpan);
            _pendingTimers.Add(timer);
        }
    }
}
