using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using NetBios.Wire.NameService;

namespace NetBios.NameService;

/// <summary>
/// The node's resolver (RFC 1001 §15.1.3–15.1.4, RFC 1002 §5.1.1.3 and §5.1.2.4): its own names, the cache, LMHOSTS,
/// name servers, broadcast and DNS, in the configured order; and node status requests. Every request goes out as one
/// exchange of the node's <see cref="NameServiceEndpoint"/>.
/// </summary>
internal sealed class NameResolver
{
    /// <summary>Most name servers followed through redirect responses (RFC 1002 §4.2.15) in one query.</summary>
    private const int MaxRedirects = 2;

    private readonly NameServiceEndpoint _endpoint;
    private readonly LocalNameTable _names;
    private readonly NodeSettings _node;
    private readonly TimeProvider _time;

    public NameResolver(NameServiceEndpoint endpoint, LocalNameTable names, NodeSettings node, NameCache cache, TimeProvider time)
    {
        _endpoint = endpoint;
        _names = names;
        _node = node;
        _time = time;
        Cache = cache;
        NodeStatusCache = new NodeStatusCache((a, ct) => GetNodeStatusAsync(a, null, ct), () => Options.NodeStatusCacheLifetime, time);
        _ = PreloadLmhosts();
    }

    public NameCache Cache { get; }

    /// <summary>The node status answers shared by the verification of broadcast answers (never by
    /// <see cref="GetNodeStatusAsync(IPAddress, NetBiosName?, CancellationToken)"/>, which is always fresh).</summary>
    internal NodeStatusCache NodeStatusCache { get; }

    private NameServiceOptions Options => _node.Options;

    /// <summary>
    /// Resolves a name through the configured resolve order (own names, cache, LMHOSTS, name server, broadcast,
    /// DNS), collecting every answer that arrives in the query window.
    /// </summary>
    /// <param name="name">The name; the node's scope is applied when the name has none.</param>
    /// <param name="options">Overrides for one query (a fixed target, no cache…); null for the configured behaviour.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public async ValueTask<NameQueryResult> QueryAsync(NetBiosName name, NameQueryOptions? options, CancellationToken cancellationToken)
    {
        name = _node.ApplyScope(name);
        options ??= NameQueryOptions.Default;
        if (options.Target is { } target)
        {
            return options.Broadcast
                ? await QueryBroadcastAsync(name, target, cancellationToken).ConfigureAwait(false)
                : await QueryServerAsync(name, target, options.RecursionDesired, cancellationToken).ConfigureAwait(false);
        }

        if (_names.Find(name) is { } own && NodeSettings.Answers(own))
        {
            return new NameQueryResult(name, QueryOutcome.Found,
                [new NameQueryAnswer(_node.Address, own.IsGroup, _node.NodeType, Options.RegistrationTtl, null, ResolveSource.Local)], null, []);
        }

        NameServiceRcode? rcode = null;
        NameQueryResult? conflict = null;
        var diagnostics = new List<string>();
        foreach (var source in options.Sources ?? Options.EffectiveResolveOrder)
        {
            NameQueryResult? result = null;
            switch (source)
            {
                case ResolveSource.Cache when options.UseCache:
                    if (Cache.TryGet(name, out var cached))
                    {
                        return cached is null
                            ? new NameQueryResult(name, QueryOutcome.NotFound, [], null, ["negative cache"])
                            : new NameQueryResult(name, QueryOutcome.Found, cached.Select(a => a with { Source = ResolveSource.Cache }).ToList(), null, []);
                    }

                    continue;
                case ResolveSource.Lmhosts:
                    result = QueryLmhosts(name);
                    break;
                case ResolveSource.NameServer:
                    foreach (var server in Options.NameServers)
                    {
                        result = await QueryServerAsync(name, server, recursionDesired: true, cancellationToken).ConfigureAwait(false);
                        if (result.Outcome != QueryOutcome.Timeout)
                        {
                            break;
                        }
                    }

                    break;
                case ResolveSource.Broadcast:
                    result = await QueryBroadcastAsync(name, _node.BroadcastEndPoint, cancellationToken).ConfigureAwait(false);
                    break;
                case ResolveSource.Dns when Options.EnableDns:
                    result = await QueryDnsAsync(name, cancellationToken).ConfigureAwait(false);
                    break;
            }

            if (result is null)
            {
                continue;
            }

            diagnostics.AddRange(result.Diagnostics);
            if (result.Outcome == QueryOutcome.Found)
            {
                if (options.UseCache && source is ResolveSource.NameServer or ResolveSource.Broadcast)
                {
                    var ttl = NodeSettings.Clamp(result.Answers.Min(a => a.Ttl), TimeSpan.Zero, Options.MaxCacheTtl);
                    Cache.AddPositive(name, result.Answers, ttl);
                }

                return result with { Diagnostics = diagnostics };
            }

            // Unresolved claims: a later source (a name server after broadcast) may still give a trusted answer.
            conflict ??= result.Outcome == QueryOutcome.Conflict ? result : null;
            rcode ??= result.Rcode;
        }

        if (conflict is not null)
        {
            return conflict with { Diagnostics = diagnostics };
        }

        if (options.UseCache && Options.NegativeCacheTtl > TimeSpan.Zero)
        {
            Cache.AddNegative(name, Options.NegativeCacheTtl);
        }

        return new NameQueryResult(name, rcode is null ? QueryOutcome.Timeout : QueryOutcome.NotFound, [], rcode, diagnostics);
    }

    /// <summary>
    /// NODE STATUS REQUEST (RFC 1002 §4.2.17) to one address: the remote node's name table and statistics.
    /// </summary>
    /// <param name="address">The node to ask.</param>
    /// <param name="name">The name to ask about; defaults to the wildcard <c>*</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async ValueTask<NodeStatusResult> GetNodeStatusAsync(IPAddress address, NetBiosName? name, CancellationToken cancellationToken)
    {
        var question = _node.ApplyScope(name ?? NetBiosName.Wildcard);
        var exchange = await _endpoint.ExchangeAsync(question, id => NameServicePacket.CreateNodeStatusRequest(id, question),
            _node.Unicast(new IPEndPoint(address, Options.RemotePort), capacity: 4),
            r => r.Packet.Kind == NameServicePacketKind.NodeStatusResponse && r.Packet.Answers[0].Data is NodeStatusRecordData
                ? NameServiceVerdict.Finish : NameServiceVerdict.Ignore,
            cancellationToken).ConfigureAwait(false);
        return exchange.Final?.Packet.Answers[0].Data is NodeStatusRecordData status
            ? new NodeStatusResult(address, QueryOutcome.Found, status.Names, new PhysicalAddress(status.Statistics.UnitId.ToArray()), status.Statistics)
            : new NodeStatusResult(address, QueryOutcome.Timeout, [], null, null);
    }

    /// <summary>Resolves <paramref name="name"/> first, then asks the first address for its node status.</summary>
    public async ValueTask<NodeStatusResult?> GetNodeStatusAsync(NetBiosName name, CancellationToken cancellationToken)
    {
        var query = await QueryAsync(name, null, cancellationToken).ConfigureAwait(false);
        return query.Outcome == QueryOutcome.Found
            ? await GetNodeStatusAsync(query.Addresses[0], name, cancellationToken).ConfigureAwait(false)
            : null;
    }

    private NameQueryResult QueryLmhosts(NetBiosName name)
    {
        var answers = Options.Lmhosts?.Lookup(name)
            .Select(e => new NameQueryAnswer(e.Address, e.IsGroup, NodeType.B, TimeSpan.Zero, null, ResolveSource.Lmhosts))
            .ToList() ?? [];
        return new NameQueryResult(name, answers.Count > 0 ? QueryOutcome.Found : QueryOutcome.NotFound, answers, null, []);
    }

    /// <summary>
    /// NAME QUERY REQUEST unicast to a name server or a node (RFC 1002 §4.2.12, §5.1.2.4): the first positive,
    /// negative or redirect response decides. Redirects (§4.2.15) are followed up to <see cref="MaxRedirects"/> times.
    /// </summary>
    public async ValueTask<NameQueryResult> QueryServerAsync(NetBiosName name, IPEndPoint server, bool recursionDesired, CancellationToken cancellationToken)
    {
        var diagnostics = new List<string>();
        for (int redirects = 0; redirects <= MaxRedirects; redirects++)
        {
            var exchange = await _endpoint.ExchangeAsync(name, id => NameServicePacket.CreateNameQueryRequest(id, name, recursionDesired, broadcast: false),
                _node.Unicast(server),
                r => r.Packet.Kind is NameServicePacketKind.PositiveQueryResponse or NameServicePacketKind.NegativeQueryResponse
                    or NameServicePacketKind.RedirectQueryResponse ? NameServiceVerdict.Finish : NameServiceVerdict.Ignore,
                cancellationToken).ConfigureAwait(false);
            if (exchange.Final is not var (response, source))
            {
                break;
            }

            switch (response.Kind)
            {
                case NameServicePacketKind.PositiveQueryResponse:
                    return new NameQueryResult(name, QueryOutcome.Found, AnswersOf(response, source, ResolveSource.NameServer), null, diagnostics);
                case NameServicePacketKind.NegativeQueryResponse:
                    diagnostics.Add($"{source.Address} answered {response.Header.Rcode}");
                    return new NameQueryResult(name, QueryOutcome.NotFound, [], response.Header.Rcode, diagnostics);
            }

            var redirectTo = RedirectTarget(response);
            diagnostics.Add($"{source.Address} redirected to {redirectTo?.ToString() ?? "nowhere"}");
            if (redirectTo is null)
            {
                break;
            }

            server = redirectTo;
        }

        return new NameQueryResult(name, QueryOutcome.Timeout, [], null, diagnostics);
    }

    /// <summary>
    /// Broadcast NAME QUERY REQUEST (RFC 1002 §5.1.1.3), with every unique claim verified by node status before it is
    /// used (<see cref="NameServiceOptions.VerifyBroadcastAnswers"/>; off: <see cref="QueryBroadcastUnverifiedAsync"/>).
    /// </summary>
    /// <remarks>
    /// <para>
    /// Each distinct address that claims the name as unique is asked for its node status (RFC 1002 §4.2.17) as soon as
    /// its answer arrives (<see cref="BroadcastClaimChecks"/>). A claim that is not (yet) verified does not end the
    /// wait: the query is retransmitted and answers are collected over the whole broadcast schedule
    /// (BCAST_REQ_RETRY_COUNT × BCAST_REQ_RETRY_TIMEOUT), so that a genuine holder answering after a fast impostor
    /// still wins. The first verified claim stops the retransmissions, and the query ends with the current window, as
    /// an answer did before: the answers of other holders of the name to the same broadcast are still collected and
    /// checked, so that an impostor that also lies in its node status and answers faster than the genuine node makes
    /// a conflict instead of winning the race. Checks still out at the end of the window get at most one
    /// UCAST_REQ_RETRY_TIMEOUT more once a claim verified (the time a node that answers node status has to answer its
    /// first request): a second verified holder makes a conflict, a silent claimant costs that wait and is ignored. A
    /// lone genuine answer whose check ends within its window costs nothing more than before. Group answers are not
    /// checked and, as before, end the retransmissions (the current window collects the other members).
    /// </para>
    /// <para>
    /// At the end: the verified addresses of one holder are found (with the group answers; a multi-homed host may
    /// answer with several addresses); verified addresses of several holders (responders that claimed different
    /// verified addresses) are a <see cref="QueryOutcome.Conflict"/>. None verified: when there was one claimant (one
    /// address, or every responder claimed the same addresses) and its node status was merely unanswered (a silent
    /// host or firewall, not refuted), it is used with the diagnostic "unverified: node status unanswered", so that
    /// hosts that never answer node status still resolve; otherwise (refuted claims, several unverified claimants) the
    /// claims are a conflict and no caller gets an address from them.
    /// </para>
    /// <para>
    /// The node status answers come through <see cref="NodeStatusCache"/>: the checks of one address, in this query and
    /// in concurrent ones, share one exchange in flight, and a found answer is reused for
    /// <see cref="NameServiceOptions.NodeStatusCacheLifetime"/>, so that resolving many names of one host costs one NODE
    /// STATUS REQUEST instead of running into its answer rate limit. Only a fresh answer refutes a claim.
    /// </para>
    /// </remarks>
    private async ValueTask<NameQueryResult> QueryBroadcastAsync(NetBiosName name, IPEndPoint destination, CancellationToken cancellationToken)
    {
        if (!Options.VerifyBroadcastAnswers)
        {
            return await QueryBroadcastUnverifiedAsync(name, destination, cancellationToken).ConfigureAwait(false);
        }

        var answers = new List<NameQueryAnswer>();
        using var checks = new BroadcastClaimChecks(name, Options.MaxAnswers, (a, ct) => NodeStatusCache.GetAsync(a, name, ct), cancellationToken);
        await _endpoint.ExchangeUntilAsync(name, id => NameServicePacket.CreateNameQueryRequest(id, name, recursionDesired: true, broadcast: true),
            _node.Broadcast(destination),
            r =>
            {
                if (r.Packet.Kind != NameServicePacketKind.PositiveQueryResponse)
                {
                    return NameServiceVerdict.Ignore;
                }

                foreach (var answer in AnswersOf(r.Packet, r.Source, ResolveSource.Broadcast))
                {
                    if (answers.Count < Options.MaxAnswers && AddDistinct(answers, answer) && !answer.IsGroup)
                    {
                        checks.Check(answer.Address);
                    }
                }

                // Unique claims keep the schedule going until one is verified (FirstVerified stops the retransmissions).
                return answers.Count >= Options.MaxAnswers ? NameServiceVerdict.Finish
                    : answers.Any(a => a.IsGroup) ? NameServiceVerdict.Collect
                    : NameServiceVerdict.Ignore;
            },
            checks.FirstVerified, cancellationToken).ConfigureAwait(false);
        await checks.WhenSettledAsync(_time, Options.UnicastRetryTimeout, cancellationToken).ConfigureAwait(false);
        return Decide(name, answers, checks);
    }

    /// <summary>The outcome of a verified broadcast query (see <see cref="QueryBroadcastAsync"/>'s remarks).</summary>
    private static NameQueryResult Decide(NetBiosName name, List<NameQueryAnswer> answers, BroadcastClaimChecks checks)
    {
        var claimed = ClaimedAddresses(answers);
        if (claimed.Count == 0)
        {
            return new NameQueryResult(name, answers.Count > 0 ? QueryOutcome.Found : QueryOutcome.Timeout, answers, null, []);
        }

        var diagnostics = new List<string>();
        var result = new NameQueryResult(name, QueryOutcome.Found, answers, null, diagnostics);
        if (result.HasConflictingAnswers)
        {
            diagnostics.Add(ConflictingAnswers(name, answers));
        }

        var verified = claimed.Where(a => checks.StatusOf(a) == ClaimStatus.Verified).ToHashSet();
        if (verified.Count > 0)
        {
            diagnostics.Add($"node status verified {string.Join(", ", verified)}");

            // One holder: every responder that claimed a verified address claimed the same verified addresses (a
            // multi-homed host answering with all of its addresses); anything else is several holders.
            int holders = answers.Where(a => !a.IsGroup && verified.Contains(a.Address))
                .GroupBy(a => a.Responder!.Address)
                .Select(g => answers.Where(a => !a.IsGroup && a.Responder!.Address.Equals(g.Key) && verified.Contains(a.Address)).Select(a => a.Address).ToHashSet())
                .Distinct(HashSet<IPAddress>.CreateSetComparer())
                .Count();
            return holders == 1
                ? result with { Answers = [.. answers.Where(a => a.IsGroup || verified.Contains(a.Address))] }
                : result with { Outcome = QueryOutcome.Conflict };
        }

        diagnostics.Add("no claimed address verified: " + string.Join(", ", claimed.Select(a => $"{a} {Describe(checks.StatusOf(a))}")));
        if (!result.HasConflictingAnswers && claimed.All(a => checks.StatusOf(a) == ClaimStatus.Unanswered))
        {
            // One claimant (one address, or one multi-homed answer) whose node status went unanswered: a silent host.
            diagnostics.Add($"unverified: node status unanswered by {string.Join(", ", claimed)}; used as the only claim");
            return result;
        }

        // Refuted or several unverified claims: group members (never checked) are still found; the claims are not.
        var groups = answers.Where(a => a.IsGroup).ToList();
        return groups.Count > 0 ? result with { Answers = groups } : result with { Outcome = QueryOutcome.Conflict };
    }

    /// <summary>The distinct addresses claimed by unique answers (group members are not claims to check).</summary>
    private static List<IPAddress> ClaimedAddresses(IEnumerable<NameQueryAnswer> answers) =>
        answers.Where(a => !a.IsGroup).Select(a => a.Address).Distinct().ToList();

    /// <summary>The diagnostic that lists who claimed what, for a query whose answers conflict.</summary>
    private static string ConflictingAnswers(NetBiosName name, IEnumerable<NameQueryAnswer> answers) =>
        $"conflicting answers for {name}: " + string.Join(", ", answers.Select(a => $"{a.Responder!.Address} says {a.Address}"));

    private static string Describe(ClaimStatus status) => status switch
    {
        ClaimStatus.Refuted => "refuted (its node status does not hold the name)",
        ClaimStatus.Unanswered => "node status unanswered",
        _ => "not checked",
    };

    /// <summary>Adds an answer unless the same (address, responder) is there: nmbd answers each broadcast twice
    /// (docs/INTEROP.md §3 pitfall 1), and every retransmission is answered again.</summary>
    private static bool AddDistinct(List<NameQueryAnswer> answers, NameQueryAnswer answer)
    {
        if (answers.Any(a => a.Address.Equals(answer.Address) && a.Responder!.Equals(answer.Responder)))
        {
            return false;
        }

        answers.Add(answer);
        return true;
    }

    /// <summary>
    /// Broadcast NAME QUERY REQUEST (RFC 1002 §5.1.1.3) as Windows does it, without checking lone answers: sent up to
    /// BCAST_REQ_RETRY_COUNT times; once an answer has arrived no more are sent, but every answer that arrives in the
    /// current window is collected (group members, multi-homed hosts, and conflicting claims, which are verified by
    /// <see cref="VerifyClaimsAsync"/>).
    /// </summary>
    private async ValueTask<NameQueryResult> QueryBroadcastUnverifiedAsync(NetBiosName name, IPEndPoint destination, CancellationToken cancellationToken)
    {
        var answers = new List<NameQueryAnswer>();
        await _endpoint.ExchangeAsync(name, id => NameServicePacket.CreateNameQueryRequest(id, name, recursionDesired: true, broadcast: true),
            _node.Broadcast(destination),
            r =>
            {
                if (r.Packet.Kind != NameServicePacketKind.PositiveQueryResponse)
                {
                    return NameServiceVerdict.Ignore;
                }

                foreach (var answer in AnswersOf(r.Packet, r.Source, ResolveSource.Broadcast))
                {
                    AddDistinct(answers, answer);
                }

                return answers.Count >= Options.MaxAnswers ? NameServiceVerdict.Finish : NameServiceVerdict.Collect;
            },
            cancellationToken).ConfigureAwait(false);
        var result = new NameQueryResult(name, answers.Count > 0 ? QueryOutcome.Found : QueryOutcome.Timeout, answers, null, []);
        return result.HasConflictingAnswers ? await VerifyClaimsAsync(result, cancellationToken).ConfigureAwait(false) : result;
    }

    /// <summary>
    /// Several nodes claimed a unique name with different addresses (a real conflict, or a Responder-style impostor
    /// answering every broadcast): asks each claimed address for its node status (RFC 1002 §4.2.17) and believes only
    /// the addresses whose own name table holds the name, unique and active. One verified address: found, with that
    /// address only. None or several: <see cref="QueryOutcome.Conflict"/>, so that no caller connects to a guess.
    /// </summary>
    private async ValueTask<NameQueryResult> VerifyClaimsAsync(NameQueryResult result, CancellationToken cancellationToken)
    {
        var name = result.Name;
        var claimed = ClaimedAddresses(result.Answers);
        var statuses = await Task.WhenAll(claimed.Select(a => NodeStatusCache.GetAsync(a, name, cancellationToken).AsTask())).ConfigureAwait(false);
        var verified = claimed.Where((_, i) => BroadcastClaimChecks.Holds(statuses[i], name)).ToList();
        string claims = ConflictingAnswers(name, result.Answers);
        string check = verified.Count == 0 ? "no claimed address holds it (node status)" : $"node status verified {string.Join(", ", verified)}";
        return verified.Count == 1
            ? result with { Answers = [.. result.Answers.Where(a => a.IsGroup || a.Address.Equals(verified[0]))], Diagnostics = [claims, check] }
            : result with { Outcome = QueryOutcome.Conflict, Diagnostics = [claims, check] };
    }

    private async ValueTask<NameQueryResult> QueryDnsAsync(NetBiosName name, CancellationToken cancellationToken)
    {
        // As Windows: only workstation and server names fall back to DNS, by their 15-byte name.
        if (name.Suffix is not (0x00 or 0x20) || Options.DnsResolver is not { } resolve)
        {
            return new NameQueryResult(name, QueryOutcome.NotFound, [], null, []);
        }

        try
        {
            var addresses = await resolve(name.NameText.Trim(), cancellationToken).ConfigureAwait(false);
            var answers = addresses.Where(a => a.AddressFamily == AddressFamily.InterNetwork)
                .Select(a => new NameQueryAnswer(a, false, NodeType.B, TimeSpan.Zero, null, ResolveSource.Dns))
                .ToList();
            return new NameQueryResult(name, answers.Count > 0 ? QueryOutcome.Found : QueryOutcome.NotFound, answers, null, []);
        }
        catch (SocketException ex)
        {
            return new NameQueryResult(name, QueryOutcome.NotFound, [], null, [$"DNS: {ex.Message}"]);
        }
    }

    private static List<NameQueryAnswer> AnswersOf(NameServicePacket response, IPEndPoint source, ResolveSource how) =>
        response.Answers
            .Where(r => r.Data is NbRecordData)
            .SelectMany(r => ((NbRecordData)r.Data).Entries.Select(e => new NameQueryAnswer(
                e.Address, e.IsGroup, e.NodeType, TimeSpan.FromSeconds(r.Ttl), source, how)))
            .ToList();

    private IPEndPoint? RedirectTarget(NameServicePacket response)
    {
        var address = response.Additional.Select(r => r.Data).OfType<ARecordData>().FirstOrDefault()?.Address;
        return address is null ? null : new IPEndPoint(address, Options.RemotePort);
    }

    /// <summary>nbtstat -R: empties the cache, reads the LMHOSTS file again from disk (a file that cannot be read now
    /// keeps the entries read before) and loads its <c>#PRE</c> entries.</summary>
    /// <returns>Entries dropped, preloaded entries loaded, and why the file could not be read again (null when it was,
    /// or when there is no file).</returns>
    internal (int Purged, int Preloaded, string? ReloadProblem) PurgeAndPreload()
    {
        string? problem = null;
        if (Options.Lmhosts is { SourcePath: not null } lmhosts)
        {
            try
            {
                Options.Lmhosts = lmhosts.Reload();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                problem = $"{lmhosts.SourcePath}: {ex.Message}";
            }
        }

        int purged = Cache.Purge();
        return (purged, PreloadLmhosts(), problem);
    }

    private int PreloadLmhosts()
    {
        if (Options.Lmhosts is not { } lmhosts)
        {
            return 0;
        }

        int count = 0;
        foreach (var entry in lmhosts.Entries.Where(e => e.Preload && !e.AnySuffix))
        {
            Cache.AddPermanent(entry.Name, [new NameQueryAnswer(entry.Address, entry.IsGroup, NodeType.B, TimeSpan.Zero, null, ResolveSource.Lmhosts)]);
            count++;
        }

        return count;
    }
}
