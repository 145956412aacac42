using System.Net;
using NetBios.Wire.NameService;

namespace NetBios.NameService;

public sealed partial class NameServiceNode
{
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
            result = await RegisterOnNetworkAsync(entry!, cancellationToken).ConfigureAwait(false);
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

        Log.Registered(_logger, name, name.Scope.Length == 0 ? string.Empty : "." + name.Scope, result.Ttl);
        ScheduleRefresh(entry!);
        return result;
    }

    /// <summary>
    /// Releases a name (RFC 1002 §5.1.1.5 / §5.1.2.5): a release request to the name server that holds it, or a
    /// broadcast release, then removes it from the table.
    /// </summary>
    /// <returns>False when the name was not in the table.</returns>
    /// <exception cref="ObjectDisposedException">The node was disposed.</exception>
    public async ValueTask<bool> ReleaseAsync(NetBiosName name, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (Names.Find(ApplyScope(name)) is not { } entry)
        {
            return false;
        }

        await ReleaseEntryAsync(entry, cancellationToken).ConfigureAwait(false);
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
    public async ValueTask<NameReleaseResult> ReleaseForeignAsync(NetBiosName name, bool isGroup, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        name = ApplyScope(name);
        var flags = NbFlagsFor(isGroup, NodeType);
        if (_options.NameServers.Count == 0)
        {
            using var transaction = _transactions.Open(name, Address, capacity: 1);
            await SendAsync(NameServicePacket.CreateReleaseRequest(transaction.Id, name, flags, Address, broadcast: true), BroadcastEndPoint, cancellationToken)
                .ConfigureAwait(false);
            return new NameReleaseResult(name, ReleaseOutcome.Broadcast, null, null);
        }

        NameReleaseResult? result = null;
        foreach (var server in _options.NameServers)
        {
            var response = await ReleaseWithServerAsync(name, flags, server, cancellationToken).ConfigureAwait(false);
            result ??= response is null
                ? new NameReleaseResult(name, ReleaseOutcome.Timeout, null, server)
                : new NameReleaseResult(name, response.Header.Rcode == NameServiceRcode.Ok ? ReleaseOutcome.Released : ReleaseOutcome.Refused,
                    response.Header.Rcode == NameServiceRcode.Ok ? null : response.Header.Rcode, server);
        }

        return result!;
    }

    /// <summary>NAME RELEASE REQUEST to one name server, retried; its response, or null when it never answered.</summary>
    private async ValueTask<NameServicePacket?> ReleaseWithServerAsync(NetBiosName name, NbFlags flags, IPEndPoint server, CancellationToken cancellationToken)
    {
        using var transaction = _transactions.Open(name, server.Address, capacity: 4);
        var request = NameServicePacket.CreateReleaseRequest(transaction.Id, name, flags, Address, broadcast: false);
        for (int attempt = 0; attempt < _options.UnicastRetryCount; attempt++)
        {
            await SendAsync(request, server, cancellationToken).ConfigureAwait(false);
            using var window = Timeout(_options.UnicastRetryTimeout, cancellationToken);
            if (await transaction.ReceiveAsync(window.Token).ConfigureAwait(false) is { } response)
            {
                return response.Packet;
            }

            cancellationToken.ThrowIfCancellationRequested();
        }

        return null;
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
    public NetBiosName ApplyScope(NetBiosName name) =>
        name.Scope.Length == 0 && !string.IsNullOrEmpty(_options.Scope) ? name.WithScope(_options.Scope) : name;

    private async ValueTask<NameRegistrationResult> RegisterOnNetworkAsync(LocalName entry, CancellationToken cancellationToken)
    {
        switch (NodeType)
        {
            case NodeType.P:
                return await RegisterWithServersAsync(entry, cancellationToken).ConfigureAwait(false);
            case NodeType.M:
            {
                var broadcast = await RegisterByBroadcastAsync(entry, cancellationToken).ConfigureAwait(false);
                if (!broadcast.Succeeded)
                {
                    return broadcast;
                }

                var server = await RegisterWithServersAsync(entry, cancellationToken).ConfigureAwait(false);
                return server.Outcome == RegistrationOutcome.Timeout ? broadcast : server;
            }

            case NodeType.H:
            {
                var server = await RegisterWithServersAsync(entry, cancellationToken).ConfigureAwait(false);
                return server.Outcome == RegistrationOutcome.Timeout
                    ? await RegisterByBroadcastAsync(entry, cancellationToken).ConfigureAwait(false)
                    : server;
            }

            default:
                return await RegisterByBroadcastAsync(entry, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// B-mode registration (RFC 1002 §5.1.1.1): the request is broadcast BCAST_REQ_RETRY_COUNT times,
    /// BCAST_REQ_RETRY_TIMEOUT apart; a negative response from an owner means the name is taken; silence means it is
    /// ours, announced with a NAME OVERWRITE DEMAND (§4.2.3).
    /// </summary>
    private async ValueTask<NameRegistrationResult> RegisterByBroadcastAsync(LocalName entry, CancellationToken cancellationToken)
    {
        var flags = NbFlagsFor(entry.IsGroup, NodeType);
        uint ttl = RegistrationTtlSeconds;
        using var transaction = _transactions.Open(entry.Name, expectedSource: null, _options.MaxAnswers);
        var request = NameServicePacket.CreateRegistrationRequest(transaction.Id, entry.Name, ttl, flags, Address, broadcast: true, recursionDesired: true);
        for (int attempt = 0; attempt < _options.BroadcastRetryCount; attempt++)
        {
            await SendAsync(request, BroadcastEndPoint, cancellationToken).ConfigureAwait(false);
            using var window = Timeout(_options.BroadcastRetryTimeout, cancellationToken);
            while (await transaction.ReceiveAsync(window.Token).ConfigureAwait(false) is var (response, source))
            {
                if (response.Kind == NameServicePacketKind.NegativeRegistrationResponse
                    || response.Kind == NameServicePacketKind.NameConflictDemand)
                {
                    return Lost(entry, response, source, answeredByOwner: true);
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
        }

        var demand = NameServicePacket.CreateRegistrationRequest(transaction.Id, entry.Name, ttl, flags, Address, broadcast: true, recursionDesired: false);
        await SendAsync(demand, BroadcastEndPoint, cancellationToken).ConfigureAwait(false);
        return new NameRegistrationResult(entry.Name, RegistrationOutcome.Registered, Address, null, _options.RegistrationTtl, null);
    }

    /// <summary>
    /// P-mode registration (RFC 1002 §5.1.2.1): unicast to each name server in turn, UCAST_REQ_RETRY_COUNT tries
    /// UCAST_REQ_RETRY_TIMEOUT apart. A WACK (§4.2.16) stops the retransmissions and extends the wait by its TTL
    /// (clamped); an end-node challenge (§4.2.7) makes us query the current owner ourselves.
    /// </summary>
    private async ValueTask<NameRegistrationResult> RegisterWithServersAsync(LocalName entry, CancellationToken cancellationToken)
    {
        foreach (var server in _options.NameServers)
        {
            var result = await RegisterWithServerAsync(entry, server, NameServiceOpcode.Registration, cancellationToken).ConfigureAwait(false);
            if (result.Outcome != RegistrationOutcome.Timeout)
            {
                if (result.Succeeded)
                {
                    lock (Names.SyncRoot)
                    {
                        entry.RegisteredWithNameServer = true;
                    }
                }

                return result;
            }
        }

        return new NameRegistrationResult(entry.Name, RegistrationOutcome.Timeout, null, null, TimeSpan.Zero, null);
    }

    private async ValueTask<NameRegistrationResult> RegisterWithServerAsync(LocalName entry, IPEndPoint server, NameServiceOpcode opcode, CancellationToken cancellationToken)
    {
        var flags = NbFlagsFor(entry.IsGroup, NodeType);
        uint ttl = RegistrationTtlSeconds;
        using var transaction = _transactions.Open(entry.Name, server.Address, capacity: 8);
        var request = opcode == NameServiceOpcode.Registration
            ? NameServicePacket.CreateRegistrationRequest(transaction.Id, entry.Name, ttl, flags, Address, broadcast: false, recursionDesired: true)
            : NameServicePacket.CreateRefreshRequest(transaction.Id, entry.Name, ttl, flags, Address, broadcast: false);
        int attempts = 0;
        bool waitingAfterWack = false;
        TimeSpan wackWait = TimeSpan.Zero;
        while (true)
        {
            if (!waitingAfterWack)
            {
                if (attempts++ == _options.UnicastRetryCount)
                {
                    return new NameRegistrationResult(entry.Name, RegistrationOutcome.Timeout, null, null, TimeSpan.Zero, server);
                }

                await SendAsync(request, server, cancellationToken).ConfigureAwait(false);
            }

            TimeSpan wait = waitingAfterWack ? wackWait : _options.UnicastRetryTimeout;
            using var window = Timeout(wait, cancellationToken);
            var received = await transaction.ReceiveAsync(window.Token).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (received is not var (response, source))
            {
                if (waitingAfterWack)
                {
                    return new NameRegistrationResult(entry.Name, RegistrationOutcome.Timeout, null, null, TimeSpan.Zero, server);
                }

                continue;
            }

            switch (response.Kind)
            {
                case NameServicePacketKind.WaitForAcknowledgementResponse:
                    wackWait = Clamp(TimeSpan.FromSeconds(response.Answers[0].Ttl), _options.MinimumWackWait, _options.MaximumWackWait);
                    Log.Wack(_logger, entry.Name, source, wackWait);
                    waitingAfterWack = true;
                    continue;
                case NameServicePacketKind.PositiveRegistrationResponse:
                    return new NameRegistrationResult(entry.Name, RegistrationOutcome.Registered, Address, null, GrantedTtl(response), source);
                case NameServicePacketKind.EndNodeChallengeRegistrationResponse:
                    return await ChallengeOwnerAsync(entry, server, response, cancellationToken).ConfigureAwait(false);
                case NameServicePacketKind.NegativeRegistrationResponse:
                case NameServicePacketKind.NameConflictDemand:
                    return Lost(entry, response, source, answeredByOwner: false);
                default:
                    continue;
            }
        }
    }

    /// <summary>
    /// End-node challenge (RFC 1002 §5.1.2.2, §4.2.7): the name server names the current owner; we ask the owner
    /// ourselves. If it still claims the name, we lost; otherwise we tell the server to overwrite the entry.
    /// </summary>
    private async ValueTask<NameRegistrationResult> ChallengeOwnerAsync(LocalName entry, IPEndPoint server, NameServicePacket challenge, CancellationToken cancellationToken)
    {
        var owner = RecordAddress(challenge);
        if (owner is not null && !owner.Equals(Address))
        {
            var query = await QueryServerAsync(entry.Name, new IPEndPoint(owner, _options.RemotePort), recursionDesired: false, cancellationToken).ConfigureAwait(false);
            if (query.Outcome == QueryOutcome.Found)
            {
                return new NameRegistrationResult(entry.Name, RegistrationOutcome.Conflict, owner, NameServiceRcode.ActiveError, TimeSpan.Zero, server);
            }
        }

        var flags = NbFlagsFor(entry.IsGroup, NodeType);
        using var transaction = _transactions.Open(entry.Name, server.Address, capacity: 8);
        var overwrite = NameServicePacket.CreateRegistrationRequest(transaction.Id, entry.Name, RegistrationTtlSeconds, flags, Address, broadcast: false, recursionDesired: false);
        for (int attempt = 0; attempt < _options.UnicastRetryCount; attempt++)
        {
            await SendAsync(overwrite, server, cancellationToken).ConfigureAwait(false);
            using var window = Timeout(_options.UnicastRetryTimeout, cancellationToken);
            if (await transaction.ReceiveAsync(window.Token).ConfigureAwait(false) is var (response, source))
            {
                return response.Kind == NameServicePacketKind.PositiveRegistrationResponse
                    ? new NameRegistrationResult(entry.Name, RegistrationOutcome.Registered, Address, null, GrantedTtl(response), source)
                    : Lost(entry, response, source, answeredByOwner: false);
            }

            cancellationToken.ThrowIfCancellationRequested();
        }

        return new NameRegistrationResult(entry.Name, RegistrationOutcome.Timeout, null, null, TimeSpan.Zero, server);
    }

    private NameRegistrationResult Lost(LocalName entry, NameServicePacket response, IPEndPoint source, bool answeredByOwner)
    {
        var rcode = response.Header.Rcode;
        // The record names the owner, except that nmbd (defending, or as NBNS) echoes the requester's address.
        // In a broadcast registration the node that answered is the owner; a name server's answer leaves it unknown.
        var owner = RecordAddress(response);
        if (owner is null || owner.Equals(Address))
        {
            owner = answeredByOwner ? source.Address : null;
        }

        var outcome = rcode is NameServiceRcode.ActiveError or NameServiceRcode.ConflictError ? RegistrationOutcome.Conflict : RegistrationOutcome.Refused;
        if (outcome == RegistrationOutcome.Conflict)
        {
            Log.Conflict(_logger, entry.Name, owner);
        }

        return new NameRegistrationResult(entry.Name, outcome, owner, rcode, TimeSpan.Zero, source);
    }

    /// <summary>The TTL a name server granted (its answer's TTL), or the one asked for when the answer has none.</summary>
    private TimeSpan GrantedTtl(NameServicePacket response) =>
        TimeSpan.FromSeconds(response.Answers.Count > 0 ? response.Answers[0].Ttl : RegistrationTtlSeconds);

    /// <summary>The first address of the first answer's NB record, if there is one.</summary>
    private static IPAddress? RecordAddress(NameServicePacket response) =>
        response.Answers.Count > 0 && response.Answers[0].Data is NbRecordData { Entries.Count: > 0 } nb ? nb.Entries[0].Address : null;

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) =>
        value < min ? min : value > max ? max : value;

    /// <summary>Names registered with a name server are refreshed at TTL × RefreshFraction, but not more often than the minimum interval.</summary>
    private void ScheduleRefresh(LocalName entry)
    {
        if (!entry.RegisteredWithNameServer || entry.Ttl == TimeSpan.Zero)
        {
            return;
        }

        var due = Clamp(entry.Ttl * _options.RefreshFraction, _options.MinimumRefreshInterval, _options.MaximumRefreshInterval);
        lock (Names.SyncRoot)
        {
            entry.RefreshTimer?.Dispose();
            entry.RefreshTimer = _time.CreateTimer(static s => _ = ((RefreshState)s!).Run(), new RefreshState(this, entry), due, System.Threading.Timeout.InfiniteTimeSpan);
        }
    }

    private sealed record RefreshState(NameServiceNode Node, LocalName Entry)
    {
        public async Task Run()
        {
            try
            {
                await Node.RefreshAsync(Entry).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The node is shutting down.
            }
            catch (Exception ex)
            {
                Log.ReceiveError(Node._logger, ex);
            }
        }
    }

    /// <summary>
    /// NAME REFRESH (RFC 1002 §5.1.2.3, §4.2.4): sent to the server that holds the name. A positive response renews
    /// the TTL; a negative one means the name is lost (it goes into conflict and is no longer defended or answered);
    /// silence retries at the minimum refresh interval.
    /// </summary>
    private async Task RefreshAsync(LocalName entry)
    {
        if (entry.State != LocalNameState.Registered || _disposed != 0)
        {
            return;
        }

        NameRegistrationResult result = new(entry.Name, RegistrationOutcome.Timeout, null, null, TimeSpan.Zero, null);
        foreach (var server in _options.NameServers)
        {
            result = await RegisterWithServerAsync(entry, server, NameServiceOpcode.Refresh, _stopping.Token).ConfigureAwait(false);
            if (result.Outcome != RegistrationOutcome.Timeout)
            {
                break;
            }
        }

        Log.Refreshed(_logger, entry.Name, result.Outcome);
        lock (Names.SyncRoot)
        {
            switch (result.Outcome)
            {
                case RegistrationOutcome.Registered:
                    entry.Ttl = result.Ttl;
                    break;
                case RegistrationOutcome.Timeout:
                    entry.Ttl = _options.MinimumRefreshInterval;
                    break;
                default:
                    entry.State = LocalNameState.Conflict;
                    entry.ConflictOwner = result.Owner;
                    entry.RefreshTimer?.Dispose();
                    entry.RefreshTimer = null;
                    return;
            }
        }

        ScheduleRefresh(entry);
    }

    private async ValueTask ReleaseEntryAsync(LocalName entry, CancellationToken cancellationToken)
    {
        bool wasRegistered;
        lock (Names.SyncRoot)
        {
            wasRegistered = entry.State == LocalNameState.Registered || (entry.State == LocalNameState.Deregistered && entry.HeldOnNetwork);
            entry.State = LocalNameState.Deregistered;
            entry.RefreshTimer?.Dispose();
            entry.RefreshTimer = null;
        }

        try
        {
            if (!wasRegistered)
            {
                return;
            }

            var flags = NbFlagsFor(entry.IsGroup, NodeType);
            if (entry.RegisteredWithNameServer)
            {
                foreach (var server in _options.NameServers)
                {
                    await ReleaseWithServerAsync(entry.Name, flags, server, cancellationToken).ConfigureAwait(false);
                }
            }

            if (NodeType != NodeType.P)
            {
                using var transaction = _transactions.Open(entry.Name, Address, capacity: 1);
                var request = NameServicePacket.CreateReleaseRequest(transaction.Id, entry.Name, flags, Address, broadcast: true);
                await SendAsync(request, BroadcastEndPoint, cancellationToken).ConfigureAwait(false);
            }

            Log.Released(_logger, entry.Name);
        }
        finally
        {
            Names.Remove(entry);
        }
    }
}
