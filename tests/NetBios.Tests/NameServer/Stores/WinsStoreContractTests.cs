using System.Collections.Immutable;
using System.Net;
using NetBios.NameServer;
using NetBios.Wire.NameService;
using Xunit;

namespace NetBios.Tests.NameServer.Stores;

/// <summary>
/// The <see cref="IWinsStore"/> contract, run against every store: version-checked writes (0 = must be absent),
/// strictly increasing versions (across reopen for the durable stores), delete, enumerate, due.
/// </summary>
public abstract class WinsStoreContractTests : IAsyncLifetime
{
    private static readonly IPAddress Server = IPAddress.Parse("10.0.0.1");
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private IWinsStore? _store;

    /// <summary>The store under test (reopened by <see cref="ReopenAsync"/>).</summary>
    protected IWinsStore Store => _store ?? throw new InvalidOperationException("not open");

    /// <summary>True when the store survives a reopen (false for the in-memory store).</summary>
    protected abstract bool IsDurable { get; }

    /// <summary>True when <see cref="IWinsStore.FindAsync"/> always completes synchronously (a read-through store may or may not).</summary>
    protected abstract bool FindIsSynchronous { get; }

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Opens the store (a new, empty one the first time; the same data after <see cref="CloseAsync"/>).</summary>
    protected abstract Task<IWinsStore> OpenAsync();

    public virtual async ValueTask InitializeAsync() => _store = await OpenAsync();

    public virtual async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
            _store = null;
        }

        GC.SuppressFinalize(this);
    }

    protected async Task ReopenAsync()
    {
        await Store.DisposeAsync();
        _store = null;
        _store = await OpenAsync();
    }

    protected static WinsRecord Record(string name, byte suffix = 0x20, string? scope = null, params string[] addresses) => new()
    {
        Name = NetBiosName.Create(name, suffix, scope),
        Type = addresses.Length > 1 ? WinsRecordType.SpecialGroup : WinsRecordType.Unique,
        State = WinsRecordState.Active,
        NodeType = NodeType.H,
        Addresses = [.. (addresses.Length == 0 ? ["192.168.1.10"] : addresses).Select((a, i) => new WinsAddress(IPAddress.Parse(a), Server, T0.AddMinutes(i)))],
        Expires = T0.AddHours(1),
        Owner = Server,
    };

    protected static void AssertSame(WinsRecord expected, WinsRecord? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Name, actual.Name);
        Assert.True(expected.Name.BytesEqual(actual.Name));
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.State, actual.State);
        Assert.Equal(expected.NodeType, actual.NodeType);
        Assert.Equal(expected.Expires, actual.Expires);
        Assert.Equal(expected.Owner, actual.Owner);
        Assert.Equal(expected.IsStatic, actual.IsStatic);
        Assert.Equal(expected.Addresses.AsEnumerable(), actual.Addresses.AsEnumerable());
    }

    [Fact]
    public async Task Find_Absent_IsNull()
    {
        var find = Store.FindAsync(NetBiosName.Create("NOBODY", 0x20), Token);
        Assert.True(find.IsCompletedSuccessfully || !FindIsSynchronous);
        Assert.Null(await find);
        Assert.Equal(0, Store.MaxVersion);
    }

    [Fact]
    public async Task Write_Absent_WithZero_StoresWithNewVersion()
    {
        var record = Record("ALPHA", 0x20, null, "192.168.1.10", "192.168.1.11") with { IsStatic = true, State = WinsRecordState.Released, Version = 999 };
        var result = await Store.WriteAsync(record, 0, Token);

        Assert.True(result.Succeeded);
        Assert.True(result.Record!.Version > 0);
        Assert.NotEqual(999, result.Record.Version);
        Assert.Equal(result.Record.Version, Store.MaxVersion);
        var find = Store.FindAsync(record.Name, Token);
        Assert.True(find.IsCompletedSuccessfully || !FindIsSynchronous);
        var found = await find;
        AssertSame(record, found);
        Assert.Equal(result.Record.Version, found!.Version);
    }

    [Fact]
    public async Task Write_Present_WithZero_FailsAndReturnsCurrent()
    {
        var first = await Store.WriteAsync(Record("ALPHA"), 0, Token);
        var second = await Store.WriteAsync(Record("ALPHA", 0x20, null, "192.168.1.99"), 0, Token);

        Assert.False(second.Succeeded);
        Assert.Equal(first.Record!.Version, second.Record!.Version);
        Assert.Equal(IPAddress.Parse("192.168.1.10"), (await Store.FindAsync(first.Record.Name, Token))!.Addresses[0].Address);
    }

    [Fact]
    public async Task Write_StaleVersion_Fails_CurrentVersion_SucceedsWithHigherVersion()
    {
        var first = (await Store.WriteAsync(Record("ALPHA"), 0, Token)).Record!;
        var second = await Store.WriteAsync(Record("ALPHA") with { State = WinsRecordState.Released }, first.Version, Token);
        Assert.True(second.Succeeded);
        Assert.True(second.Record!.Version > first.Version);

        var stale = await Store.WriteAsync(Record("ALPHA"), first.Version, Token);
        Assert.False(stale.Succeeded);
        Assert.Equal(second.Record.Version, stale.Record!.Version);
        Assert.Equal(WinsRecordState.Released, stale.Record.State);

        var absentWithVersion = await Store.WriteAsync(Record("BRAVO"), 5, Token);
        Assert.False(absentWithVersion.Succeeded);
        Assert.Null(absentWithVersion.Record);
        Assert.Null(await Store.FindAsync(NetBiosName.Create("BRAVO", 0x20), Token));
    }

    [Fact]
    public async Task Delete_ChecksVersion()
    {
        var stored = (await Store.WriteAsync(Record("ALPHA"), 0, Token)).Record!;

        var wrong = await Store.DeleteAsync(stored.Name, stored.Version + 1, Token);
        Assert.False(wrong.Succeeded);
        Assert.Equal(stored.Version, wrong.Record!.Version);

        var absent = await Store.DeleteAsync(NetBiosName.Create("NOBODY", 0x20), 0, Token);
        Assert.False(absent.Succeeded);
        Assert.Null(absent.Record);

        var deleted = await Store.DeleteAsync(stored.Name, stored.Version, Token);
        Assert.True(deleted.Succeeded);
        Assert.Null(deleted.Record);
        Assert.Null(await Store.FindAsync(stored.Name, Token));

        var again = await Store.WriteAsync(Record("ALPHA"), 0, Token);
        Assert.True(again.Succeeded);
        Assert.True(again.Record!.Version > stored.Version);
    }

    [Fact]
    public async Task Names_AreBytesAndScope_CaseSensitive()
    {
        var upper = Record("ALPHA");
        var lower = Record("alpha");
        var scoped = Record("ALPHA", 0x20, "corp.example");
        var suffix = Record("ALPHA", 0x1C);
        foreach (var record in new[] { upper, lower, scoped, suffix })
        {
            Assert.True((await Store.WriteAsync(record, 0, Token)).Succeeded, record.Name.ToString());
        }

        foreach (var record in new[] { upper, lower, scoped, suffix })
        {
            AssertSame(record, await Store.FindAsync(record.Name, Token));
        }
    }

    [Fact]
    public async Task Enumerate_All_And_Due()
    {
        var early = Record("EARLY") with { Expires = T0.AddMinutes(5) };
        var exact = Record("EXACT") with { Expires = T0.AddMinutes(10) };
        var late = Record("LATE") with { Expires = T0.AddMinutes(20) };
        foreach (var record in new[] { early, exact, late })
        {
            await Store.WriteAsync(record, 0, Token);
        }

        var all = await ToListAsync(Store.EnumerateAsync(Token));
        Assert.Equal(["EARLY", "EXACT", "LATE"], all.Select(r => r.Name.NameText.TrimEnd()).Order(StringComparer.Ordinal));
        var due = await ToListAsync(Store.EnumerateDueAsync(T0.AddMinutes(10), Token));
        Assert.Equal(["EARLY", "EXACT"], due.Select(r => r.Name.NameText.TrimEnd()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Versions_StrictlyIncreasing_AcrossWritesAndReopen_EvenAfterDeletingTheHighest()
    {
        long last = 0;
        for (int i = 0; i < 20; i++)
        {
            var result = await Store.WriteAsync(Record($"N{i}"), 0, Token);
            Assert.True(result.Record!.Version > last);
            last = result.Record.Version;
        }

        var highest = (await Store.FindAsync(NetBiosName.Create("N19", 0x20), Token))!;
        Assert.True((await Store.DeleteAsync(highest.Name, highest.Version, Token)).Succeeded);
        if (IsDurable)
        {
            await ReopenAsync();
            Assert.True(Store.MaxVersion >= last);
            Assert.Equal(19, (await ToListAsync(Store.EnumerateAsync(Token))).Count);
            AssertSame(Record("N3"), await Store.FindAsync(NetBiosName.Create("N3", 0x20), Token));
        }

        var next = await Store.WriteAsync(Record("AFTER"), 0, Token);
        Assert.True(next.Record!.Version > last);
    }

    [Fact]
    public async Task ConcurrentInserts_OfOneName_ExactlyOneWins()
    {
        var tasks = Enumerable.Range(0, 32).Select(i => Store.WriteAsync(Record("RACE", 0x20, null, $"192.168.2.{i + 1}"), 0, Token).AsTask()).ToArray();
        var results = await Task.WhenAll(tasks);

        Assert.Single(results, r => r.Succeeded);
        var winner = results.Single(r => r.Succeeded).Record!;
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(winner.Version, r.Record!.Version));
    }

    [Fact]
    public async Task ConcurrentWriters_DistinctNames_AllStored_DistinctVersions()
    {
        var tasks = Enumerable.Range(0, 200).Select(i => Store.WriteAsync(Record($"W{i}"), 0, Token).AsTask()).ToArray();
        var results = await Task.WhenAll(tasks);

        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.Equal(200, results.Select(r => r.Record!.Version).Distinct().Count());
        Assert.Equal(results.Max(r => r.Record!.Version), Store.MaxVersion);
    }

    protected static async Task<List<WinsRecord>> ToListAsync(IAsyncEnumerable<WinsRecord> records)
    {
        var list = new List<WinsRecord>();
        await foreach (var record in records)
        {
            list.Add(record);
        }

        return list;
    }
}
