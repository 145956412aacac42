using System.Diagnostics.Metrics;
using System.Net;
using NetBios.Diagnostics;
using NetBios.NameServer;
using NetBios.NameService;
using NetBios.Tests.TestCommon;
using Xunit;

namespace NetBios.Tests.Diagnostics;

/// <summary>The "NetBios" meter: what a MeterListener (and so dotnet-counters) reads, and the snapshot nbt stats prints.</summary>
public sealed class NetBiosMetricsTests
{
    [Fact]
    public async Task AListenerReadsQueriesRegistrationsConflictsNamesAndDatagramsByLana()
    {
        await using var net = new StationTestNetwork();
        var (a, b, alice, _) = await net.AliceAndBob();
        Assert.Equal(QueryOutcome.Found, (await net.Run(b.QueryAsync(alice))).Outcome);
        var conflict = await net.Run(b.Names.RegisterAsync(alice)); // A defends ALICE<00>
        Assert.Equal(RegistrationOutcome.Conflict, conflict.Outcome);
        using var metrics = new NetBiosMetrics();
        metrics.AddStation(0, a);
        metrics.AddStation(1, b);

        var values = Listen(metrics);

        // B's query, and B's unicast query that verifies A's claim before B gives the name up.
        Assert.Equal(2, values[("netbios.name.queries_answered", 0, "")]);
        Assert.Equal(1, values[("netbios.name.registrations", 0, "outcome=registered")]);
        Assert.Equal(1, values[("netbios.name.registrations", 1, "outcome=registered")]);
        Assert.Equal(1, values[("netbios.name.registrations", 1, "outcome=conflict")]);
        Assert.Equal(1, values[("netbios.name.conflicts", 1, "")]);
        Assert.Equal(0, values[("netbios.name.conflicts", 0, "")]);
        Assert.True(values[("netbios.name.defences", 0, "")] >= 1);
        Assert.Equal(1, values[("netbios.names", 0, "state=registered")]);
        Assert.Equal(0, values[("netbios.names", 0, "state=conflict")]);
        Assert.True(values[("netbios.name.packets", 0, "direction=received")] >= 2);
        Assert.Equal(0, values[("netbios.drops", 0, "service=name,reason=malformed")]);
        Assert.Equal(0, values[("netbios.session.active", 1, "")]);
        Assert.Equal(0, values[("netbios.datagram.packets", 0, "direction=sent")]);
        Assert.DoesNotContain(values.Keys, k => k.Instrument.StartsWith("netbios.wins.", StringComparison.Ordinal)); // no server runs
    }

    [Fact]
    public async Task TheSnapshotHoldsWhatTheListenerReadsAndTheWinsServerWhenOneRuns()
    {
        await using var net = new StationTestNetwork();
        var (a, _, alice, _) = await net.AliceAndBob();
        await using var wins = new WinsServer(a.Names.Endpoint, new InMemoryWinsStore(), new WinsServerOptions { OwnAddress = a.Address }, net.Time);
        using var metrics = new NetBiosMetrics();
        metrics.AddStation(3, a);
        metrics.AddWinsServer(3, wins);

        // The stations keep working (a late broadcast may still arrive): compare a snapshot taken between two equal
        // listener readings, so that no counter moved while it was taken.
        var listened = Listen(metrics);
        var snapshot = metrics.GetSnapshot();
        for (int attempt = 0; attempt < 100; attempt++)
        {
            var after = Listen(metrics);
            if (after.Count == listened.Count && after.All(p => listened.TryGetValue(p.Key, out long v) && v == p.Value))
            {
                break;
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
            listened = Listen(metrics);
            snapshot = metrics.GetSnapshot();
        }

        Assert.Equal(listened.Count, snapshot.Count);
        foreach (var sample in snapshot)
        {
            Assert.Equal(3, sample.GetTag("lana"));
            Assert.Equal(a.Address.ToString(), sample.GetTag("address"));
            Assert.Equal(listened[Key(sample.Instrument, sample.Tags)], sample.Value);
        }

        Assert.Contains(snapshot, s => s.Instrument == "netbios.wins.requests" && (string?)s.GetTag("kind") == "registration" && s.Kind == NetBiosMetricKind.Counter);
        Assert.Contains(snapshot, s => s.Instrument == "netbios.wins.pending" && s.Kind == NetBiosMetricKind.Gauge && s.Unit == "{request}");
        Assert.Equal(NetBiosMetrics.InstrumentNames.ToHashSet(), snapshot.Select(s => s.Instrument).ToHashSet());
        Assert.NotNull(alice.ToString());
    }

    [Fact]
    public async Task ARemovedLanaIsNoLongerMeasuredAndALanaTakesOneStation()
    {
        await using var net = new StationTestNetwork();
        var a = net.AddStation();
        using var metrics = new NetBiosMetrics();
        metrics.AddStation(0, a);

        Assert.Throws<InvalidOperationException>(() => metrics.AddStation(0, a));
        Assert.True(metrics.Remove(0));
        Assert.False(metrics.Remove(0));
        Assert.Empty(metrics.GetSnapshot());
        Assert.Empty(Listen(metrics));
    }

    [Fact]
    public void TheMeterIsNamedNetBios()
    {
        using var metrics = new NetBiosMetrics();

        Assert.Equal("NetBios", metrics.Meter.Name);
        Assert.Equal(NetBiosMetrics.MeterName, metrics.Meter.Name);
        Assert.Contains("netbios.name.queries_answered", NetBiosMetrics.InstrumentNames);
        Assert.Contains("netbios.drops", NetBiosMetrics.InstrumentNames);
    }

    /// <summary>One collection of every observable instrument of <paramref name="metrics"/>'s meter, as dotnet-counters does it.</summary>
    private static Dictionary<(string Instrument, int Lana, string Tags), long> Listen(NetBiosMetrics metrics)
    {
        var values = new Dictionary<(string, int, string), long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => values[Key(instrument.Name, tags.ToArray())] = value);
        listener.Start();
        listener.RecordObservableInstruments();
        return values;
    }

    private static (string Instrument, int Lana, string Tags) Key(string instrument, IEnumerable<KeyValuePair<string, object?>> tags)
    {
        var list = tags.ToList();
        int lana = (int)list.Single(t => t.Key == "lana").Value!;
        string rest = string.Join(",", list.Where(t => t.Key is not "lana" and not "address").Select(t => $"{t.Key}={t.Value}"));
        return (instrument, lana, rest);
    }
}
