using System.Net;
using NetBios.Wire.NameService;

namespace NetBios.NameService;

public sealed partial class NameServiceNode
{
    /// <summary>Answers a plain name query for one of our names without allocating (the hot path).</summary>
    /// <returns>True when the datagram was a query and has been handled (answered or deliberately ignored).</returns>
    private async ValueTask<bool> TryAnswerQueryFastAsync(ReadOnlyMemory<byte> datagram, IPEndPoint source, CancellationToken cancellationToken)
    {
        if (!NameServiceFastPath.TryReadQuery(datagram.Span, out var header, out var name, out var type)
            || header.IsResponse || type != RecordType.NB)
        {
            return false;
        }

        if (Names.Find(name) is not { } entry || !Answers(entry))
        {
            // Not ours: a broadcast is ignored; a unicast query gets the full (negative) treatment below.
            return (header.Flags & NameServiceFlags.Broadcast) != 0;
        }

        // Only the receive loop gets here, one datagram at a time, so one answer buffer serves every answer.
        if (!NameServiceFastPath.TryWritePositiveQueryResponse(_answerBuffer, header.TransactionId, name, RegistrationTtlSeconds,
                NbFlagsFor(entry.IsGroup, NodeType), _addressValue, out int written))
        {
            return false;
        }

        await _transport.SendToAsync(_answerBuffer.AsMemory(0, written), source, cancellationToken).ConfigureAwait(false);
        Statistics.Sent++;
        Statistics.QueriesAnswered++;
        return true;
    }

    /// <summary>Whether a local name is answered and defended: registered, and not a wildcard.</summary>
    private static bool Answers(LocalName entry) => entry.State == LocalNameState.Registered && !entry.Name.IsWildcard;

    /// <summary>The responder: requests from other nodes about our names.</summary>
    private async ValueTask RespondAsync(NameServicePacket request, IPEndPoint source, CancellationToken cancellationToken)
    {
        if (request.Questions.Count == 0)
        {
            return;
        }

        var name = request.Questions[0].Name;
        bool broadcast = (request.Header.Flags & NameServiceFlags.Broadcast) != 0;
        var entry = Names.Find(name);
        switch (request.Kind)
        {
            case NameServicePacketKind.NameQueryRequest:
                if (entry is not null && Answers(entry))
                {
                    var answer = NameServicePacket.CreatePositiveQueryResponse(request.Header.TransactionId, entry.Name, RegistrationTtlSeconds,
                        [new NbAddressEntry(NbFlagsFor(entry.IsGroup, NodeType), Address)]);
                    await SendAsync(answer, source, cancellationToken).ConfigureAwait(false);
                    Statistics.QueriesAnswered++;
                }
                else if (!broadcast)
                {
                    // RFC 1002 §4.2.14: a node asked directly about a name it does not own says so (as nmbd does).
                    await SendAsync(NameServicePacket.CreateNegativeQueryResponse(request.Header.TransactionId, name, NameServiceRcode.NameError), source, cancellationToken).ConfigureAwait(false);
                }

                break;

            case NameServicePacketKind.NodeStatusRequest:
                if (name.IsWildcard || (entry is not null && Answers(entry)))
                {
                    await SendAsync(BuildNodeStatusResponse(request.Header.TransactionId, name), source, cancellationToken).ConfigureAwait(false);
                    Statistics.NodeStatusAnswered++;
                }

                break;

            case NameServicePacketKind.NameRegistrationRequest:
            case NameServicePacketKind.NameOverwriteRequest:
            case NameServicePacketKind.NameRefreshRequest:
            case NameServicePacketKind.MultiHomedRegistrationRequest:
                await DefendAsync(request, entry, source, cancellationToken).ConfigureAwait(false);
                break;

            case NameServicePacketKind.NameReleaseRequest:
                if (entry is not null && Answers(entry) && !source.Address.Equals(Address))
                {
                    // Never give up a name because someone else says so (MS00-047, nmbd process_name_release_request).
                    Log.RefusedRelease(_logger, entry.Name, source);
                    if (!broadcast)
                    {
                        var flags = NbFlagsFor(entry.IsGroup, NodeType);
                        await SendAsync(NameServicePacket.CreateReleaseResponse(request.Header.TransactionId, entry.Name, flags, Address, NameServiceRcode.ActiveError), source, cancellationToken).ConfigureAwait(false);
                    }
                }

                break;
        }
    }

    /// <summary>
    /// Name defence (RFC 1002 §5.1.1.2; nbt.register register_own / refresh_own): a registration, overwrite or
    /// refresh of a name we own gets a NEGATIVE NAME REGISTRATION RESPONSE with ACT_ERR, from any source, broadcast or
    /// unicast. Group names are shared, so only a unique claim on them is refused. A name in conflict is not defended.
    /// </summary>
    private async ValueTask DefendAsync(NameServicePacket request, LocalName? entry, IPEndPoint source, CancellationToken cancellationToken)
    {
        if (entry is null || !Answers(entry) || source.Address.Equals(Address))
        {
            return;
        }

        bool requestIsGroup = request.Additional.Count > 0
            && request.Additional[0].Data is NbRecordData { Entries.Count: > 0 } nb
            && (nb.Entries[0].Flags & NbFlags.Group) != 0;
        if (entry.IsGroup && requestIsGroup)
        {
            return;
        }

        var flags = NbFlagsFor(entry.IsGroup, NodeType);
        var response = NameServicePacket.CreateNegativeRegistrationResponse(request.Header.TransactionId, entry.Name, NameServiceRcode.ActiveError, flags, Address);
        await SendAsync(response, source, cancellationToken).ConfigureAwait(false);
        Statistics.Defences++;
        Log.Defended(_logger, entry.Name, request.Kind, source);
    }

    /// <summary>NODE STATUS RESPONSE (RFC 1002 §4.2.18) with the real name table, its flags, and our statistics.</summary>
    private NameServicePacket BuildNodeStatusResponse(ushort transactionId, NetBiosName question)
    {
        var entries = Names.Snapshot()
            .Where(n => n.State != LocalNameState.Registering)
            .Select(n => new NodeStatusEntry(n.Name, NodeStatusFlags(n)))
            .ToList();
        var statistics = NodeStatistics.Create(_options.UnitId);
        return NameServicePacket.CreateNodeStatusResponse(transactionId, question, entries, statistics);
    }

    private NodeStatusNameFlags NodeStatusFlags(LocalName name)
    {
        var flags = NodeStatusNameFlags.Active | (NodeStatusNameFlags)((ushort)NodeType << 13);
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
