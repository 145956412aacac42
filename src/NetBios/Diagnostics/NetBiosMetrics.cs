using System.Diagnostics.Metrics;
using NetBios.NameServer;
using NetBios.NameService;
using NetBios.Station;

namespace NetBios.Diagnostics;

/// <summary>
/// The stack's System.Diagnostics.Metrics instruments on the meter <see cref="MeterName"/> ("NetBios"): name queries
/// answered, registrations by outcome, conflicts, names held, sessions, datagrams, drops by reason, and the WINS
/// server's requests, readable with <c>dotnet-counters monitor --counters NetBios -n nbtd</c> or any MeterListener,
/// and as a <see cref="GetSnapshot">snapshot</see> (what <c>nbt stats</c> prints).
/// </summary>
/// <remarks>
/// <para>
/// Every instrument is observable: its callback reads the counters the engines keep anyway
/// (<see cref="NameServiceStatistics"/>, <see cref="DatagramService.DatagramServiceStatistics"/>, the session
/// service's counts, <see cref="WinsServerStatistics"/>), so measuring adds nothing to the hot paths. Each
/// measurement is tagged <c>lana</c> (int) and <c>address</c> (the station's IPv4 address), plus the instrument's own
/// tag (<c>direction</c>, <c>outcome</c>, <c>state</c>, <c>service</c> and <c>reason</c>, <c>kind</c>, <c>result</c>).
/// The instrument names, units and tags are listed in docs/NBTD.md.
/// </para>
/// <para>Thread safety: all members may be called concurrently; callbacks read the sources under a lock.</para>
/// </remarks>
public sealed class NetBiosMetrics : IDisposable
{
    /// <summary>The meter's name: "NetBios".</summary>
    public const string MeterName = "NetBios";

    private static readonly MetricDefinition[] Definitions = CreateDefinitions();
    private readonly Lock _gate = new();
    private readonly SortedDictionary<byte, MetricSource> _sources = [];
    private readonly bool _ownsMeter;

    /// <summary>Creates the meter and its instruments.</summary>
    /// <param name="meterFactory">Where the meter comes from (a host's <see cref="IMeterFactory"/>); a meter of
    /// its own when <see langword="null"/>.</param>
    public NetBiosMetrics(IMeterFactory? meterFactory = null)
    {
        var options = new MeterOptions(MeterName) { Version = typeof(NetBiosMetrics).Assembly.GetName().Version?.ToString() };
        _ownsMeter = meterFactory is null;
        Meter = meterFactory?.Create(options) ?? new Meter(options);
        foreach (var definition in Definitions)
        {
            var captured = definition;
            if (definition.Kind == NetBiosMetricKind.Counter)
            {
                Meter.CreateObservableCounter(definition.Name, () => Observe(captured), definition.Unit, definition.Description);
            }
            else
            {
                Meter.CreateObservableUpDownCounter(definition.Name, () => Observe(captured), definition.Unit, definition.Description);
            }
        }
    }

    /// <summary>The meter the instruments belong to (its name is <see cref="MeterName"/>).</summary>
    public Meter Meter { get; }

    /// <summary>The names of every instrument, in the order they were created.</summary>
    public static IReadOnlyList<string> InstrumentNames { get; } = [.. Definitions.Select(d => d.Name)];

    /// <summary>Measures a station from now on (its name, datagram and session services).</summary>
    /// <param name="lana">Its LANA number (tag <c>lana</c>).</param>
    /// <param name="station">The station.</param>
    /// <exception cref="ArgumentNullException"><paramref name="station"/> is null.</exception>
    /// <exception cref="InvalidOperationException">A station is already measured for <paramref name="lana"/>.</exception>
    public void AddStation(byte lana, NetBiosStation station)
    {
        ArgumentNullException.ThrowIfNull(station);
        lock (_gate)
        {
            if (_sources.TryGetValue(lana, out var source) && source.Station is not null)
            {
                throw new InvalidOperationException($"LANA {lana} already has a station.");
            }

            _sources[lana] = new MetricSource(lana, station.Address.ToString(), station, source?.Wins);
        }
    }

    /// <summary>Measures the WINS server running on a LANA's name service endpoint from now on.</summary>
    /// <param name="lana">The LANA whose endpoint the server shares.</param>
    /// <param name="server">The server.</param>
    /// <exception cref="ArgumentNullException"><paramref name="server"/> is null.</exception>
    /// <exception cref="InvalidOperationException">A server is already measured for <paramref name="lana"/>.</exception>
    public void AddWinsServer(byte lana, WinsServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        lock (_gate)
        {
            if (_sources.TryGetValue(lana, out var source) && source.Wins is not null)
            {
                throw new InvalidOperationException($"LANA {lana} already has a WINS server.");
            }

            _sources[lana] = source is null ? new MetricSource(lana, server.OwnAddress.ToString(), null, server) : source with { Wins = server };
        }
    }

    /// <summary>Stops measuring a LANA (its station and its server).</summary>
    /// <param name="lana">The LANA number.</param>
    /// <returns>False when nothing was measured for it.</returns>
    public bool Remove(byte lana)
    {
        lock (_gate)
        {
            return _sources.Remove(lana);
        }
    }

    /// <summary>Every instrument's current values, by LANA, in the order the instruments were created.</summary>
    /// <returns>The samples; empty when nothing is measured.</returns>
    public IReadOnlyList<NetBiosMetricSample> GetSnapshot()
    {
        var samples = new List<NetBiosMetricSample>();
        foreach (var definition in Definitions)
        {
            foreach (var measurement in Observe(definition))
            {
                samples.Add(new NetBiosMetricSample(definition.Name, definition.Unit, definition.Kind, measurement.Value, measurement.Tags.ToArray()));
            }
        }

        return samples;
    }

    /// <summary>Disposes the meter when this instance created it (a factory's meter is the factory's to dispose).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _sources.Clear();
        }

        if (_ownsMeter)
        {
            Meter.Dispose();
        }
    }

    private List<Measurement<long>> Observe(MetricDefinition definition)
    {
        var measurements = new List<Measurement<long>>();
        lock (_gate)
        {
            foreach (var source in _sources.Values)
            {
                definition.Read(source, measurements);
            }
        }

        return measurements;
    }

    private static MetricDefinition[] CreateDefinitions()
    {
        const NetBiosMetricKind counter = NetBiosMetricKind.Counter;
        const NetBiosMetricKind gauge = NetBiosMetricKind.Gauge;
        return
        [
            // ---- name service (RFC 1002 §4.2, UDP 137) ----
            new("netbios.name.packets", "{packet}", "Name service datagrams received and sent (tag direction)", counter, (s, m) =>
            {
                if (s.Station?.Names.Statistics is { } st)
                {
                    m.Add(new(st.Received, s.Tags("direction", "received")));
                    m.Add(new(st.Sent, s.Tags("direction", "sent")));
                }
            }),
            new("netbios.name.queries_answered", "{query}", "Name queries for this node's names answered positively", counter, (s, m) =>
            {
                if (s.Station?.Names.Statistics is { } st)
                {
                    m.Add(new(st.QueriesAnswered, s.Tags()));
                }
            }),
            new("netbios.name.node_status_answered", "{request}", "Node status requests answered", counter, (s, m) =>
            {
                if (s.Station?.Names.Statistics is { } st)
                {
                    m.Add(new(st.NodeStatusAnswered, s.Tags()));
                }
            }),
            new("netbios.name.registrations", "{registration}", "Registrations of this node's names, by outcome (tag outcome)", counter, (s, m) =>
            {
                if (s.Station?.Names.Statistics is { } st)
                {
                    foreach (var outcome in Enum.GetValues<RegistrationOutcome>())
                    {
                        m.Add(new(st.GetRegistrations(outcome), s.Tags("outcome", OutcomeTag(outcome))));
                    }
                }
            }),
            new("netbios.name.conflicts", "{conflict}", "Registrations of this node's names refused because another node owns the name", counter, (s, m) =>
            {
                if (s.Station?.Names.Statistics is { } st)
                {
                    m.Add(new(st.GetRegistrations(RegistrationOutcome.Conflict), s.Tags()));
                }
            }),
            new("netbios.name.defences", "{defence}", "Registrations of this node's names by others answered ACT_ERR", counter, (s, m) =>
            {
                if (s.Station?.Names.Statistics is { } st)
                {
                    m.Add(new(st.Defences, s.Tags()));
                }
            }),
            new("netbios.names", "{name}", "Names in the station's name table, by state (tag state)", gauge, (s, m) =>
            {
                if (s.Station is { } station)
                {
                    Span<long> counts = stackalloc long[4];
                    foreach (var name in station.GetNames())
                    {
                        if ((int)name.State < counts.Length)
                        {
                            counts[(int)name.State]++;
                        }
                    }

                    m.Add(new(counts[(int)LocalNameState.Registering], s.Tags("state", "registering")));
                    m.Add(new(counts[(int)LocalNameState.Registered], s.Tags("state", "registered")));
                    m.Add(new(counts[(int)LocalNameState.Deregistered], s.Tags("state", "deregistered")));
                    m.Add(new(counts[(int)LocalNameState.Conflict], s.Tags("state", "conflict")));
                }
            }),

            // ---- session service (RFC 1002 §4.3, TCP 139) ----
            new("netbios.session.opened", "{session}", "Sessions established (called and accepted)", counter, (s, m) =>
            {
                if (s.Station?.Sessions is { } sessions)
                {
                    m.Add(new(sessions.SessionsOpened, s.Tags()));
                }
            }),
            new("netbios.session.active", "{session}", "Sessions established now", gauge, (s, m) =>
            {
                if (s.Station?.Sessions is { } sessions)
                {
                    m.Add(new(sessions.SessionCount, s.Tags()));
                }
            }),
            new("netbios.session.connections", "{connection}", "Accepted TCP connections still open (handshaking or established)", gauge, (s, m) =>
            {
                if (s.Station?.Sessions is { } sessions)
                {
                    m.Add(new(sessions.AcceptedConnectionCount, s.Tags()));
                }
            }),

            // ---- datagram service (RFC 1002 §4.4, UDP 138) ----
            new("netbios.datagram.packets", "{packet}", "Datagram service packets received and sent, each fragment counted (tag direction)", counter, (s, m) =>
            {
                if (s.Station?.Datagrams.Statistics is { } st)
                {
                    m.Add(new(st.Received, s.Tags("direction", "received")));
                    m.Add(new(st.Sent, s.Tags("direction", "sent")));
                }
            }),
            new("netbios.datagram.delivered", "{datagram}", "Whole datagrams handed to at least one receiver", counter, (s, m) =>
            {
                if (s.Station?.Datagrams.Statistics is { } st)
                {
                    m.Add(new(st.Delivered, s.Tags()));
                }
            }),

            // ---- drops, both UDP services ----
            new("netbios.drops", "{packet}", "Packets dropped or answers not sent, by service and reason (tags service, reason)", counter, (s, m) =>
            {
                if (s.Station is { } station)
                {
                    var names = station.Names.Statistics;
                    m.Add(new(names.Malformed, s.Tags([new("service", "name"), new("reason", "malformed")])));
                    m.Add(new(names.Unsolicited, s.Tags([new("service", "name"), new("reason", "unsolicited")])));
                    m.Add(new(names.AnswersRateLimited, s.Tags([new("service", "name"), new("reason", "rate_limited")])));
                    m.Add(new(names.UnconfirmedClaims, s.Tags([new("service", "name"), new("reason", "unconfirmed_claim")])));
                    var datagrams = station.Datagrams.Statistics;
                    m.Add(new(datagrams.Malformed, s.Tags([new("service", "datagram"), new("reason", "malformed")])));
                    m.Add(new(datagrams.NotForUs, s.Tags([new("service", "datagram"), new("reason", "not_for_us")])));
                    m.Add(new(datagrams.FragmentsRejected, s.Tags([new("service", "datagram"), new("reason", "fragment_rejected")])));
                    m.Add(new(datagrams.PartialsDropped, s.Tags([new("service", "datagram"), new("reason", "partial_dropped")])));
                    m.Add(new(datagrams.QueueOverflows, s.Tags([new("service", "datagram"), new("reason", "queue_overflow")])));
                }
            }),

            // ---- WINS server (RFC 1002 §5.1.2, MS-NBTE) ----
            new("netbios.wins.requests", "{request}", "WINS server requests by what came of them (tag kind)", counter, (s, m) =>
            {
                if (s.Wins?.Statistics is { } st)
                {
                    m.Add(new(st.Queries, s.Tags("kind", "query")));
                    m.Add(new(st.QueriesNotFound, s.Tags("kind", "query_not_found")));
                    m.Add(new(st.Registrations, s.Tags("kind", "registration")));
                    m.Add(new(st.Refreshes, s.Tags("kind", "refresh")));
                    m.Add(new(st.Rejected, s.Tags("kind", "rejected")));
                    m.Add(new(st.Releases, s.Tags("kind", "release")));
                    m.Add(new(st.ReleasesIgnored, s.Tags("kind", "release_ignored")));
                    m.Add(new(st.ResendsAbsorbed, s.Tags("kind", "resend_absorbed")));
                    m.Add(new(st.BurstAnswers, s.Tags("kind", "burst_answer")));
                }
            }),
            new("netbios.wins.challenges", "{challenge}", "Old owners challenged, and how it ended (tag result)", counter, (s, m) =>
            {
                if (s.Wins?.Statistics is { } st)
                {
                    m.Add(new(st.Challenges, s.Tags("result", "started")));
                    m.Add(new(st.ChallengesKept, s.Tags("result", "kept")));
                    m.Add(new(st.ChallengesHandedOver, s.Tags("result", "handed_over")));
                }
            }),
            new("netbios.wins.errors", "{error}", "WINS store and hook failures (tag reason)", counter, (s, m) =>
            {
                if (s.Wins?.Statistics is { } st)
                {
                    m.Add(new(st.StoreFailures, s.Tags("reason", "store_failure")));
                    m.Add(new(st.VersionConflicts, s.Tags("reason", "version_conflict")));
                    m.Add(new(st.HookFailures, s.Tags("reason", "hook_failure")));
                    m.Add(new(st.HookDropped, s.Tags("reason", "hook_dropped")));
                }
            }),
            new("netbios.wins.scavenged", "{record}", "Records released, tombstoned or deleted, and members expired, by the scavenger", counter, (s, m) =>
            {
                if (s.Wins?.Statistics is { } st)
                {
                    m.Add(new(st.Scavenged, s.Tags()));
                }
            }),
            new("netbios.wins.pending", "{request}", "Registrations, refreshes and releases being decided (challenges included)", gauge, (s, m) =>
            {
                if (s.Wins is { } wins)
                {
                    m.Add(new(wins.Pending, s.Tags()));
                }
            }),
        ];
    }

    private static string OutcomeTag(RegistrationOutcome outcome) => outcome switch
    {
        RegistrationOutcome.Registered => "registered",
        RegistrationOutcome.Conflict => "conflict",
        RegistrationOutcome.Refused => "refused",
        RegistrationOutcome.Duplicate => "duplicate",
        RegistrationOutcome.TableFull => "table_full",
        RegistrationOutcome.Timeout => "timeout",
        _ => "other",
    };
}
