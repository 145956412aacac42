using System.Net;
using Microsoft.Extensions.Logging;
using NetBios.Transport;
using NetBios.Wire.NameService;

namespace NetBios.NameService;

/// <summary>
/// Registration and release of the node's names on the network (RFC 1001 §15.1.1–15.1.4, §15.2; RFC 1002 §5.1.1–5.1.3):
/// by broadcast (B), with the name servers (P), or both in the node type's order (M, H), including WACK, the end-node
/// challenge and release. Every request goes out as one exchange of the node's <see cref="NameServiceEndpoint"/>.
/// </summary>
/// <remarks>
/// A claim from the network is checked before it costs the name: a negative registration response or conflict demand
/// in a broadcast registration is verified with the node that sent it (<see cref="IsConfirmedOwnerAsync"/>), so a blind
/// attacker who guesses the transaction ID (16 bits) with a flood of spoofed responses no longer takes the name.
/// </remarks>
internal sealed class NameRegistrar(NameServiceEndpoint endpoint, LocalNameTable names, NodeSettings node, NameResolver resolver, ILogger logger,
    LogThrottle claimLog)
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
    /// <remarks>
    /// A conflict (ACT_ERR or CFT_ERR, or a conflict demand) is believed when the server, asked in a NAME QUERY, names
    /// another owner or does not answer (<see cref="IsConfirmedByServerAsync"/>). Otherwise it may be a blind attacker's spoofed answer
    /// (the source is checked, but it can be forged): the request is sent again, with a fresh transaction ID, up to
    /// <see cref="NameServiceOptions.UnconfirmedClaimRetries"/> times; a server that keeps refusing is then believed.
    /// </remarks>
    public async ValueTask<NameRegistrationResult> RegisterWithServerAsync(LocalName entry, IPEndPoint server, NameServiceOpcode opcode,
        CancellationToken cancellationToken)
    {
        for (int round = 0; ; round++)
        {
            var result = await RegisterWithServerOnceAsync(entry, server, opcode, cancellationToken).ConfigureAwait(false);
            if (result.Outcome != RegistrationOutcome.Conflict || round >= Options.UnconfirmedClaimRetries
                || await IsConfirmedByServerAsync(entry, server, cancellationToken).ConfigureAwait(false))
            {
                return result;
            }

            CountUnconfirmedClaim(entry.Name, server.Address, NameServicePacketKind.NegativeRegistrationResponse);
        }
    }

    private async ValueTask<NameRegistrationResult> RegisterWithServerOnceAsync(LocalName entry, IPEndPoint server, NameServiceOpcode opcode,
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
    /// <remarks>
    /// A negative response or conflict demand is believed only when its sender confirms that it holds the name
    /// (<see cref="IsConfirmedOwnerAsync"/>); then the conflict is reported at once, with that owner. A claim that is not
    /// confirmed is ignored: the registration starts again (a fresh transaction ID, the full broadcast schedule) and
    /// further claims from that address are ignored, up to <see cref="NameServiceOptions.UnconfirmedClaimRetries"/>
    /// times; after that the name is ours, since no claimant could show it held the name.
    /// </remarks>
    private async ValueTask<NameRegistrationResult> RegisterByBroadcastAsync(LocalName entry, CancellationToken cancellationToken)
    {
        var flags = node.Flags(entry.IsGroup);
        uint ttl = node.RegistrationTtlSeconds;
        var refuted = new HashSet<IPAddress>();
        NameServiceExchangeResult exchange;
        for (int round = 0; ; round++)
        {
            exchange = await endpoint.ExchangeAsync(entry.Name,
                id => NameServicePacket.CreateRegistrationRequest(id, entry.Name, ttl, flags, node.Address, broadcast: true, recursionDesired: true),
                node.Broadcast(node.BroadcastEndPoint),
                r => r.Packet.Kind is NameServicePacketKind.NegativeRegistrationResponse or NameServicePacketKind.NameConflictDemand
                    && !refuted.Contains(r.Source.Address)
                    ? NameServiceVerdict.Finish : NameServiceVerdict.Ignore,
                cancellationToken).ConfigureAwait(false);
            if (exchange.Final is not var (response, source))
            {
                break;
            }

            if (await IsConfirmedOwnerAsync(entry.Name, source.Address, cancellationToken).ConfigureAwait(false))
            {
                return Lost(entry, response, source, answeredByOwner: true);
            }

            refuted.Add(source.Address);
            CountUnconfirmedClaim(entry.Name, source.Address, response.Kind);

            if (round >= Options.UnconfirmedClaimRetries)
            {
                break;
            }
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

    /// <summary>
    /// Whether <paramref name="claimant"/>, which says it holds <paramref name="name"/>, confirms it: a unicast NAME
    /// QUERY REQUEST (RFC 1002 §4.2.12, RD clear) to its name service port must get a POSITIVE NAME QUERY RESPONSE for
    /// the name from that very address (UCAST_REQ_RETRY_COUNT tries). A negative answer, silence (a spoofed source
    /// has nobody behind it, or a host that does not hold the name) or an answer from elsewhere is no confirmation.
    /// </summary>
    private async ValueTask<bool> IsConfirmedOwnerAsync(NetBiosName name, IPAddress claimant, CancellationToken cancellationToken)
    {
        if (claimant.Equals(node.Address))
        {
            return false;
        }

        var query = await resolver.QueryServerAsync(name, new IPEndPoint(claimant, Options.RemotePort), recursionDesired: false, cancellationToken)
            .ConfigureAwait(false);
        return query.Outcome == QueryOutcome.Found && query.Answers.Any(a => claimant.Equals(a.Responder?.Address));
    }

    /// <summary>
    /// Whether the name server that refused <paramref name="entry"/> with a conflict stands by it: asked in a NAME QUERY
    /// (RD set), it names an owner other than this node, or does not answer (the server is the authority on its names:
    /// its silence refutes nothing, and a spoofer cannot make it silent). Only an answer that names no other owner ("not
    /// found", or our own address) shows the refusal was not the server's.
    /// </summary>
    private async ValueTask<bool> IsConfirmedByServerAsync(LocalName entry, IPEndPoint server, CancellationToken cancellationToken)
    {
        var query = await resolver.QueryServerAsync(entry.Name, server, recursionDesired: true, cancellationToken).ConfigureAwait(false);
        return query.Outcome == QueryOutcome.Timeout || (query.Outcome == QueryOutcome.Found && query.Answers.Any(a => !a.Address.Equals(node.Address)));
    }

    /// <summary>A claim that was not confirmed: counted, and logged once per interval with the count.</summary>
    private void CountUnconfirmedClaim(NetBiosName name, IPAddress claimant, NameServicePacketKind kind)
    {
        endpoint.Statistics.UnconfirmedClaims++;
        if (claimLog.ShouldLog(out long count))
        {
            NameServiceLog.UnconfirmedClaim(logger, name, claimant, kind, count);
        }
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
