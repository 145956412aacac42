using System.Net;

namespace NetBios.NameService;

/// <summary>
/// Single-flight and a short cache of NODE STATUS results (RFC 1002 §4.2.17 request, §4.2.18 response) per address, for
/// the verification of broadcast answers only (<see cref="BroadcastClaimChecks"/>, docs/BROADCAST-VERIFICATION.md). One
/// node status lists all of a host's names, so one answer can verify every name it claims: concurrent checks of any
/// names claimed by one address share one exchange in flight, and a found answer is reused for
/// <see cref="NameServiceOptions.NodeStatusCacheLifetime"/>. Without this, a station resolving more than about 5 names a
/// second of one host by broadcast runs into that host's node status rate limit (our own responder: a burst of 10, then
/// 5 a second per asker) and its checks wait out UCAST_REQ_RETRY_TIMEOUT.
/// </summary>
/// <remarks>
/// <para>
/// What is shared: a found answer, for the lifetime, and while in flight any result, a timeout included (each waiter
/// of the exchange gets it; it is not kept afterwards, so the next check asks again). An exception of the exchange (the
/// request could not be sent) reaches its waiters and is not kept either.
/// </para>
/// <para>
/// Security: an entry is only ever the claimed address's own answer to our request, through the same exchange as an
/// uncached check (TRN_ID, reply source and name checks unchanged), keyed by the address alone; an impostor can put an
/// entry in only by answering node status from the claimed address, which it could do for an uncached check just as
/// well. Staleness never refutes: a cached (or already in-flight) answer that lacks the name is not taken as a
/// refutation, because the host may have registered the name since; the check then asks again with an exchange started
/// after it asked, and only such a fresh answer refutes. A cached answer that holds the name verifies it; it is at most
/// the lifetime old, and the host has just claimed the name in answer to our broadcast.
/// </para>
/// <para>
/// Bounds: at most <see cref="MaxEntries"/> cached addresses (expired ones are dropped first, then the oldest); an
/// in-flight exchange is removed when it ends, and each is bounded by its unicast schedule (UCAST_REQ_RETRY_COUNT ×
/// UCAST_REQ_RETRY_TIMEOUT) or the endpoint stopping. A waiter's cancellation ends its own wait only: the exchange runs
/// under no caller's token, so the other waiters still get its result. Time comes from the resolver's
/// <see cref="TimeProvider"/>. Thread safety: every member may be called concurrently; nothing blocks a thread (one
/// short lock around the tables).
/// </para>
/// </remarks>
internal sealed class NodeStatusCache
{
    /// <summary>Most addresses whose found answer is kept (each entry holds one parsed node status, under 600 bytes on
    /// the wire).</summary>
    public const int DefaultMaxEntries = 256;

    /// <summary>Rounds of one lookup: a stale (cached or earlier in-flight) answer lacking the name, then an in-flight
    /// exchange started before the lookup, then a fresh exchange (see <see cref="GetAsync"/>).</summary>
    private const int MaxRounds = 3;

    private readonly Func<IPAddress, CancellationToken, ValueTask<NodeStatusResult>> _exchange;
    private readonly Func<TimeSpan> _lifetime;
    private readonly TimeProvider _time;
    private readonly Dictionary<IPAddress, Cached> _cached = [];
    private readonly Dictionary<IPAddress, Flight> _inFlight = [];
    private readonly Lock _lock = new();
    private long _flights;

    /// <summary>Creates an empty cache.</summary>
    /// <param name="exchange">Sends a NODE STATUS REQUEST to an address and waits for its answer or timeout (it is called
    /// with <see cref="CancellationToken.None"/>: it must end by its own schedule).</param>
    /// <param name="lifetime">How long a found answer is reused, read at each use; zero or less: not reused (in-flight
    /// exchanges are still shared).</param>
    /// <param name="time">The clock of the lifetime.</param>
    /// <param name="maxEntries">Most cached addresses.</param>
    public NodeStatusCache(Func<IPAddress, CancellationToken, ValueTask<NodeStatusResult>> exchange, Func<TimeSpan> lifetime, TimeProvider time,
        int maxEntries = DefaultMaxEntries)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        _exchange = exchange;
        _lifetime = lifetime;
        _time = time;
        MaxEntries = maxEntries;
    }

    /// <summary>Most cached addresses.</summary>
    public int MaxEntries { get; }

    /// <summary>Exchanges started (each one NODE STATUS REQUEST schedule).</summary>
    public long ExchangesStarted => Interlocked.Read(ref _flights);

    /// <summary>Addresses whose found answer is cached now (expired ones included until they are dropped).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _cached.Count;
            }
        }
    }

    /// <summary>Whether a found answer of <paramref name="address"/> is cached and not expired.</summary>
    public bool Contains(IPAddress address)
    {
        lock (_lock)
        {
            return _cached.TryGetValue(address, out var entry) && !Expired(entry, _time.GetUtcNow());
        }
    }

    /// <summary>
    /// The node status of <paramref name="address"/> to check its claim to <paramref name="name"/>: a cached found answer
    /// that holds the name, else the result of the exchange in flight to that address, else of a new one. An answer that
    /// lacks the name is returned only from an exchange started after this call (a fresh answer); a timeout is returned
    /// as the exchange ended.
    /// </summary>
    /// <param name="address">The claimed address (the cache key).</param>
    /// <param name="name">The name claimed.</param>
    /// <param name="cancellationToken">Ends this wait (the shared exchange goes on for its other waiters).</param>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public async ValueTask<NodeStatusResult> GetAsync(IPAddress address, NetBiosName name, CancellationToken cancellationToken)
    {
        long asked = Interlocked.Read(ref _flights);
        NodeStatusResult result = default!;
        for (int round = 0; round < MaxRounds; round++)
        {
            Flight flight;
            lock (_lock)
            {
                if (_cached.TryGetValue(address, out var entry))
                {
                    if (Expired(entry, _time.GetUtcNow()))
                    {
                        _cached.Remove(address);
                    }
                    else if (BroadcastClaimChecks.Holds(entry.Result, name) || entry.Sequence > asked)
                    {
                        // It verifies the claim, or it is an answer to a request sent after this lookup began.
                        return entry.Result;
                    }
                }

                if (!_inFlight.TryGetValue(address, out flight!))
                {
                    flight = Start(address);
                }
            }

            result = await flight.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (result.Outcome != QueryOutcome.Found || BroadcastClaimChecks.Holds(result, name) || flight.Sequence > asked)
            {
                return result;
            }

            // An answer from before this lookup that lacks the name: the host may have registered it since; ask again.
        }

        return result;
    }

    /// <summary>Starts an exchange (under the lock); it removes itself when done and caches a found answer.</summary>
    private Flight Start(IPAddress address)
    {
        long sequence = Interlocked.Increment(ref _flights);
        var flight = new Flight(sequence);
        _inFlight[address] = flight;

        // Registered under the lock, so that no second flight to the address can start; the exchange itself runs after
        // RunAsync's first yield, outside the lock.
        flight.Task = RunAsync(address, flight);

        // Observed even when every waiter was cancelled (a send that failed must not surface as an unobserved exception).
        _ = flight.Task.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return flight;
    }

    private async Task<NodeStatusResult> RunAsync(IPAddress address, Flight flight)
    {
        await Task.Yield(); // Never run the exchange's synchronous part under the caller's lock.
        NodeStatusResult? result = null;
        try
        {
            result = await _exchange(address, CancellationToken.None).ConfigureAwait(false);
            return result;
        }
        finally
        {
            lock (_lock)
            {
                if (_inFlight.TryGetValue(address, out var current) && current == flight)
                {
                    _inFlight.Remove(address);
                }

                var lifetime = _lifetime();
                if (result is { Outcome: QueryOutcome.Found } && lifetime > TimeSpan.Zero)
                {
                    Add(address, new Cached(result, _time.GetUtcNow() + lifetime, flight.Sequence));
                }
            }
        }
    }

    /// <summary>Adds or replaces an entry (under the lock), keeping at most <see cref="MaxEntries"/>: expired entries go
    /// first, then the oldest. A linear scan of at most <see cref="MaxEntries"/> entries, only when full.</summary>
    private void Add(IPAddress address, Cached entry)
    {
        if (!_cached.ContainsKey(address) && _cached.Count >= MaxEntries)
        {
            var now = _time.GetUtcNow();
            foreach (var expired in _cached.Where(e => Expired(e.Value, now)).Select(e => e.Key).ToList())
            {
                _cached.Remove(expired);
            }

            if (_cached.Count >= MaxEntries)
            {
                _cached.Remove(_cached.MinBy(e => e.Value.Sequence).Key);
            }
        }

        _cached[address] = entry;
    }

    private static bool Expired(Cached entry, DateTimeOffset now) => now >= entry.Expires;

    /// <summary>A found answer and when it stops being reused; <see cref="Sequence"/> orders entries by age.</summary>
    private sealed record Cached(NodeStatusResult Result, DateTimeOffset Expires, long Sequence);

    /// <summary>One exchange in flight; <see cref="Sequence"/> tells whether it started after a given lookup.</summary>
    private sealed class Flight(long sequence)
    {
        public long Sequence { get; } = sequence;

        public Task<NodeStatusResult> Task { get; set; } = null!;
    }
}
