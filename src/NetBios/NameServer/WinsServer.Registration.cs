using System.Net;
using NetBios.NameService;
using NetBios.Wire.NameService;

namespace NetBios.NameServer;

public sealed partial class WinsServer
{
    /// <summary>The outcome of challenging the holders of a name.</summary>
    private enum ChallengeOutcome
    {
        /// <summary>No holder answered for the name: it goes to the requester.</summary>
        HandedOver,

        /// <summary>A holder answered: it keeps the name.</summary>
        Kept,

        /// <summary>A multi-homed holder answered and listed the requester's address: it joins the record.</summary>
        Merged,
    }

    /// <summary>
    /// A registration, overwrite, refresh or multi-homed registration (RFC 1002 §5.1.2.2, §5.1.4.2; MS-NBTE §3.2.5.2):
    /// read, decide, challenge if needed, write (version-checked, re-decided on a conflict), and only then answer.
    /// </summary>
    private async Task RegisterAsync(NameServiceRequest request, WinsRequest parsed, (NetBiosName, IPEndPoint, ushort) key, CancellationToken cancellationToken)
    {
        ushort id = request.Packet.Header.TransactionId;
        try
        {
            bool challenged = false;
            for (int round = 0; round <= _options.WriteConflictRetries; round++)
            {
                var current = await _store.FindAsync(parsed.Name, cancellationToken).ConfigureAwait(false);
                var now = _time.GetUtcNow();
                var decision = WinsRules.DecideRegistration(current, parsed, now, _options, OwnAddress);
                if (decision.Kind == WinsDecisionKind.Challenge && current is not null)
                {
                    if (challenged)
                    {
                        // Another server gave the name to someone else while we challenged: their claim stands.
                        decision = WinsDecision.Reject(NameServiceRcode.ActiveError);
                    }
                    else
                    {
                        challenged = true;
                        var outcome = await ChallengeAsync(request, parsed, current, cancellationToken).ConfigureAwait(false);
                        if (outcome == ChallengeOutcome.Kept)
                        {
                            decision = WinsDecision.Reject(NameServiceRcode.ActiveError);
                        }
                        else
                        {
                            now = _time.GetUtcNow();
                            decision = WinsRules.AfterChallenge(current, parsed, now, _options, OwnAddress, outcome == ChallengeOutcome.Merged);
                        }
                    }
                }

                switch (decision.Kind)
                {
                    case WinsDecisionKind.Reject:
                        await RefuseAsync(request, parsed, decision.Rcode, cancellationToken).ConfigureAwait(false);
                        return;
                    case WinsDecisionKind.Positive:
                        Interlocked.Increment(ref Statistics.RefreshesField);
                        await AcceptAsync(request, parsed, decision.Ttl, cancellationToken).ConfigureAwait(false);
                        return;
                }

                var written = await _store.WriteAsync(decision.Record!, current?.Version ?? 0, cancellationToken).ConfigureAwait(false);
                if (!written.Succeeded)
                {
                    Interlocked.Increment(ref Statistics.VersionConflictsField);
                    WinsLog.VersionConflict(_logger, parsed.Name);
                    continue;
                }

                if (decision.Operation == "refresh")
                {
                    Interlocked.Increment(ref Statistics.RefreshesField);
                    WinsLog.Refreshed(_logger, parsed.Name, parsed.Address, decision.Ttl);
                }
                else
                {
                    Interlocked.Increment(ref Statistics.RegistrationsField);
                    WinsLog.Registered(_logger, parsed.Name, written.Record!.Type, parsed.Address, decision.Ttl);
                }

                await AcceptAsync(request, parsed, decision.Ttl, cancellationToken).ConfigureAwait(false);
                Hook(decision.Operation, written.Record!, decision.Ttl);
                return;
            }

            await RefuseAsync(request, parsed, NameServiceRcode.ServerFailure, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Interlocked.Increment(ref Statistics.StoreFailuresField);
            WinsLog.StoreFailure(_logger, parsed.Name, ex);
            await RefuseAsync(request, parsed, NameServiceRcode.ServerFailure, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            End(key);
        }
    }

    /// <summary>
    /// A release (RFC 1002 §5.1.4.3): always answered positively, as Windows and nbtd do, but only a holder of the
    /// name changes the record (nmbd let anyone release anyone's name).
    /// </summary>
    private async Task ReleaseAsync(NameServiceRequest request, WinsRequest parsed, (NetBiosName, IPEndPoint, ushort) key, CancellationToken cancellationToken)
    {
        ushort id = request.Packet.Header.TransactionId;
        var rcode = NameServiceRcode.Ok;
        try
        {
            for (int round = 0; round <= _options.WriteConflictRetries; round++)
            {
                var current = await _store.FindAsync(parsed.Name, cancellationToken).ConfigureAwait(false);
                var next = WinsRules.DecideRelease(current, parsed.Source, _time.GetUtcNow(), _options);
                if (next is null)
                {
                    Interlocked.Increment(ref Statistics.ReleasesIgnoredField);
                    WinsLog.ReleaseIgnored(_logger, parsed.Name, request.Source);
                    break;
                }

                var written = await _store.WriteAsync(next, current!.Version, cancellationToken).ConfigureAwait(false);
                if (written.Succeeded)
                {
                    Interlocked.Increment(ref Statistics.ReleasesField);
                    WinsLog.Released(_logger, parsed.Name, request.Source);
                    Hook(written.Record!.State == WinsRecordState.Active ? "refresh" : "delete", written.Record, 0);
                    break;
                }

                Interlocked.Increment(ref Statistics.VersionConflictsField);
                WinsLog.VersionConflict(_logger, parsed.Name);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Interlocked.Increment(ref Statistics.StoreFailuresField);
            WinsLog.StoreFailure(_logger, parsed.Name, ex);
            rcode = NameServiceRcode.ServerFailure;
        }
        finally
        {
            End(key);
        }

        await SendQuietlyAsync(request, NameServicePacket.CreateReleaseResponse(id, parsed.Name, parsed.Flags, parsed.Address, rcode), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The challenge of the holders of a unique or multi-homed name (RFC 1002 §5.1.4.2 with the server doing the
    /// end-node's part, as Windows and nbtd's wins_challenge do): a WACK to the requester, then a directed NAME QUERY
    /// to each live holder, <see cref="WinsServerOptions.ChallengeAttempts"/> times
    /// <see cref="WinsServerOptions.ChallengeTimeout"/>. A positive answer keeps the name with its holder.
    /// </summary>
    private async Task<ChallengeOutcome> ChallengeAsync(NameServiceRequest request, WinsRequest parsed, WinsRecord current, CancellationToken cancellationToken)
    {
        var holders = WinsRules.LiveAddresses(current, _time.GetUtcNow());
        Interlocked.Increment(ref Statistics.ChallengesField);
        double seconds = Math.Ceiling(_options.ChallengeTimeout.TotalSeconds * _options.ChallengeAttempts * Math.Max(1, holders.Count)) + 2;
        await SendQuietlyAsync(request, NameServicePacket.CreateWackResponse(request.Packet.Header.TransactionId, parsed.Name, (uint)seconds,
            request.Packet.Header.FlagsWord), cancellationToken).ConfigureAwait(false);
        foreach (var holder in holders)
        {
            WinsLog.Challenging(_logger, parsed.Name, holder, request.Source);
            var exchange = await _endpoint.ExchangeAsync(parsed.Name,
                id => NameServicePacket.CreateNameQueryRequest(id, parsed.Name, recursionDesired: false, broadcast: false),
                new NameServiceExchange(new IPEndPoint(holder, _options.ChallengePort), holder, _options.ChallengeAttempts, _options.ChallengeTimeout),
                r => r.Packet.Kind is NameServicePacketKind.PositiveQueryResponse or NameServicePacketKind.NegativeQueryResponse
                    ? NameServiceVerdict.Finish
                    : NameServiceVerdict.Ignore,
                cancellationToken).ConfigureAwait(false);
            if (exchange.Final is { Packet.Kind: NameServicePacketKind.PositiveQueryResponse } answer)
            {
                bool listsRequester = parsed.Kind == NameServicePacketKind.MultiHomedRegistrationRequest
                    && answer.Packet.Answers.Any(a => a.Data is NbRecordData nb && nb.Entries.Any(e => e.Address.Equals(parsed.Address)));
                if (listsRequester)
                {
                    return ChallengeOutcome.Merged;
                }

                Interlocked.Increment(ref Statistics.ChallengesKeptField);
                return ChallengeOutcome.Kept;
            }
        }

        Interlocked.Increment(ref Statistics.ChallengesHandedOverField);
        return ChallengeOutcome.HandedOver;
    }

    private ValueTask AcceptAsync(NameServiceRequest request, WinsRequest parsed, uint ttl, CancellationToken cancellationToken) =>
        SendQuietlyAsync(request, NameServicePacket.CreatePositiveRegistrationResponse(request.Packet.Header.TransactionId, parsed.Name, ttl, parsed.Flags,
            parsed.Address), cancellationToken);

    private ValueTask RefuseAsync(NameServiceRequest request, WinsRequest parsed, NameServiceRcode rcode, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Statistics.RejectedField);
        WinsLog.Refused(_logger, parsed.Name, request.Source, rcode);
        return SendQuietlyAsync(request, NameServicePacket.CreateNegativeRegistrationResponse(request.Packet.Header.TransactionId, parsed.Name, rcode,
            parsed.Flags, parsed.Address), cancellationToken);
    }

    /// <summary>Sends a later answer; a failed send (the client is gone, the endpoint stopped) is the client's retry to make.</summary>
    private async ValueTask SendQuietlyAsync(NameServiceRequest request, NameServicePacket packet, CancellationToken cancellationToken)
    {
        try
        {
            await request.ReplyAsync(packet, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            WinsLog.RequestFailed(_logger, request.QuestionName ?? default, ex);
        }
    }
}
