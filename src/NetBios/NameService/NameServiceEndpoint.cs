using System.Buffers;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetBios.Transport;
using NetBios.Wire.NameService;

namespace NetBios.NameService;

/// <summary>
/// The name service port of one LANA (UDP 137): the transport, its receive loop and the table of outstanding
/// transactions. Requests that arrive go to the handlers, in the order they were added, until one takes them;
/// responses go to the exchange waiting for them. Everything that sends a request and waits for answers (registration,
/// challenge, refresh, release, query, node status) uses <see cref="ExchangeAsync"/>.
/// </summary>
/// <remarks>
/// <para>
/// Several engines share one endpoint, as they share UDP 137 on a real host: the node's responder first, a name server
/// (WINS) after it. A directed NAME QUERY REQUEST that no handler takes is answered negatively (NAM_ERR, RFC 1002
/// §4.2.14, as nmbd answers one for a name it does not hold); any other request nobody takes is dropped.
/// </para>
/// <para>
/// A response reaches an exchange only when its TRN_ID, its source and its name match (MS00-047, CVE-2000-1079);
/// everything unsolicited is counted and dropped. A bad packet is dropped and logged at debug level, never fatal. All
/// timers run on the injected <see cref="TimeProvider"/>. Thread safety: all members may be called concurrently.
/// </para>
/// <para>
/// Amplification defence: an answer longer than the request it answers (node status, NAM_ERR) takes a token from its
/// destination's bucket (<see cref="NameServiceEndpointOptions"/>); without one it is dropped and counted in
/// <see cref="NameServiceStatistics.AnswersRateLimited"/>. This holds for every handler's answer, except positive name
/// query answers: they are what the service is for, only 12 bytes longer than their query (1.24×, no lever for an
/// attacker), and a per-source limit on them would cut off genuine heavy queriers (a name server's clients). Repeated
/// events (malformed packets, unsolicited responses) are logged once per interval with a count.
/// </para>
/// </remarks>
public sealed class NameServiceEndpoint : IAsyncDisposable
{
    /// <summary>Largest datagram read; NBNS packets are at most 576 bytes, the rest is tolerance.</summary>
    private const int ReceiveBufferSize = 4096;

    /// <summary>How long disposal waits for a receive thread to end (it is woken at once; this bounds a stuck one).</summary>
    private static readonly TimeSpan ReceiveThreadJoinTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Unsolicited responses in one log interval from which on they are reported as a suspected attack (a
    /// busy segment sees a few late answers; a blind TRN_ID guesser sends thousands).</summary>
    private const int SuspectedAttackCount = 100;

    private readonly IDatagramTransport _transport;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly bool _ownsTransport;
    private readonly PendingTransactions _transactions = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly byte[] _answerBuffer = new byte[NameServicePacket.MaxDatagramLength];
    private readonly SourceRateLimiter _answerLimiter;
    private readonly LogThrottle _malformedLog;
    private readonly LogThrottle _unsolicitedLog;
    private readonly Lock _handlersLock = new();
    private INameServiceHandler[] _handlers = [];
    private Task? _receiveLoop;
    private bool _receiveThread;
    private int _disposed;

    /// <summary>Creates an endpoint over a bound transport; call <see cref="Start"/> to begin receiving.</summary>
    /// <param name="transport">The UDP (or in-memory) transport bound to the name service port.</param>
    /// <param name="localAddress">This station's address: datagrams from it to this port are our own broadcasts
    /// coming back, and are never answered.</param>
    /// <param name="timeProvider">The clock of every window; defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Where to log; defaults to none.</param>
    /// <param name="ownsTransport">Dispose the transport with the endpoint.</param>
    /// <param name="options">Rate limits and log intervals; defaults to <see cref="NameServiceEndpointOptions"/>'s defaults.</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public NameServiceEndpoint(IDatagramTransport transport, IPAddress localAddress, TimeProvider? timeProvider = null, ILogger? logger = null,
        bool ownsTransport = true, NameServiceEndpointOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(localAddress);
        _transport = transport;
        LocalAddress = localAddress;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _ownsTransport = ownsTransport;
        Options = options ?? new NameServiceEndpointOptions();
        Options.Validate();
        _answerLimiter = new SourceRateLimiter(_time, Options);
        _malformedLog = new LogThrottle(_time, Options.RepeatedEventLogInterval);
        _unsolicitedLog = new LogThrottle(_time, Options.RepeatedEventLogInterval);
    }

    /// <summary>The endpoint's settings.</summary>
    internal NameServiceEndpointOptions Options { get; }

    /// <summary>This station's address.</summary>
    public IPAddress LocalAddress { get; }

    /// <summary>The transport's local endpoint.</summary>
    public IPEndPoint LocalEndPoint => _transport.LocalEndPoint;

    /// <summary>Counters of the port (datagrams in and out, malformed, unsolicited) and of what handlers answered.</summary>
    public NameServiceStatistics Statistics { get; } = new();

    /// <summary>The handlers, in the order requests are offered to them.</summary>
    public IReadOnlyList<INameServiceHandler> Handlers => Volatile.Read(ref _handlers);

    /// <summary>Adds a handler after those already there; requests that arrive from now on are offered to it.</summary>
    /// <param name="handler">The handler.</param>
    /// <exception cref="ArgumentNullException"><paramref name="handler"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The endpoint was disposed.</exception>
    public void AddHandler(INameServiceHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        lock (_handlersLock)
        {
            Volatile.Write(ref _handlers, [.. _handlers, handler]);
        }
    }

    /// <summary>Removes a handler; requests that arrive from now on are no longer offered to it.</summary>
    /// <param name="handler">The handler.</param>
    /// <returns>False when it was not there.</returns>
    public bool RemoveHandler(INameServiceHandler handler)
    {
        lock (_handlersLock)
        {
            int index = Array.IndexOf(_handlers, handler);
            if (index < 0)
            {
                return false;
            }

            Volatile.Write(ref _handlers, [.. _handlers[..index], .. _handlers[(index + 1)..]]);
            return true;
        }
    }

    /// <summary>Starts the receive loop. Calling it twice has no further effect.</summary>
    /// <remarks>Over a UDP socket on 64-bit Linux the loop is one dedicated thread that blocks in recvmsg and answers on
    /// that thread (docs/UDP-FAST-PATH.md); over other transports it is an asynchronous loop.</remarks>
    /// <exception cref="ObjectDisposedException">The endpoint was disposed.</exception>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        lock (_handlersLock)
        {
            if (_receiveLoop is not null)
            {
                return;
            }

            if (_transport is IReceiveThreadTransport { SupportsReceiveThread: true } threaded)
            {
                _receiveThread = true;
                _receiveLoop = DatagramReceiveLoop.StartThread(threaded, ReceiveBufferSize, HandleDatagramAsync,
                    ex => NameServiceLog.ReceiveError(_logger, ex), _time, $"nbns {_transport.LocalEndPoint}", _stopping.Token);
            }
            else
            {
                _receiveLoop = Task.Run(() => DatagramReceiveLoop.RunAsync(_transport, ReceiveBufferSize, HandleDatagramAsync,
                    ex => NameServiceLog.ReceiveError(_logger, ex), _time, _stopping.Token));
            }
        }
    }

    /// <summary>Sends one packet (an answer, a demand, a broadcast release) to <paramref name="destination"/>.</summary>
    /// <param name="packet">The packet.</param>
    /// <param name="destination">Where to.</param>
    /// <param name="cancellationToken">Cancels sending.</param>
    /// <returns>A task that completes when the packet is sent.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public ValueTask SendAsync(NameServicePacket packet, IPEndPoint destination, CancellationToken cancellationToken = default) =>
        SendAsync(packet, destination, null, cancellationToken);

    /// <summary>Sends one packet from <paramref name="source"/>: an answer from the local address its request was sent
    /// to (<see cref="NameServiceRequest.LocalAddress"/>), or, with <see langword="null"/>, from the address routing picks.</summary>
    internal async ValueTask SendAsync(NameServicePacket packet, IPEndPoint destination, IPAddress? source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(destination);
        int length = packet.GetEncodedLength();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            packet.TryEncode(buffer, out int written);
            await _transport.SendToAsync(buffer.AsMemory(0, written), destination, source, cancellationToken).ConfigureAwait(false);
            Statistics.Sent++;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// One request exchange, the way RFC 1002 §5.1 sends every request: the request (built with a fresh random
    /// NAME_TRN_ID) is sent up to <see cref="NameServiceExchange.Attempts"/> times, a window apart; each response that
    /// matches the transaction (ID, name, and the expected source if any) goes to <paramref name="filter"/>, whose
    /// verdict ignores it, collects it (no more retransmissions, the window runs on), finishes the exchange with it, or
    /// asks to wait longer (a WACK). The model is the retry loop of the .NET DNS resolver.
    /// </summary>
    /// <param name="name">The name the request is about: responses must be about it.</param>
    /// <param name="createRequest">Builds the request for a transaction ID.</param>
    /// <param name="exchange">Destination, accepted source, attempts, window.</param>
    /// <param name="filter">The verdict on each matching response (runs on the waiting task, one at a time).</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The finishing response, or what was collected, or neither (timed out). When the endpoint stops the
    /// exchange ends at once with what it has.</returns>
    /// <exception cref="ArgumentNullException">A delegate is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than one attempt.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public ValueTask<NameServiceExchangeResult> ExchangeAsync(NetBiosName name, Func<ushort, NameServicePacket> createRequest,
        NameServiceExchange exchange, Func<NameServiceResponse, NameServiceVerdict> filter, CancellationToken cancellationToken = default) =>
        ExchangeUntilAsync(name, createRequest, exchange, filter, CancellationToken.None, cancellationToken);

    /// <summary>
    /// <see cref="ExchangeAsync"/> with a second way to stop retransmitting: once <paramref name="stopRetransmitting"/> fires
    /// (the caller decided on what it collected, e.g. a broadcast answer verified by node status while the filter kept
    /// the schedule going) no more attempts are sent and the exchange ends with the current window, as after a
    /// <see cref="NameServiceVerdict.Collect"/>.
    /// </summary>
    internal async ValueTask<NameServiceExchangeResult> ExchangeUntilAsync(NetBiosName name, Func<ushort, NameServicePacket> createRequest,
        NameServiceExchange exchange, Func<NameServiceResponse, NameServiceVerdict> filter, CancellationToken stopRetransmitting,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(createRequest);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(exchange.Attempts, 1);
        using var transaction = _transactions.Open(name, exchange.ExpectedSource, exchange.Capacity);
        var request = createRequest(transaction.Id);
        var collected = new List<NameServiceResponse>();
        bool answered = false;
        for (int attempt = 0; attempt < exchange.Attempts && !answered && !_stopping.IsCancellationRequested && !stopRetransmitting.IsCancellationRequested;
             attempt++)
        {
            await SendAsync(request, exchange.Destination, cancellationToken).ConfigureAwait(false);
            var window = Timeout(exchange.Window, cancellationToken);
            try
            {
                while (await transaction.ReceiveAsync(window.Token).ConfigureAwait(false) is var (packet, source))
                {
                    var response = new NameServiceResponse(packet, source);
                    var verdict = filter(response);
                    switch (verdict.Kind)
                    {
                        case NameServiceVerdictKind.Finish:
                            return new NameServiceExchangeResult(transaction.Id, response, collected);
                        case NameServiceVerdictKind.Collect:
                            collected.Add(response);
                            answered = true;
                            break;
                        case NameServiceVerdictKind.WaitLonger:
                            answered = true;
                            window.Dispose();
                            window = Timeout(verdict.Wait, cancellationToken);
                            break;
                    }
                }
            }
            finally
            {
                window.Dispose();
            }

            cancellationToken.ThrowIfCancellationRequested();
        }

        return new NameServiceExchangeResult(transaction.Id, null, collected);
    }

    /// <summary>Sends a request that expects no answer (a broadcast release) with a fresh NAME_TRN_ID that no
    /// outstanding exchange uses.</summary>
    /// <param name="name">The name it is about.</param>
    /// <param name="createRequest">Builds the request for a transaction ID.</param>
    /// <param name="destination">Where to.</param>
    /// <param name="cancellationToken">Cancels sending.</param>
    /// <returns>A task that completes when it is sent.</returns>
    public async ValueTask SendRequestAsync(NetBiosName name, Func<ushort, NameServicePacket> createRequest, IPEndPoint destination,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(createRequest);
        using var transaction = _transactions.Open(name, LocalAddress, capacity: 1);
        await SendAsync(createRequest(transaction.Id), destination, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the receive loop (exchanges in progress end with what they have) and, if owned, closes the transport.</summary>
    /// <returns>A task that completes when the loop has ended.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        Task? loop;
        lock (_handlersLock)
        {
            loop = _receiveLoop;
        }

        if (loop is not null)
        {
            if (_receiveThread)
            {
                // Cancelling woke the thread (a datagram to itself); bounded, so that a wedged thread cannot hang disposal.
                try
                {
                    await loop.WaitAsync(ReceiveThreadJoinTimeout, _time).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    NameServiceLog.ReceiveError(_logger, new TimeoutException("The receive thread did not end in time; it ends with the socket."));
                }
            }
            else
            {
                await loop.ConfigureAwait(false);
            }
        }

        if (_ownsTransport)
        {
            await _transport.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask HandleDatagramAsync(ReadOnlyMemory<byte> datagram, DatagramReceiveResult received, CancellationToken cancellationToken)
    {
        Statistics.Received++;
        IPEndPoint source = received.RemoteEndPoint;

        // Answers leave from the address the request was sent to (nmbd binds a socket per address for it): a client
        // that asked a multi-homed host's second address drops an answer from the first (nmblookup, connected sockets).
        IPAddress? answerFrom = received.LocalAddress;

        // Our own broadcasts come back to us (Linux loops them to local sockets): never answer ourselves. Only
        // broadcast requests are dropped: a directed request from this very socket is the station's node talking to
        // the name server that shares its endpoint (nbt node --wins-server), and the server's answer comes back the same way.
        if (source.Port == _transport.LocalEndPoint.Port && source.Address.Equals(LocalAddress) && IsBroadcastRequest(datagram.Span))
        {
            return;
        }

        var handlers = Volatile.Read(ref _handlers);
        if (TryFastPath(datagram.Span, handlers, out int written))
        {
            // Only positive answers take this path: not rate-limited (see the remarks), no lookup per answer.
            if (written > 0)
            {
                await _transport.SendToAsync(_answerBuffer.AsMemory(0, written), source, answerFrom, cancellationToken).ConfigureAwait(false);
                Statistics.Sent++;
            }

            return;
        }

        // A response nobody waits for (a blind attacker guessing transaction IDs) is dropped before it is decoded.
        if (NameServiceHeader.TryRead(datagram.Span, out var header) && header.IsResponse && !_transactions.IsPending(header.TransactionId))
        {
            Statistics.Unsolicited++;
            LogUnsolicited(datagram.Span, source);
            return;
        }

        if (!NameServicePacket.TryDecode(datagram.Span, out var packet, out var error))
        {
            Statistics.Malformed++;
            if (_malformedLog.ShouldLog(out long count))
            {
                NameServiceLog.MalformedPacket(_logger, source, error, count);
            }

            return;
        }

        if (packet.Header.IsResponse)
        {
            if (!_transactions.TryDeliver(packet, source))
            {
                Statistics.Unsolicited++;
                LogUnsolicited(datagram.Span, source);
            }

            return;
        }

        var request = new NameServiceRequest(this, packet, source, answerFrom);
        foreach (var handler in handlers)
        {
            var result = await handler.HandleAsync(request, cancellationToken).ConfigureAwait(false);
            if (result.Handling == NameServiceHandling.Handled)
            {
                if (result.Response is { } response && AllowAnswer(response, datagram.Length, source))
                {
                    await SendAsync(response, source, answerFrom, cancellationToken).ConfigureAwait(false);
                }

                return;
            }
        }

        if (packet.Kind == NameServicePacketKind.NameQueryRequest && !request.IsBroadcast && request.QuestionName is { } name)
        {
            // RFC 1002 §4.2.14: a node asked directly about a name nobody here holds says so (as nmbd does).
            var negative = NameServicePacket.CreateNegativeQueryResponse(packet.Header.TransactionId, name, NameServiceRcode.NameError);
            if (AllowAnswer(negative, datagram.Length, source))
            {
                await SendAsync(negative, source, answerFrom, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>True for a request with the B flag, or anything too short to tell (RFC 1002 §4.2.1.1 NM_FLAGS).</summary>
    private static bool IsBroadcastRequest(ReadOnlySpan<byte> datagram) =>
        !NameServiceHeader.TryRead(datagram, out var header) || (!header.IsResponse && (header.Flags & NameServiceFlags.Broadcast) != 0);

    /// <summary>
    /// The amplification defence: a positive query answer, or an answer no longer than its request, always goes; a
    /// longer one takes a token from its destination's bucket, and without one it is dropped and counted.
    /// </summary>
    private bool AllowAnswer(NameServicePacket answer, int requestLength, IPEndPoint destination)
    {
        if (answer.Kind == NameServicePacketKind.PositiveQueryResponse || answer.GetEncodedLength() <= requestLength
            || _answerLimiter.TryAcquire(destination.Address))
        {
            return true;
        }

        Statistics.AnswersRateLimited++;
        return false;
    }

    /// <summary>Unsolicited responses, once per interval with their count; a flood of them (a blind attacker guessing
    /// transaction IDs) is reported as a suspected attack.</summary>
    private void LogUnsolicited(ReadOnlySpan<byte> datagram, IPEndPoint source)
    {
        if (!_unsolicitedLog.ShouldLog(out long count) || !NameServicePacket.TryDecode(datagram, out var packet, out _))
        {
            return;
        }

        if (count >= SuspectedAttackCount)
        {
            NameServiceLog.SuspectedAttack(_logger, count, _unsolicitedLog.Interval, packet.Kind, source);
        }
        else
        {
            NameServiceLog.Unsolicited(_logger, packet.Kind, source, packet.Header.TransactionId, count);
        }
    }

    /// <summary>
    /// Offers a plain name query to the handlers' fast paths, in order, while they have one. True when one took it
    /// (<paramref name="written"/> bytes of answer in the answer buffer, or 0 to drop it), or when every handler passed
    /// on a broadcast (nothing to answer); false to decode it and go the normal way.
    /// </summary>
    private bool TryFastPath(ReadOnlySpan<byte> datagram, INameServiceHandler[] handlers, out int written)
    {
        written = 0;
        if (!NameServiceFastPath.TryReadQuery(datagram, out var header, out var name, out var type) || header.IsResponse || type != RecordType.NB)
        {
            return false;
        }

        // Only the receive loop gets here, one datagram at a time, so one answer buffer serves every answer.
        foreach (var handler in handlers)
        {
            if (handler is not INameQueryFastPath fast)
            {
                return false;
            }

            if (fast.TryAnswerQuery(header, name, _answerBuffer, out written) == NameServiceHandling.Handled)
            {
                return true;
            }
        }

        // Nobody's: a broadcast is ignored; a directed query gets its negative answer on the normal path.
        written = 0;
        return (header.Flags & NameServiceFlags.Broadcast) != 0;
    }

    /// <summary>A token that fires after <paramref name="timeout"/> on the endpoint's clock, or with the caller's token or shutdown.</summary>
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
}
