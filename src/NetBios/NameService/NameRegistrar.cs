using System.Net;
using Microsoft.Extensions.Logging;
using NetBios.Wire.NameService;

namespace NetBios.NameService;

/// <summary>
/// Registration and release of the node's names on the network (RFC 1001 §15.1.1–15.1.4, §15.2; RFC 1002 §5.1.1–5.1.3):
/// by broadcast (B), with the name servers (P), or both in the node type's order (M, H), including WACK, the end-node
/// challenge and release. Every request goes out as one exchange of the node's <see cref="NameServiceEndpoint"/>.
/// </summary>
internal sealed class NameRegistrar(NameServiceEndpoint endpoint, LocalNameTable names, NodeSettings node, NameResolver resolver, ILogger logger)
{
    private NameServiceOptions Options => node.Options;

    /// <summary>Registers a name already in the table (state Registering) as the node type says.</summary>
    public async ValueTask<NameRegistrationResult> RegisterAsync(LocalName entry, CancellationToken cancellationToken)
    {
        switch (node.NodeType)
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
    /// NAME REGISTRATION (or, with <paramref name="opcode"/> Refresh, NAME REFRESH: RFC 1002 §4.2.4) with one name
    /// server (RFC 1002 §5.1.2.1): UCAST_REQ_RETRY_COUNT tries UCAST_REQ_RETRY_TIMEOUT apart. A WACK (§4.2.16) stops the
    /// retransmissions and extends the wait by its TTL (clamped); an end-node challenge (§4.2.7) makes us query the
    /// current owner ourselves.
    /// </summary>
    public async ValueTask<NameRegistrationResult> RegisterWithServerAsync(LocalName entry, IPEndPoint server, NameServiceOpcode opcode,
        CancellationToken cancellationToken)
    {
        var flags = node.Flags(entry.IsGroup);
        uint ttl = node.RegistrationTtlSeconds;
        var exchange = await endpoint.ExchangeAsync(entry.Name,
            id => opcode == NameServiceOpcode.Registration
                ? NameServicePacket.CreateRegistrationRequest(id, entry.Name, ttl, flags, node.Address, broadcast: false, recursionDesired: true)
                : NameServicePacket.CreateRefreshRequest(id, entry.Name, ttl, flags, node.Address, broadcast: false),
            node.Unicast(server),
            r =>
            {
                switch (r.Packet.Kind)
                {
                    case NameServicePacketKind.WaitForAcknowledgementResponse:
                        var wait = NodeSettings.Clamp(TimeSpan.FromSeconds(r.Packet.Answers[0].Ttl), Options.MinimumWackWait, Options.MaximumWackWait);
                        NameServiceLog.Wack(logger, entry.Name, r.Source, wait);
                        return NameServiceVerdict.WaitLonger(wait);
                    case NameServicePacketKind.PositiveRegistrationResponse or NameServicePacketKind.EndNodeChallengeRegistrationResponse
                        or NameServicePacketKind.NegativeRegistrationResponse or NameServicePacketKind.NameConflictDemand:
                        return NameServiceVerdict.Finish;
                    default:
                        return NameServiceVerdict.Ignore;
                }
            },
            cancellationToken).ConfigureAwait(false);
        if (exchange.Final is not var (response, source))
        {
            return new NameRegistrationResult(entry.Name, RegistrationOutcome.Timeout, null, null, TimeSpan.Zero, server);
        }

        return response.Kind switch
        {
            NameServicePacketKind.PositiveRegistrationResponse =>
                new NameRegistrationResult(entry.Name, RegistrationOutcome.Registered, node.Address, null, GrantedTtl(response), source),
            NameServicePacketKind.EndNodeChallengeRegistrationResponse => await ChallengeOwnerAsync(entry, server, response, cancellationToken).ConfigureAwait(false),
            _ => Lost(entry, response, source, answeredByOwner: false),
        };
    }

    /// <summary>
    /// Releases a name this node does not hold: one registered for this node's address by an earlier process (such as
    /// <c>nbt register</c>). A NAME RELEASE REQUEST goes to each name server (RFC 1002 §5.1.2.5, up to
    /// UCAST_REQ_RETRY_COUNT tries) or, without name servers, is broadcast (§5.1.1.5, unanswered by design).
    /// </summary>
    public async ValueTask<NameReleaseResult> ReleaseForeignAsync(NetBiosName name, bool isGroup, CancellationToken cancellationToken)
    {
        var flags = node.Flags(isGroup);
        if (Options.NameServers.Count == 0)
        {
            await BroadcastReleaseAsync(name, flags, cancellationToken).ConfigureAwait(false);
            return new NameReleaseResult(name, ReleaseOutcome.Broadcast, null, null);
        }

        NameReleaseResult? result = null;
        foreach (var server in Options.NameServers)
        {
            var response = await ReleaseWithServerAsync(name, flags, server, cancellationToken).ConfigureAwait(false);
            result ??= response is null
                ? new NameReleaseResult(name, ReleaseOutcome.Timeout, null, server)
                : new NameReleaseResult(name, response.Header.Rcode == NameServiceRcode.Ok ? ReleaseOutcome.Released : ReleaseOutcome.Refused,
                    response.Header.Rcode == NameServiceRcode.Ok ? null : response.Header.Rcode, server);
        }

        return result!;
    }

    /// <summary>
    /// Releases one of our names (RFC 1002 §5.1.1.5 / §5.1.2.5): a release request to the name servers that hold it, a
    /// broadcast release unless the node is a P node, then removes it from the table.
    /// </summary>
    public async ValueTask ReleaseAsync(LocalName entry, CancellationToken cancellationToken)
    {
        bool wasRegistered;
        lock (names.SyncRoot)
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

            var flags = node.Flags(entry.IsGroup);
            if (entry.RegisteredWithNameServer)
            {
                foreach (var server in Options.NameServers)
                {
                    await ReleaseWithServerAsync(entry.Name, flags, server, cancellationToken).ConfigureAwait(false);
                }
            }

            if (node.NodeType != NodeType.P)
            {
                await BroadcastReleaseAsync(entry.Name, flags, cancellationToken).ConfigureAwait(false);
            }

            NameServiceLog.Released(logger, entry.Name);
        }
        finally
        {
            names.Remove(entry);
        }
    }

    private ValueTask BroadcastReleaseAsync(NetBiosName name, NbFlags flags, CancellationToken cancellationToken) =>
        endpoint.SendRequestAsync(name, id => NameServicePacket.CreateReleaseRequest(id, name, flags, node.Address, broadcast: true),
            node.BroadcastEndPoint, cancellationToken);

    /// <summary>NAME RELEASE REQUEST to one name server, retried; its response, or null when it never answered.</summary>
    private async ValueTask<NameServicePacket?> ReleaseWithServerAsync(NetBiosName name, NbFlags flags, IPEndPoint server, CancellationToken cancellationToken)
    {
        var exchange = await endpoint.ExchangeAsync(name, id => NameServicePacket.CreateReleaseRequest(id, name, flags, node.Address, broadcast: false),
            node.Unicast(server, capacity: 4), _ => NameServiceVerdict.Finish, cancellationToken).ConfigureAwait(false);
        return exchange.Final?.Packet;
    }

    /// <summary>
    /// B-mode registration (RFC 1002 §5.1.1.1): the request is broadcast BCAST_REQ_RETRY_COUNT times,
    /// BCAST_REQ_RETRY_TIMEOUT apart; a negative response from an owner means the name is taken; silence means it is
    /// ours, announced with a NAME OVERWRITE DEMAND (§4.2.3) under the same transaction ID.
    /// </summary>
    private async ValueTask<NameRegistrationResult> RegisterByBroadcastAsync(LocalName entry, CancellationToken cancellationToken)
    {
        var flags = node.Flags(entry.IsGroup);
        uint ttl = node.RegistrationTtlSeconds;
        var exchange = await endpoint.ExchangeAsync(entry.Name,
            id => NameServicePacket.CreateRegistrationRequest(id, entry.Name, ttl, flags, node.Address, broadcast: true, recursionDesired: true),
            node.Broadcast(node.BroadcastEndPoint),
            r => r.Packet.Kind is NameServicePacketKind.NegativeRegistrationResponse or NameServicePacketKind.NameConflictDemand
                ? NameServiceVerdict.Finish : NameServiceVerdict.Ignore,
            cancellationToken).ConfigureAwait(false);
        if (exchange.Final is var (response, source))
        {
            return Lost(entry, response, source, answeredByOwner: true);
        }

        var demand = NameServicePacket.CreateRegistrationRequest(exchange.TransactionId, entry.Name, ttl, flags, node.Address, broadcast: true, recursionDesired: false);
        await endpoint.SendAsync(demand, node.BroadcastEndPoint, cancellationToken).ConfigureAwait(false);
        return new NameRegistrationResult(entry.Name, RegistrationOutcome.Registered, node.Address, null, Options.RegistrationTtl, null);
    }

    /// <summary>P-mode registration (RFC 1002 §5.1.2.1): each name server in turn until one answers.</summary>
    private async ValueTask<NameRegistrationResult> RegisterWithServersAsync(LocalName entry, CancellationToken cancellationToken)
    {
        foreach (var server in Options.NameServers)
        {
            var result = await RegisterWithServerAsync(entry, server, NameServiceOpcode.Registration, cancellationToken).ConfigureAwait(false);
            if (result.Outcome != RegistrationOutcome.Timeout)
            {
                if (result.Succeeded)
                {
                    lock (names.SyncRoot)
                    {
                        entry.RegisteredWithNameServer = true;
                    }
                }

                return result;
            }
        }

        return new NameRegistrationResult(entry.Name, RegistrationOutcome.Timeout, null, null, TimeSpan.Zero, null);
    }

    /// <summary>
    /// End-node challenge (RFC 1002 §5.1.2.2, §4.2.7): the name server names the current owner; we ask the owner
    /// ourselves. If it still claims the name, we lost; otherwise we tell the server to overwrite the entry.
    /// </summary>
    private async ValueTask<NameRegistrationResult> ChallengeOwnerAsync(LocalName entry, IPEndPoint server, NameServicePacket challenge, CancellationToken cancellationToken)
    {
        var owner = NodeSettings.RecordAddress(challenge);
        if (owner is not null && !owner.Equals(node.Address))
        {
            var query = await resolver.QueryServerAsync(entry.Name, new IPEndPoint(owner, Options.RemotePort), recursionDesired: false, cancellationToken)
                .ConfigureAwait(false);
            if (query.Outcome == QueryOutcome.Found)
            {
                return new NameRegistrationResult(entry.Name, RegistrationOutcome.Conflict, owner, NameServiceRcode.ActiveError, TimeSpan.Zero, server);
            }
        }

        var flags = node.Flags(entry.IsGroup);
        var exchange = await endpoint.ExchangeAsync(entry.Name,
            id => NameServicePacket.CreateRegistrationRequest(id, entry.Name, node.RegistrationTtlSeconds, flags, node.Address, broadcast: false, recursionDesired: false),
            node.Unicast(server), _ => NameServiceVerdict.Finish, cancellationToken).ConfigureAwait(false);
        return exchange.Final switch
        {
            null => new NameRegistrationResult(entry.Name, RegistrationOutcome.Timeout, null, null, TimeSpan.Zero, server),
            var (response, source) when response.Kind == NameServicePacketKind.PositiveRegistrationResponse =>
                new NameRegistrationResult(entry.Name, RegistrationOutcome.Registered, node.Address, null, GrantedTtl(response), source),
            var (response, source) => Lost(entry, response, source, answeredByOwner: false),
        };
    }

    private NameRegistrationResult Lost(LocalName entry, NameServicePacket response, IPEndPoint source, bool answeredByOwner)
    {
        var rcode = response.Header.Rcode;
        // The record names the owner, except that nmbd (defending, or as NBNS) echoes the requester's address.
        // In a broadcast registration the node that answered is the owner; a name server's answer leaves it unknown.
        var owner = NodeSettings.RecordAddress(response);
        if (owner is null || owner.Equals(node.Address))
        {
            owner = answeredByOwner ? source.Address : null;
        }

        var outcome = rcode is NameServiceRcode.ActiveError or NameServiceRcode.ConflictError ? RegistrationOutcome.Conflict : RegistrationOutcome.Refused;
        if (outcome == RegistrationOutcome.Conflict)
        {
            NameServiceLog.Conflict(logger, entry.Name, owner);
        }

        return new NameRegistrationResult(entry.Name, outcome, owner, rcode, TimeSpan.Zero, source);
    }

    /// <summary>The TTL a name server granted (its answer's TTL), or the one asked for when the answer has none.</summary>
    private TimeSpan GrantedTtl(NameServicePacket response) =>
        TimeSpan.FromSeconds(response.Answers.Count > 0 ? response.Answers[0].Ttl : node.RegistrationTtlSeconds);
}
