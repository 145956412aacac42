using System.Text;
using System.Text.Json;
using NetBios;
using NetBios.Daemon;
using NetBios.NameService;
using Xunit;

namespace Nbtd.Tests;

/// <summary>
/// Issue 19 ("--json on every command, with one documented schema per command") for the commands that work through nbtd
/// only (<c>nbt names</c>, <c>sessions</c>, <c>cache</c>, <c>cache --purge</c>, <c>stats</c>, and <c>register</c> held by nbtd) against a real nbtd that
/// holds a session between two of its clients and a cache with an LMHOSTS entry. Each object must have exactly the
/// fields docs/CLI.md documents for it ("nbt names, sessions, cache, stats" JSON), each of its documented JSON type.
/// </summary>
public sealed class NbtdJsonSchemaTests
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NamesSessionsCacheAndStats_MatchTheirDocumentedSchemas()
    {
        var ports = FreePorts.Take();
        string lmhosts = Path.Combine(Directory.CreateTempSubdirectory("nbtd-schema-").FullName, "lmhosts");
        File.WriteAllText(lmhosts, "127.0.0.9 \"PRELOADED      \\0x20\" #PRE\n");
        await using var nbtd = NbtdProcess.Start([.. FreePorts.LoopbackStation(ports, "NBTDSCHEMA"), "--Stations:0:Lmhosts=" + lmhosts]);
        await nbtd.WaitForOutputAsync("serving local programs", StartLimit);
        var env = new Dictionary<string, string> { ["NBT_DAEMON"] = nbtd.SocketPath! };

        // Two clients of the station in one session, one message each way.
        await using var left = await NetBiosDaemonStation.ConnectAsync(nbtd.SocketPath!, 0, Ct);
        await using var right = await NetBiosDaemonStation.ConnectAsync(nbtd.SocketPath!, 0, Ct);
        var caller = NetBiosName.Create("SCHEMACALL", 0x00);
        var listener = NetBiosName.Create("SCHEMALSN", 0x00);
        Assert.Equal(RegistrationOutcome.Registered, (await left.AddNameAsync(caller, cancellationToken: Ct)).Outcome);
        Assert.Equal(RegistrationOutcome.Registered, (await right.AddNameAsync(listener, cancellationToken: Ct)).Outcome);
        var listening = right.ListenAsync(listener, null, Ct).AsTask();
        var call = await left.CallAsync(caller, listener, Ct);
        Assert.True(call.IsConnected, call.ToString());
        var listened = await listening.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.True(listened.IsConnected, listened.ToString());
        Assert.Equal(NetBios.SessionService.SessionIoStatus.Ok, await call.Session.SendAsync("hello"u8.ToArray(), Ct));
        var got = await listened.Session.ReceiveAsync(new byte[64], Ct);
        Assert.Equal(5, got.BytesReceived);

        using (var names = await JsonOfAsync(env, "names"))
        {
            var entries = names.RootElement.GetProperty("names").EnumerateArray().ToList();
            Assert.NotEmpty(entries);
            foreach (var entry in entries)
            {
                AssertFields(entry, ("lana", Num), ("name", Name), ("group", Bool), ("permanent", Bool), ("state", Str), ("ttl", Num),
                    ("ttlLeft", NumOrNull), ("nextRefresh", NumOrNull), ("conflictOwner", StrOrNull), ("holder", Str),
                    ("pid", NumOrNull), ("uid", NumOrNull));
            }

            var held = entries.Single(e => e.GetProperty("name").GetProperty("name").GetString() == "SCHEMACALL");
            Assert.Equal("client", held.GetProperty("holder").GetString());
            Assert.Equal(JsonValueKind.Number, held.GetProperty("pid").ValueKind);
        }

        using (var sessions = await JsonOfAsync(env, "sessions"))
        {
            var entries = sessions.RootElement.GetProperty("sessions").EnumerateArray().ToList();
            Assert.Equal(2, entries.Count); // the calling end and the listening end, both on this station
            foreach (var entry in entries)
            {
                AssertFields(entry, ("lana", Num), ("id", Num), ("localName", Name), ("remoteName", Name), ("remote", StrOrNull),
                    ("direction", Str), ("state", Str), ("pendingReceives", Num), ("pendingSends", Num), ("messagesSent", Num),
                    ("bytesSent", Num), ("messagesReceived", Num), ("bytesReceived", Num), ("holder", Str), ("pid", NumOrNull), ("uid", NumOrNull));
            }

            var outbound = entries.Single(e => e.GetProperty("direction").GetString() == "outbound");
            Assert.Equal(1, outbound.GetProperty("messagesSent").GetInt64());
            Assert.Equal(5, outbound.GetProperty("bytesSent").GetInt64());
            var inbound = entries.Single(e => e.GetProperty("direction").GetString() == "inbound");
            Assert.Equal(5, inbound.GetProperty("bytesReceived").GetInt64());
        }

        using (var cache = await JsonOfAsync(env, "cache"))
        {
            var entries = cache.RootElement.GetProperty("cache").EnumerateArray().ToList();
            Assert.Contains(entries, e => e.GetProperty("name").GetProperty("name").GetString() == "PRELOADED");
            foreach (var entry in entries)
            {
                AssertFields(entry, ("lana", Num), ("name", Name), ("negative", Bool), ("permanent", Bool), ("expiresIn", NumOrNull),
                    ("addresses", a => Assert.All(a.EnumerateArray(), address =>
                        AssertFields(address, ("address", Str), ("group", Bool), ("nodeType", Str), ("source", Str)))));
            }
        }

        using (var purged = await JsonOfAsync(env, "cache", "--purge"))
        {
            var entry = Assert.Single(purged.RootElement.GetProperty("purged").EnumerateArray());
            AssertFields(entry, ("lana", Num), ("purged", Num), ("preloaded", Num));
            Assert.Equal(1, entry.GetProperty("preloaded").GetInt32());
        }

        using (var stats = await JsonOfAsync(env, "stats"))
        {
            var metrics = stats.RootElement.GetProperty("metrics").EnumerateArray().ToList();
            Assert.NotEmpty(metrics);
            foreach (var metric in metrics)
            {
                AssertFields(metric, ("instrument", Str), ("unit", StrOrNull), ("kind", Str), ("value", Num), ("tags", t => Assert.Equal(JsonValueKind.Object, t.ValueKind)));
                Assert.Contains(metric.GetProperty("kind").GetString(), new[] { "counter", "gauge" });
            }
        }

        using (var register = await JsonOfAsync(env, "register", "SCHEMAHELD"))
        {
            AssertFields(register.RootElement, ("name", Name), ("outcome", Str), ("owner", StrOrNull), ("rcode", StrOrNull), ("ttl", Num),
                ("respondedBy", StrOrNull), ("heldBy", StrOrNull), ("lana", Num));
            Assert.Equal("daemon", register.RootElement.GetProperty("heldBy").GetString());
            Assert.Equal(0, register.RootElement.GetProperty("lana").GetInt32());
        }

        await call.Session.DisposeAsync();
        await listened.Session.DisposeAsync();
    }

    private static async Task<JsonDocument> JsonOfAsync(Dictionary<string, string> env, params string[] command)
    {
        var run = await NbtProcess.RunAsync(env, [.. command, "--json"]);
        Assert.True(run.Exit == 0, run.Stderr);
        return JsonDocument.Parse(run.Stdout);
    }

    /// <summary>Exactly these fields, each checked; no undocumented one.</summary>
    private static void AssertFields(JsonElement element, params (string Name, Action<JsonElement> Check)[] fields)
    {
        Assert.Equal(JsonValueKind.Object, element.ValueKind);
        Assert.Equal(fields.Select(f => f.Name).Order(StringComparer.Ordinal), element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        foreach (var (name, check) in fields)
        {
            check(element.GetProperty(name));
        }
    }

    private static void Str(JsonElement e) => Assert.Equal(JsonValueKind.String, e.ValueKind);

    private static void StrOrNull(JsonElement e) => Assert.Contains(e.ValueKind, new[] { JsonValueKind.String, JsonValueKind.Null });

    private static void Num(JsonElement e) => Assert.Equal(JsonValueKind.Number, e.ValueKind);

    private static void NumOrNull(JsonElement e) => Assert.Contains(e.ValueKind, new[] { JsonValueKind.Number, JsonValueKind.Null });

    private static void Bool(JsonElement e) => Assert.Contains(e.ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });

    /// <summary>A name object ("Names in JSON" in docs/CLI.md).</summary>
    private static void Name(JsonElement e)
    {
        AssertFields(e, ("display", Str), ("name", Str), ("suffix", s => Assert.Matches("^[0-9A-F]{2}$", s.GetString())),
            ("scope", StrOrNull), ("bytes", b => Assert.Matches("^[0-9A-F]{32}$", b.GetString())));
    }
}
