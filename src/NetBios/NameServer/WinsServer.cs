using System.Buffers.Binary;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetBios.NameService;
using NetBios.Wire.NameService;

namespace NetBios.NameServer;

/// <summary>
/// An NBNS (WINS) server on a <see cref="NameServiceEndpoint"/> (RFC 1001 §15.1.4–15.1.7, RFC 1002 §5.1.2–5.1.4,
/// MS-NBTE §3.2; the semantics of Samba4's nbtd WINS server, which follows Windows 2003): registrations of unique
/// names, groups, special groups and multi-homed names, challenges of old owners, refreshes, releases, queries, a
/// scavenger and a change hook. docs/WINS.md has the rule table.
/// </summary>
/// <remarks>
/// <para>
/// It is a handler of the endpoint (added after the node's own responder, so the node's names are answered and
/// defended first) and answers plain queries on the endpoint's allocation-free path. The receive loop never waits on
/// the store: registrations and releases go on in the background, serialized per name, and are answered through
/// <see cref="NameServiceRequest.ReplyAsync"/> only after <see cref="IWinsStore.WriteAsync"/> completed (durable).
/// </para>
/// <para>Thread safety: all members may be called concurrently.</para>
/// </remarks>
public sealed partial class WinsServer : INameServiceHandler, INameQueryFastPath, IAsyncDisposable
{
    /// <summary>Most addresses in one fast query answer (a special group has at most 25).</summary>
    private const int MaxAnswerAddresses = 64;

    /// <summary>Most queries waiting on a store that did not answer at once (see <see cref="HandleQueryAsync"/>).</summary>
    private const int MaxBackgroundQueries = 1024;

    private readonly NameServiceEndpoint _endpoint;
    private readonly IWinsStore _store;
    private readonly WinsServerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<NetBiosName, Task> _tails = [];
    private readonly HashSet<(NetBiosName Name, IPEndPoint Source, ushort TransactionId)> _inProgress = [];
    private readonly ITimer _scavengeTimer;
    private readonly WinsHookRunner? _hook;
    private Task _scavenging = Task.CompletedTask;
    private int _pending;
    private int _backgroundQueries;
    private long _burstCount;
    private int _disposed;

    /// <summary>Creates the server and adds it as a handler of <paramref name="endpoint"/> (after those already there).</summary>
    /// <param name="endpoint">The name service endpoint (UDP 137) it answers on, shared with the node.</param>
    /// <param name="store">Where the records are kept.</param>
    /// <param name="options">Settings; defaults as Windows.</param>
    /// <param name="timeProvider">The clock of expiries, challenges and the scavenger.</param>
    /// <param name="loggerFactory">Where to log; none when null.</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public WinsServer(NameServiceEndpoint endpoint, IWinsStore store, WinsServerOptions? options = null, TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(store);
        _options = options ?? new WinsServerOptions();
        _options.Validate();
        _endpoint = endpoint;
        _store = store;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<WinsServer>();
        OwnAddress = _options.OwnAddress ?? endpoint.LocalAddress;
        if (_options.HookProgram is { Length: > 0 } program)
        {
            _hook = new WinsHookRunner(program, _options.HookTimeout, _options.HookQueueLength, _time, Statistics, _logger);
        }

        _scavengeTimer = _time.CreateTimer(_ => StartScavenge(), null, _options.ScavengeInterval, _options.ScavengeInterval);
        endpoint.AddHandler(this);
    }

    /// <summary>The server's address: the owner of the records it registers.</summary>
    public IPAddress OwnAddress { get; }

    /// <summary>The store the records are kept in.</summary>
    public IWinsStore Store => _store;

    /// <summary>Counters.</summary>
    public WinsServerStatistics Statistics { get; } = new();

    /// <summary>Registrations, refreshes and releases in progress (the burst queue).</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <inheritdoc/>
    public NameServiceHandling TryAnswerQuery(in NameServiceHeader header, in NetBiosName name, Span<byte> response, out int written)
    {
        written = 0;
        if ((header.Flags & NameServiceFlags.Broadcast) != 0 || name.Suffix == 0x1D)
        {
            return NameServiceHandling.NotMine; // a WINS server answers no broadcasts; <1D> is NAM_ERR on the normal path
        }

        var find = _store.FindAsync(name);
        if (!find.IsCompletedSuccessfully)
        {
            Observe(find);
            return NameServiceHandling.NotMine; // a database: the normal path answers it without blocking the loop
        }

        if (find.Result is not { } record)
        {
            return NameServiceHandling.NotMine;
        }

        var now = _time.GetUtcNow();
        var flags = Flags(record);
        Span<uint> addresses = stackalloc uint[MaxAnswerAddresses];
        int count = 0;
        if (record.Type == WinsRecordType.Group)
        {
            addresses[count++] = uint.MaxValue;
        }
        else if (WinsRules.IsLive(record, now))
        {
            Span<byte> bytes = stackalloc byte[4];
            foreach (var member in record.Addresses)
            {
                if (count < MaxAnswerAddresses && (record.IsStatic || member.Expires > now) && member.Address.TryWriteBytes(bytes, out int length) && length == 4)
                {
                    addresses[count++] = BinaryPrimitives.ReadUInt32BigEndian(bytes);
                }
            }
        }

        if (count == 0 || !NameServiceFastPath.TryWritePositiveQueryResponse(response, header.TransactionId, name, AnswerTtl(record, now), flags,
                addresses[..count], out written))
        {
            written = 0;
            return NameServiceHandling.NotMine;
        }

        Interlocked.Increment(ref Statistics.QueriesField);
        return NameServiceHandling.Handled;
    }

    /// <inheritdoc/>
    public ValueTask<NameServiceHandlerResult> HandleAsync(NameServiceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.IsBroadcast || request.QuestionName is not { } name || _disposed != 0)
        {
            return ValueTask.FromResult(NameServiceHandlerResult.NotMine); // nbtd: a WINS server ignores broadcasts
        }

        switch (request.Packet.Kind)
        {
            case NameServicePacketKind.NameQueryRequest:
                return HandleQueryAsync(request, name, cancellationToken);
            case NameServicePacketKind.NameRegistrationRequest:
            case NameServicePacketKind.NameOverwriteRequest:
            case NameServicePacketKind.NameRefreshRequest:
            case NameServicePacketKind.MultiHomedRegistrationRequest:
                return ValueTask.FromResult(HandleRegistration(request));
            case NameServicePacketKind.NameReleaseRequest:
                return ValueTask.FromResult(HandleRelease(request));
            default:
                return ValueTask.FromResult(NameServiceHandlerResult.NotMine);
        }
    }

    /// <summary>One scavenger sweep now (the timer runs one every <see cref="WinsServerOptions.ScavengeInterval"/>):
    /// every record that is due moves on one step (active → released → tombstone → deleted).</summary>
    /// <param name="cancellationToken">Cancels the sweep.</param>
    /// <returns>The number of records changed or deleted.</returns>
    public async Task<int> ScavengeAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var due = new List<WinsRecord>();
        await foreach (var record in _store.EnumerateDueAsync(now, cancellationToken).ConfigureAwait(false))
        {
            due.Add(record);
        }

        int changed = 0;
        foreach (var record in due)
        {
            var next = WinsRules.Scavenge(record, now, _options);
            if (ReferenceEquals(next, record))
            {
                continue;
            }

            var written = await ChangeAsync(record.Name, record.Version, next, cancellationToken).ConfigureAwait(false);
            if (written is { Succeeded: true })
            {
                changed++;
                Interlocked.Increment(ref Statistics.ScavengedField);
                if (next is null || next.State != WinsRecordState.Active)
                {
                    Hook(next is null ? "delete" : "release", record, 0);
                }
            }
        }

        if (changed > 0)
        {
            WinsLog.Scavenged(_logger, changed);
        }

        return changed;
    }

    /// <summary>
    /// Deletes a name's record as an administrator does (<c>nbt wins delete</c> through nbtd; docs/IPC.md "WINS
    /// operations"): serialized with the name's requests (never in the middle of a registration or challenge), only if
    /// the record still has <paramref name="expectedVersion"/> (what the administrator saw), then the change hook runs
    /// with <c>delete</c> as for a scavenged record. A client that still holds the name registers it again at its next
    /// refresh.
    /// </summary>
    /// <param name="name">The name with its suffix and scope.</param>
    /// <param name="expectedVersion">The version the administrator read.</param>
    /// <param name="cancellationToken">Cancels waiting (a delete already committed stays committed).</param>
    /// <returns>Success; or the record now (null when absent) when it changed meanwhile; or null when the store failed
    /// (logged as the scavenger's failures are).</returns>
    /// <exception cref="ObjectDisposedException">The server was disposed.</exception>
    public async Task<WinsWriteResult?> DeleteAsync(NetBiosName name, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var before = await _store.FindAsync(name, cancellationToken).ConfigureAwait(false);
        if (before is null || before.Version != expectedVersion)
        {
            return new WinsWriteResult(false, before);
        }

        var written = await ChangeAsync(name, expectedVersion, null, cancellationToken).ConfigureAwait(false);
        if (written is { Succeeded: true })
        {
            Hook("delete", before, 0);
        }

        return written;
    }

    /// <summary>Writes <paramref name="next"/> (null: deletes) in the name's queue, if the record still has
    /// <paramref name="expectedVersion"/>; null when the store failed (counted and logged).</summary>
    private async Task<WinsWriteResult?> ChangeAsync(NetBiosName name, long expectedVersion, WinsRecord? next, CancellationToken cancellationToken)
    {
        var step = new TaskCompletionSource<WinsWriteResult?>(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(name, async ct =>
        {
            try
            {
                step.TrySetResult(next is null
                    ? await _store.DeleteAsync(name, expectedVersion, ct).ConfigureAwait(false)
                    : await _store.WriteAsync(next, expectedVersion, ct).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Interlocked.Increment(ref Statistics.StoreFailuresField);
                WinsLog.StoreFailure(_logger, name, ex);
                step.TrySetResult(null);
            }
            finally
            {
                step.TrySetResult(null);
            }
        });
        return await step.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes the server from its endpoint, stops the scavenger and waits for the requests in progress.</summary>
    /// <returns>A task that completes when everything has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _endpoint.RemoveHandler(this);
        await _scavengeTimer.DisposeAsync().ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        Task[] running;
        lock (_gate)
        {
            running = [.. _tails.Values, _scavenging];
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        if (_hook is not null)
        {
            await _hook.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    /// <summary>Lets a read that was not waited for finish on its own (its result or failure is of no use any more).</summary>
    private static void Observe(ValueTask<WinsRecord?> find) =>
        _ = find.AsTask().ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    private static NbFlags Flags(WinsRecord record) =>
        (NbFlags)((ushort)record.NodeType << 13) | (record.Type is WinsRecordType.Group or WinsRecordType.SpecialGroup ? NbFlags.Group : NbFlags.None);

    /// <summary>The TTL of a query answer: what is left of the record's life (at least 1 s).</summary>
    private static uint AnswerTtl(WinsRecord record, DateTimeOffset now) =>
        record.IsStatic ? uint.MaxValue : (uint)Math.Clamp((record.Expires - now).TotalSeconds, 1, uint.MaxValue);

    /// <summary>
    /// A query on the normal path (RFC 1002 §5.1.4.1, nbtd winsserver.c query): a normal group answers
    /// 255.255.255.255, a live unique, multi-homed or special group name its live addresses; <c>&lt;1D&gt;</c> and
    /// anything else NAM_ERR. A store that does not answer at once (a database) is awaited in the background, never on
    /// the receive loop, with at most <see cref="MaxBackgroundQueries"/> such queries at a time (more are dropped: the
    /// client asks again).
    /// </summary>
    private ValueTask<NameServiceHandlerResult> HandleQueryAsync(NameServiceRequest request, NetBiosName name, CancellationToken cancellationToken)
    {
        ushort id = request.Packet.Header.TransactionId;
        if (name.Suffix == 0x1D)
        {
            return ValueTask.FromResult(QueryAnswer(id, name, null));
        }

        ValueTask<WinsRecord?> find;
        try
        {
            find = _store.FindAsync(name, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return ValueTask.FromResult(QueryFailed(id, name, ex));
        }

        if (find.IsCompletedSuccessfully)
        {
            return ValueTask.FromResult(QueryAnswer(id, name, find.Result));
        }

        if (Interlocked.Increment(ref _backgroundQueries) > MaxBackgroundQueries)
        {
            Interlocked.Decrement(ref _backgroundQueries);
            Observe(find);
            return ValueTask.FromResult(NameServiceHandlerResult.Ignored);
        }

        _ = AnswerLaterAsync(request, id, name, find.AsTask(), cancellationToken);
        return ValueTask.FromResult(NameServiceHandlerResult.Ignored);
    }

    private async Task AnswerLaterAsync(NameServiceRequest request, ushort id, NetBiosName name, Task<WinsRecord?> find, CancellationToken cancellationToken)
    {
        try
        {
            NameServiceHandlerResult answer;
            try
            {
                answer = QueryAnswer(id, name, await find.ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                answer = QueryFailed(id, name, ex);
            }

            await SendQuietlyAsync(request, answer.Response!, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
        finally
        {
            Interlocked.Decrement(ref _backgroundQueries);
        }
    }

    private NameServiceHandlerResult QueryFailed(ushort id, NetBiosName name, Exception exception)
    {
        Interlocked.Increment(ref Statistics.StoreFailuresField);
        WinsLog.StoreFailure(_logger, name, exception);
        return NameServiceHandlerResult.Answer(NameServicePacket.CreateNegativeQueryResponse(id, name, NameServiceRcode.ServerFailure));
    }

    private NameServiceHandlerResult QueryAnswer(ushort id, NetBiosName name, WinsRecord? record)
    {
        var now = _time.GetUtcNow();
        if (record is not null && name.Suffix != 0x1D)
        {
            var addresses = record.Type == WinsRecordType.Group ? [WinsRules.GroupAddress]
                : WinsRules.IsLive(record, now) ? WinsRules.LiveAddresses(record, now) : [];
            if (addresses.Count > 0)
            {
                var flags = Flags(record);
                Interlocked.Increment(ref Statistics.QueriesField);
                return NameServiceHandlerResult.Answer(NameServicePacket.CreatePositiveQueryResponse(id, name, AnswerTtl(record, now),
                    [.. addresses.Take(MaxAnswerAddresses).Select(a => new NbAddressEntry(flags, a))]));
            }
        }

        Interlocked.Increment(ref Statistics.QueriesNotFoundField);
        return NameServiceHandlerResult.Answer(NameServicePacket.CreateNegativeQueryResponse(id, name, NameServiceRcode.NameError));
    }

    private NameServiceHandlerResult HandleRegistration(NameServiceRequest request)
    {
        ushort id = request.Packet.Header.TransactionId;
        if (!WinsRequest.TryCreate(request, out var parsed))
        {
            return NameServiceHandlerResult.Answer(NameServicePacket.CreateNegativeRegistrationResponse(id, request.QuestionName!.Value,
                NameServiceRcode.FormatError, NbFlags.None, IPAddress.Any));
        }

        var key = (parsed.Name, request.Source, id);
        int pending = Volatile.Read(ref _pending);
        if (pending >= _options.BurstThreshold && parsed.Kind != NameServicePacketKind.MultiHomedRegistrationRequest && IsBurstSafe(parsed))
        {
            // Windows burst handling: an immediate yes with a short TTL, varied by how deep the queue is, so that the
            // clients come back spread out instead of retrying at once. Nothing is written.
            long n = Interlocked.Increment(ref _burstCount);
            var ttl = TimeSpan.FromTicks(Math.Min(_options.BurstMaximumTtl.Ticks, _options.BurstMinimumTtl.Ticks * (1 + ((n - 1) / _options.BurstStep))));
            Interlocked.Increment(ref Statistics.BurstAnswersField);
            if (n % _options.BurstStep == 1)
            {
                WinsLog.Burst(_logger, pending, ttl);
            }

            return NameServiceHandlerResult.Answer(NameServicePacket.CreatePositiveRegistrationResponse(id, parsed.Name, (uint)ttl.TotalSeconds, parsed.Flags, parsed.Address));
        }

        if (!TryBegin(key))
        {
            Interlocked.Increment(ref Statistics.ResendsAbsorbedField);
            return NameServiceHandlerResult.Ignored;
        }

        Enqueue(parsed.Name, ct => RegisterAsync(request, parsed, key, ct));
        return NameServiceHandlerResult.Ignored;
    }

    /// <summary>In burst mode only a name that is free or already the requester's is answered at once (read without
    /// waiting); a conflict takes the normal way.</summary>
    private bool IsBurstSafe(in WinsRequest request)
    {
        var find = _store.FindAsync(request.Name);
        if (!find.IsCompletedSuccessfully)
        {
            Observe(find);
            return false;
        }

        var now = _time.GetUtcNow();
        return find.Result is not { } record || !WinsRules.IsLive(record, now)
            || (!record.IsStatic && WinsRules.DecideRegistration(record, request, now, _options, OwnAddress).Kind == WinsDecisionKind.Write);
    }

    private NameServiceHandlerResult HandleRelease(NameServiceRequest request)
    {
        ushort id = request.Packet.Header.TransactionId;
        if (!WinsRequest.TryCreate(request, out var parsed))
        {
            return NameServiceHandlerResult.Answer(NameServicePacket.CreateReleaseResponse(id, request.QuestionName!.Value, NbFlags.None, IPAddress.Any,
                NameServiceRcode.FormatError));
        }

        var key = (parsed.Name, request.Source, id);
        if (!TryBegin(key))
        {
            Interlocked.Increment(ref Statistics.ResendsAbsorbedField);
            return NameServiceHandlerResult.Ignored;
        }

        Enqueue(parsed.Name, ct => ReleaseAsync(request, parsed, key, ct));
        return NameServiceHandlerResult.Ignored;
    }

    private bool TryBegin((NetBiosName, IPEndPoint, ushort) key)
    {
        lock (_gate)
        {
            return _inProgress.Add(key);
        }
    }

    private void End((NetBiosName, IPEndPoint, ushort) key)
    {
        lock (_gate)
        {
            _inProgress.Remove(key);
        }
    }

    /// <summary>Runs <paramref name="work"/> after the work already queued for <paramref name="name"/> (per-name
    /// serialization), never on the caller's thread.</summary>
    private void Enqueue(NetBiosName name, Func<CancellationToken, Task> work)
    {
        Interlocked.Increment(ref _pending);
        lock (_gate)
        {
            _tails.TryGetValue(name, out var previous);
            var task = RunAfterAsync(previous, name, work);
            _tails[name] = task;
            _ = task.ContinueWith(
                t =>
                {
                    lock (_gate)
                    {
                        if (_tails.TryGetValue(name, out var tail) && tail == t)
                        {
                            _tails.Remove(name);
                        }
                    }

                    Interlocked.Decrement(ref _pending);
                },
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task RunAfterAsync(Task? previous, NetBiosName name, Func<CancellationToken, Task> work)
    {
        await Task.Yield();
        if (previous is not null)
        {
            await previous.ConfigureAwait(false); // never faults: every work item catches its own errors
        }

        try
        {
            await work(_stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // stopping
        }
        catch (Exception ex)
        {
            WinsLog.RequestFailed(_logger, name, ex);
        }
    }

    private void StartScavenge()
    {
        lock (_gate)
        {
            if (_disposed != 0 || !_scavenging.IsCompleted)
            {
                return;
            }

            _scavenging = Task.Run(async () =>
            {
                try
                {
                    await ScavengeAsync(_stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // stopping
                }
                catch (Exception ex)
                {
                    Interlocked.Increment(ref Statistics.StoreFailuresField);
                    WinsLog.StoreFailure(_logger, NetBiosName.Wildcard, ex);
                }
            });
        }
    }

    private void Hook(string operation, WinsRecord record, uint ttl)
    {
        if (_hook is null)
        {
            return;
        }

        var arguments = new List<string>(5 + record.Addresses.Length)
        {
            operation,
            WinsHookArguments.FormatName(record.Name),
            record.Name.Suffix.ToString("X2", System.Globalization.CultureInfo.InvariantCulture),
            ttl.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        arguments.AddRange(record.Type == WinsRecordType.Group ? [WinsRules.GroupAddress.ToString()] : record.Addresses.Select(a => a.Address.ToString()));
        _hook.Enqueue([.. arguments]);
    }
}
