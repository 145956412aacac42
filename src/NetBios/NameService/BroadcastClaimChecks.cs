using System.Net;
using System.Net.Sockets;
using NetBios.Wire.NameService;

namespace NetBios.NameService;

/// <summary>
/// The node status checks of one broadcast NAME QUERY REQUEST (RFC 1002 §5.1.1.3; docs/RELIABILITY.md: a claim from
/// the network is checked before it costs a user anything). Each distinct address that claims the unique name is asked
/// for its node status (RFC 1002 §4.2.17, answered by §4.2.18) as soon as its answer arrives, at most once per query
/// and for at most a bounded number of addresses; the claim is verified when the claimed node's own name table holds the
/// name, unique and active. The first verified claim fires <see cref="FirstVerified"/>, which stops the broadcast's
/// retransmissions (its current window still collects the answers of other claimants).
/// </summary>
/// <remarks>Thread safety: <see cref="Check"/> is called from the exchange's filter (one at a time) while checks
/// complete on other threads; every member may be called concurrently.</remarks>
internal sealed class BroadcastClaimChecks : IDisposable
{
    private readonly NetBiosName _name;
    private readonly int _maxChecks;
    private readonly Func<IPAddress, CancellationToken, ValueTask<NodeStatusResult>> _nodeStatus;
    private readonly CancellationTokenSource _checksCancel;
    private readonly CancellationTokenSource _verified = new();
    private readonly TaskCompletionSource _firstVerified = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<IPAddress, ClaimStatus> _status = [];
    private readonly List<Task> _checks = [];
    private readonly Lock _lock = new();

    /// <summary>Creates the checks of one query.</summary>
    /// <param name="name">The name queried (with its scope).</param>
    /// <param name="maxChecks">Most addresses checked in the query (later claims stay <see cref="ClaimStatus.Unchecked"/>).</param>
    /// <param name="nodeStatus">The node status of an address for this name, and the wait for it (or its timeout): the
    /// resolver's <see cref="NodeStatusCache"/>, whose exchanges are shared by the checks of every query and go on
    /// when one check stops waiting.</param>
    /// <param name="cancellationToken">The query's token: ends the wait of every check still out.</param>
    public BroadcastClaimChecks(NetBiosName name, int maxChecks, Func<IPAddress, CancellationToken, ValueTask<NodeStatusResult>> nodeStatus,
        CancellationToken cancellationToken)
    {
        _name = name;
        _maxChecks = maxChecks;
        _nodeStatus = nodeStatus;
        _checksCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    /// <summary>Fires when the first claim is verified.</summary>
    public CancellationToken FirstVerified => _verified.Token;

    /// <summary>How many NODE STATUS checks were started (each one exchange, at most once per address).</summary>
    public int Started
    {
        get
        {
            lock (_lock)
            {
                return _checks.Count;
            }
        }
    }

    /// <summary>Whether a node's status shows it holding <paramref name="name"/> unique and active (not in conflict,
    /// not being released): RFC 1002 §4.2.18 NAME_FLAGS (G, CNF, DRG, ACT).</summary>
    public static bool Holds(NodeStatusResult status, NetBiosName name) =>
        status.Outcome == QueryOutcome.Found
        && status.Names.Any(n => n.Name.BytesEqual(name) && !n.IsGroup
            && (n.Flags & (NodeStatusNameFlags.Conflict | NodeStatusNameFlags.Deregistering)) == 0);

    /// <summary>Starts the check of a claimed address, unless it was already checked in this query or the bound is reached.</summary>
    /// <param name="address">The claimed address (the one a caller would connect to), not the responder's.</param>
    public void Check(IPAddress address)
    {
        lock (_lock)
        {
            if (_status.ContainsKey(address))
            {
                return;
            }

            if (_checks.Count >= _maxChecks || _checksCancel.IsCancellationRequested)
            {
                _status[address] = ClaimStatus.Unchecked;
                return;
            }

            _status[address] = ClaimStatus.Pending;
        }

        // Started outside the lock: a check whose exchange ends synchronously records its result under the lock.
        var check = RunAsync(address);
        lock (_lock)
        {
            _checks.Add(check);
        }
    }

    /// <summary>What the check of <paramref name="address"/> found; <see cref="ClaimStatus.Unchecked"/> for an address
    /// never claimed.</summary>
    public ClaimStatus StatusOf(IPAddress address)
    {
        lock (_lock)
        {
            return _status.GetValueOrDefault(address, ClaimStatus.Unchecked);
        }
    }

    /// <summary>
    /// Waits for the checks started, once no more will start (the exchange ended): until one verifies and then at most
    /// <paramref name="grace"/> more for the others still out (a second holder of the name is a conflict), or until
    /// all have ended (each is bounded by its own unicast schedule). Checks still out after that stay pending and are
    /// cancelled by <see cref="Dispose"/>.
    /// </summary>
    /// <param name="time">The clock of the grace period.</param>
    /// <param name="grace">How long other checks may still take once one verified.</param>
    /// <param name="cancellationToken">The query's token.</param>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public async Task WhenSettledAsync(TimeProvider time, TimeSpan grace, CancellationToken cancellationToken)
    {
        Task all;
        lock (_lock)
        {
            all = Task.WhenAll(_checks);
        }

        if (!_firstVerified.Task.IsCompleted)
        {
            await Task.WhenAny(all, _firstVerified.Task).WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_firstVerified.Task.IsCompleted && !all.IsCompleted)
        {
            using var graceCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(grace, time, graceCancel.Token);
            await Task.WhenAny(all, delay).ConfigureAwait(false);
            await graceCancel.CancelAsync().ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Ends the wait of the checks still out (their addresses stay <see cref="ClaimStatus.Pending"/> or become
    /// <see cref="ClaimStatus.Unchecked"/>); a shared exchange goes on by its own schedule for its other waiters.</summary>
    public void Dispose()
    {
        _checksCancel.Cancel();
        Task all;
        lock (_lock)
        {
            all = Task.WhenAll(_checks);
        }

        // Disposed once the cancelled checks have ended (each ends at its next await), never under one still running.
        _ = all.ContinueWith(static (_, cts) => ((CancellationTokenSource)cts!).Dispose(), _checksCancel, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task RunAsync(IPAddress address)
    {
        ClaimStatus status;
        try
        {
            var result = await _nodeStatus(address, _checksCancel.Token).ConfigureAwait(false);
            status = result.Outcome != QueryOutcome.Found ? ClaimStatus.Unanswered : Holds(result, _name) ? ClaimStatus.Verified : ClaimStatus.Refuted;
        }
        catch (OperationCanceledException)
        {
            status = ClaimStatus.Unchecked;
        }
        catch (SocketException)
        {
            // The request could not be sent (no route to the claimed address): nobody answered it.
            status = ClaimStatus.Unanswered;
        }
        catch (ObjectDisposedException)
        {
            status = ClaimStatus.Unchecked;
        }

        lock (_lock)
        {
            _status[address] = status;
        }

        if (status == ClaimStatus.Verified && _firstVerified.TrySetResult())
        {
            // Never disposed (it has no timer): the exchange that linked it may still be reading it.
            await _verified.CancelAsync().ConfigureAwait(false);
        }
    }
}
