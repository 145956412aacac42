using System.Buffers;
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
/// One receive loop reads the transport; a bad packet is dropped and logged at debug level, never fatal. Responses
/// reach the request that is waiting for them only when TRN_ID, source and name match; everything unsolicited is
/// ignored (MS00-047, CVE-2000-1079). All timers run on the injected <see cref="TimeProvider"/>.
/// </para>
/// <para>Network outcomes are result values; exceptions are for caller bugs (a disposed node, bad arguments).
/// The public methods are thread-safe.</para>
/// </remarks>
public sealed partial class NameServiceNode : ILocalNameRegistry, INameResolver, IAsyncDisposable
{
    /// <summary>Largest datagram read; NBNS packets are at most 576 bytes, the rest is tolerance.</summary>
    private const int ReceiveBufferSize = 4096;

    private readonly IDatagramTransport _transport;
    private readonly NameServiceOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly bool _ownsTransport;
    private readonly PendingTransactions _transactions = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly byte[] _answerBuffer = new byte[NameServicePacket.MaxDatagramLength];
    private readonly uint _addressValue;
    private Task? _receiveLoop;
    private int _disposed;

    /// <summary>Creates a node; call <see cref="Start"/> to begin receiving.</summary>
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
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(broadcastAddress);
        _options = options ?? new NameServiceOptions();
        _options.Validate();
        _transport = transport;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _ownsTransport = ownsTransport;
        Address = address;
        _addressValue = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());
        BroadcastEndPoint = new IPEndPoint(broadcastAddress, _options.RemotePort);
        Names = new LocalNameTable(_options.MaxNames);
        Cache = new NameCache(_time);
        PreloadLmhosts();
    }

    /// <summary>This node's address.</summary>
    public IPAddress Address { get; }

    /// <summary>Where broadcasts go: the adapter's broadcast address and the name service port.</summary>
    public IPEndPoint BroadcastEndPoint { get; }

    /// <summary>The unit ID (adapter MAC) reported in node status.</summary>
    internal byte[] UnitId => _options.UnitId;

    /// <summary>The node type in effect.</summary>
    public NodeType NodeType => _options.EffectiveNodeType;

    /// <summary>The names this node has added.</summary>
    public LocalNameTable Names { get; }

    /// <summary>The resolver's cache.</summary>
    public NameCache Cache { get; }

    /// <summary>Counters of what the node did.</summary>
    public NameServiceStatistics Statistics { get; } = new();

    /// <summary>The TTL asked for in registrations and given in answers, in seconds.</summary>
    private uint RegistrationTtlSeconds => (uint)_options.RegistrationTtl.TotalSeconds;

    /// <summary>The transport's local endpoint.</summary>
    public IPEndPoint LocalEndPoint => _transport.LocalEndPoint;

    /// <summary>Starts the receive loop. Calling it twice has no further effect.</summary>
    /// <exception cref="ObjectDisposedException">The node was disposed.</exception>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        _receiveLoop ??= Task.Run(ReceiveLoopAsync);
    }

    /// <summary>Releases every registered name, stops the receive loop and (if owned) closes the transport.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            using var releaseTimeout = new CancellationTokenSource(_options.UnicastRetryTimeout * _options.UnicastRetryCount, _time);
            await Task.WhenAll(Names.Snapshot().Select(n => ReleaseEntryAsync(n, releaseTimeout.Token).AsTask())).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutting down: a release that did not finish in time is abandoned.
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_receiveLoop is { } loop)
        {
            await loop.ConfigureAwait(false);
        }

        if (_ownsTransport)
        {
            await _transport.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private Task ReceiveLoopAsync() =>
        DatagramReceiveLoop.RunAsync(_transport, ReceiveBufferSize, HandleDatagramAsync, ex => Log.ReceiveError(_logger, ex), _time, _stopping.Token);

    private async ValueTask HandleDatagramAsync(ReadOnlyMemory<byte> datagram, IPEndPoint source, CancellationToken cancellationToken)
    {
        Statistics.Received++;

        // Our own broadcasts come back to us (Linux loops them to local sockets): never answer ourselves.
        if (source.Port == _transport.LocalEndPoint.Port && source.Address.Equals(Address))
        {
            return;
        }

        if (await TryAnswerQueryFastAsync(datagram, source, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        if (!NameServicePacket.TryDecode(datagram.Span, out var packet, out var error))
        {
            Statistics.Malformed++;
            Log.MalformedPacket(_logger, source, error);
            return;
        }

        if (packet.Header.IsResponse)
        {
            if (!_transactions.TryDeliver(packet, source))
            {
                Statistics.Unsolicited++;
                Log.Unsolicited(_logger, packet.Kind, source, packet.Header.TransactionId);
            }

            return;
        }

        await RespondAsync(packet, source, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask SendAsync(NameServicePacket packet, IPEndPoint destination, CancellationToken cancellationToken)
    {
        int length = packet.GetEncodedLength();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            packet.TryEncode(buffer, out int written);
            await _transport.SendToAsync(buffer.AsMemory(0, written), destination, cancellationToken).ConfigureAwait(false);
            Statistics.Sent++;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A token that fires after <paramref name="timeout"/> on the node's clock, or with the caller's token or shutdown.</summary>
    private TimeoutScope Timeout(TimeSpan timeout, CancellationToken cancellationToken) => new(timeout, _time, cancellationToken, _stopping.Token);

    /// <summary>
    /// A timeout on a <see cref="TimeProvider"/> (so fake-clock tests are exact) linked with two other tokens.
    /// Disposing it stops the timer, so a timeout can never fire into a disposed source.
    /// </summary>
    private sealed class TimeoutScope : IDisposable
    {
        private readonly CancellationTokenSource _timer;
        private readonly CancellationTokenSource _linked;

        public TimeoutScope(TimeSpan timeout, TimeProvider time, CancellationToken first, CancellationToken second)
        {
            _timer = new CancellationTokenSource(timeout, time);
            _linked = CancellationTokenSource.CreateLinkedTokenSource(_timer.Token, first, second);
        }

        public CancellationToken Token => _linked.Token;

        public void Dispose()
        {
            _linked.Dispose();
            _timer.Dispose();
        }
    }

    private static NbFlags NbFlagsFor(bool isGroup, NodeType nodeType) =>
        (isGroup ? NbFlags.Group : 0) | (NbFlags)((ushort)nodeType << 13);

    private void PreloadLmhosts()
    {
        if (_options.Lmhosts is not { } lmhosts)
        {
            return;
        }

        foreach (var entry in lmhosts.Entries.Where(e => e.Preload && !e.AnySuffix))
        {
            Cache.AddPermanent(entry.Name, [new NameQueryAnswer(entry.Address, entry.IsGroup, NodeType.B, TimeSpan.Zero, null, ResolveSource.Lmhosts)]);
        }
    }
}
