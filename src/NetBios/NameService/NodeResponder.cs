using Microsoft.Extensions.Logging;
using NetBios.Transport;
using NetBios.Wire.NameService;

namespace NetBios.NameService;

/// <summary>
/// The node's answers to other nodes (RFC 1001 §15.1–15.2, RFC 1002 §5.1.1.2 and §4.2.12–4.2.18): positive name query
/// responses and node status for its names, defence of its names against registrations, refusal of foreign releases.
/// The first handler of the node's <see cref="NameServiceEndpoint"/>; requests about names it does not hold go on to the
/// next handler.
/// </summary>
internal sealed class NodeResponder(LocalNameTable names, NodeSettings node, NameServiceStatistics statistics, ILogger logger, LogThrottle defenceLog)
    : INameServiceHandler, INameQueryFastPath
{
    /// <summary>Answers a plain name query for one of our names without allocating (the hot path).</summary>
    public NameServiceHandling TryAnswerQuery(in NameServiceHeader header, in NetBiosName name, Span<byte> response, out int written)
    {
        written = 0;
        if (names.Find(name) is not { } entry || !NodeSettings.Answers(entry))
        {
            return NameServiceHandling.NotMine;
        }

        if (!NameServiceFastPath.TryWritePositiveQueryResponse(response, header.TransactionId, name, node.RegistrationTtlSeconds,
                node.Flags(entry.IsGroup), node.AddressValue, out written))
        {
            return NameServiceHandling.NotMine; // a name too long for the fast answer: the normal path answers it
        }

        statistics.QueriesAnswered++;
        return NameServiceHandling.Handled;
    }

    /// <inheritdoc/>
    public ValueTask<NameServiceHandlerResult> HandleAsync(NameServiceRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Handle(request));

    private NameServiceHandlerResult Handle(NameServiceRequest request)
    {
        if (request.QuestionName is not { } name)
        {
            return NameServiceHandlerResult.NotMine;
        }

        var packet = request.Packet;
        var entry = names.Find(name);
        if (packet.Kind == NameServicePacketKind.NodeStatusRequest && name.IsWildcard)
        {
            statistics.NodeStatusAnswered++;
            return NameServiceHandlerResult.Answer(BuildNodeStatusResponse(packet.Header.TransactionId, name));
        }

        if (entry is null || !NodeSettings.Answers(entry))
        {
            // A name server (a later handler) may hold it; unanswered directed queries get NAM_ERR from the endpoint.
            return NameServiceHandlerResult.NotMine;
        }

        var flags = node.Flags(entry.IsGroup);
        switch (packet.Kind)
        {
            case NameServicePacketKind.NameQueryRequest:
                statistics.QueriesAnswered++;
                return NameServiceHandlerResult.Answer(NameServicePacket.CreatePositiveQueryResponse(packet.Header.TransactionId, entry.Name,
                    node.RegistrationTtlSeconds, [new NbAddressEntry(flags, node.Address)]));

            case NameServicePacketKind.NodeStatusRequest:
                statistics.NodeStatusAnswered++;
                return NameServiceHandlerResult.Answer(BuildNodeStatusResponse(packet.Header.TransactionId, name));

            case NameServicePacketKind.NameRegistrationRequest:
            case NameServicePacketKind.NameOverwriteRequest:
            case NameServicePacketKind.NameRefreshRequest:
            case NameServicePacketKind.MultiHomedRegistrationRequest:
                return Defend(request, entry);

            case NameServicePacketKind.NameReleaseRequest:
                if (request.Source.Address.Equals(node.Address))
                {
                    // Our own release, directed at a name server that shares this endpoint: its business.
                    return NameServiceHandlerResult.NotMine;
                }

                // Never give up a name because someone else says so (MS00-047, nmbd process_name_release_request).
                NameServiceLog.RefusedRelease(logger, entry.Name, request.Source);
                return request.IsBroadcast
                    ? NameServiceHandlerResult.Ignored
                    : NameServiceHandlerResult.Answer(NameServicePacket.CreateReleaseResponse(packet.Header.TransactionId, entry.Name, flags,
                        node.Address, NameServiceRcode.ActiveError));

            default:
                return NameServiceHandlerResult.NotMine;
        }
    }

    /// <summary>
    /// Name defence (RFC 1002 §5.1.1.2; nbt.register register_own / refresh_own): a registration, overwrite or
    /// refresh of a name we own gets a NEGATIVE NAME REGISTRATION RESPONSE with ACT_ERR, from any source, broadcast or
    /// unicast. Group names are shared, so only a unique claim on them is refused. A name in conflict is not defended.
    /// </summary>
    private NameServiceHandlerResult Defend(NameServiceRequest request, LocalName entry)
    {
        var packet = request.Packet;
        if (request.Source.Address.Equals(node.Address))
        {
            // Our own registration or refresh, directed at a name server that shares this endpoint: its business.
            return NameServiceHandlerResult.NotMine;
        }

        bool requestIsGroup = packet.Additional.Count > 0
            && packet.Additional[0].Data is NbRecordData { Entries.Count: > 0 } nb
            && (nb.Entries[0].Flags & NbFlags.Group) != 0;
        if (entry.IsGroup && requestIsGroup)
        {
            return NameServiceHandlerResult.Ignored;
        }

        statistics.Defences++;
        if (defenceLog.ShouldLog(out long count))
        {
            // A flood of registrations would otherwise cost a line each (100 000 lines in 10 s): one line per interval.
            NameServiceLog.Defended(logger, entry.Name, packet.Kind, request.Source, count);
        }

        return NameServiceHandlerResult.Answer(NameServicePacket.CreateNegativeRegistrationResponse(packet.Header.TransactionId, entry.Name,
            NameServiceRcode.ActiveError, node.Flags(entry.IsGroup), node.Address));
    }

    /// <summary>NODE STATUS RESPONSE (RFC 1002 §4.2.18) with the real name table, its flags, and our statistics.</summary>
    private NameServicePacket BuildNodeStatusResponse(ushort transactionId, NetBiosName question)
    {
        var entries = names.Snapshot()
            .Where(n => n.State != LocalNameState.Registering)
            .Select(n => new NodeStatusEntry(n.Name, NodeStatusFlags(n)))
            .ToList();
        return NameServicePacket.CreateNodeStatusResponse(transactionId, question, entries, NodeStatistics.Create(node.Options.UnitId));
    }

    private NodeStatusNameFlags NodeStatusFlags(LocalName name)
    {
        var flags = NodeStatusNameFlags.Active | (NodeStatusNameFlags)((ushort)node.NodeType << 13);
        if (name.IsGroup)
        {
            flags |= NodeStatusNameFlags.Group;
        }

        if (name.IsPermanent)
        {
            flags |= NodeStatusNameFlags.Permanent;
        }

        flags |= name.State switch
        {
            LocalNameState.Deregistered => NodeStatusNameFlags.Deregistering,
            LocalNameState.Conflict => NodeStatusNameFlags.Conflict,
            _ => 0,
        };
        return flags;
    }
}
