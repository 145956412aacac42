using System.Net;
using System.Text.Json;
using NetBios.NameServer;
using NetBios.NameServer.Sqlite;
using NetBios.Tests.NameServer.Stores;
using NetBios.Wire.NameService;
using Xunit;

namespace NetBios.Tests.Cli;

/// <summary><c>nbt wins list|show|delete</c> in-process over an SQLite file (and a PostgreSQL database when installed).</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class WinsCommandTests(PostgreSqlServer postgres) : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("nbt-wins-cli-");

    private string DbPath => Path.Combine(_dir.FullName, "wins.db");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Delete(recursive: true);

    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = await Nbt.Cli.Program.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static readonly DateTimeOffset Expiry = new(2026, 12, 31, 23, 0, 0, TimeSpan.Zero);

    private static WinsRecord Unique(string name, byte suffix, string address) => new()
    {
        Name = NetBiosName.Create(name, suffix),
        Type = WinsRecordType.Unique,
        State = WinsRecordState.Active,
        NodeType = NodeType.H,
        Addresses = [new WinsAddress(IPAddress.Parse(address), IPAddress.Parse("10.0.0.1"), Expiry)],
        Expires = Expiry,
        Owner = IPAddress.Parse("10.0.0.1"),
    };

    private static async Task SeedAsync(IWinsStore store)
    {
        await store.WriteAsync(Unique("ALPHA", 0x00, "192.168.1.10"), 0, Token);
        await store.WriteAsync(Unique("ALPHA", 0x20, "192.168.1.10"), 0, Token);
        await store.WriteAsync(Unique("WORKGROUP", 0x1C, "192.168.1.2") with
        {
            Type = WinsRecordType.SpecialGroup,
            Addresses = [new WinsAddress(IPAddress.Parse("192.168.1.2"), IPAddress.Parse("10.0.0.1"), Expiry), new WinsAddress(IPAddress.Parse("192.168.1.3"), IPAddress.Parse("10.0.0.2"), Expiry)],
        }, 0, Token);
    }

    private async Task SeedFileAsync()
    {
        await using var store = await SqliteWinsStore.OpenAsync(DbPath, cancellationToken: Token);
        await SeedAsync(store);
    }

    [Fact]
    public async Task List_Table_EveryName()
    {
        await SeedFileAsync();
        var (exit, stdout, stderr) = await RunAsync("wins", "list", "--database", DbPath);

        Assert.True(exit == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.StartsWith("ALPHA<00>", StringComparison.Ordinal) && l.Contains("Unique", StringComparison.Ordinal) && l.Contains("192.168.1.10", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("WORKGROUP<1c>", StringComparison.OrdinalIgnoreCase) && l.Contains("192.168.1.2,192.168.1.3", StringComparison.Ordinal));
        Assert.Contains("3 names", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_Json_FieldsAndHexSuffix()
    {
        await SeedFileAsync();
        var (exit, stdout, stderr) = await RunAsync("wins", "list", "--json", "--database", DbPath);

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var group = json.RootElement.EnumerateArray().Single(e => e.GetProperty("name").GetProperty("suffix").GetString() == "1C");
        Assert.Equal("WORKGROUP", group.GetProperty("name").GetProperty("name").GetString());
        Assert.Equal("SpecialGroup", group.GetProperty("type").GetString());
        Assert.Equal("Active", group.GetProperty("state").GetString());
        Assert.Equal("10.0.0.1", group.GetProperty("owner").GetString());
        Assert.Equal(3, group.GetProperty("version").GetInt64());
        Assert.Equal("2026-12-31T23:00:00.0000000Z", group.GetProperty("expires").GetString());
        Assert.Equal(["192.168.1.2", "192.168.1.3"], group.GetProperty("addresses").EnumerateArray().Select(a => a.GetProperty("address").GetString()));
        Assert.Equal("10.0.0.2", group.GetProperty("addresses")[1].GetProperty("owner").GetString());
    }

    [Fact]
    public async Task Show_OneName_And_NotFound()
    {
        await SeedFileAsync();
        var (exit, stdout, stderr) = await RunAsync("wins", "show", "alpha#20", "--database", DbPath);
        Assert.True(exit == 0, stderr);
        Assert.Contains("ALPHA<20>", stdout, StringComparison.Ordinal);
        Assert.Contains("owner", stdout, StringComparison.Ordinal);
        Assert.Contains("version", stdout, StringComparison.Ordinal);
        Assert.Contains("2026-12-31 23:00:00Z", stdout, StringComparison.Ordinal);

        Assert.Equal(string.Empty, stderr);

        (exit, _, stderr) = await RunAsync("wins", "show", "NOBODY", "--database", DbPath);
        Assert.Equal(1, exit);
        Assert.StartsWith("nbt: NOBODY<00>: not in the database", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_RemovesTheName_Json()
    {
        await SeedFileAsync();
        var (exit, stdout, stderr) = await RunAsync("wins", "delete", "ALPHA", "--json", "--database", DbPath);
        Assert.True(exit == 0, stderr);
        using (var json = JsonDocument.Parse(stdout))
        {
            Assert.Equal("00", json.RootElement.GetProperty("deleted").GetProperty("name").GetProperty("suffix").GetString());
        }

        await using var store = await SqliteWinsStore.OpenAsync(DbPath, cancellationToken: Token);
        Assert.Null(await store.FindAsync(NetBiosName.Create("ALPHA", 0x00), Token));
        Assert.NotNull(await store.FindAsync(NetBiosName.Create("ALPHA", 0x20), Token));
        Assert.Equal(3, store.MaxVersion);
    }

    [Fact]
    public async Task ShowAndDelete_LowerCaseRegisteredName_FoundByItsExactBytes()
    {
        await using (var store = await SqliteWinsStore.OpenAsync(DbPath, cancellationToken: Token))
        {
            await store.WriteAsync(Unique("laptop", 0x00, "192.168.1.50"), 0, Token);
        }

        var (exit, stdout, stderr) = await RunAsync("wins", "show", "laptop", "--database", DbPath);
        Assert.True(exit == 0, stderr);
        Assert.Contains("192.168.1.50", stdout, StringComparison.Ordinal);
        (exit, _, stderr) = await RunAsync("wins", "delete", "laptop", "--database", DbPath);
        Assert.True(exit == 0, stderr);
        (exit, _, _) = await RunAsync("wins", "show", "laptop", "--database", DbPath);
        Assert.Equal(1, exit);
    }

    [Fact]
    public async Task MissingFile_Exit2_NotCreated()
    {
        var (exit, _, stderr) = await RunAsync("wins", "list", "--database", DbPath);
        Assert.Equal(2, exit);
        Assert.StartsWith("nbt: ", stderr, StringComparison.Ordinal);
        Assert.Contains(DbPath, stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(DbPath));
    }

    [Fact]
    public async Task CorruptFile_OneLine_Exit3_NamingTheFile()
    {
        await File.WriteAllTextAsync(DbPath, string.Concat(Enumerable.Repeat("garbage ", 1000)), Token);
        var (exit, _, stderr) = await RunAsync("wins", "list", "--database", DbPath);
        Assert.Equal(3, exit);
        Assert.StartsWith($"nbt: {DbPath}: corrupt", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task LockedByARunningServer_Exit3()
    {
        await using var server = await SqliteWinsStore.OpenAsync(DbPath, cancellationToken: Token);
        var (exit, _, stderr) = await RunAsync("wins", "list", "--database", DbPath);
        Assert.Equal(3, exit);
        Assert.Contains("locked", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wins", "list", "--database-url", "postgres://host/db?NoSuchKeyword=1")]
    [InlineData("wins", "list", "--database", "a.db", "--database-url", "postgres://h/d")]
    [InlineData("wins", "show", "BAD<ZZ>", "--database", "a.db")]
    [InlineData("wins", "delete")]
    [InlineData("wins", "bogus")]
    public async Task BadArguments_Exit2(params string[] args)
    {
        var (exit, _, stderr) = await RunAsync(args);
        Assert.Equal(2, exit);
        Assert.StartsWith("nbt: ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachablePostgreSql_Exit3()
    {
        var (exit, _, stderr) = await RunAsync("wins", "list", "--database-url", "postgres://nobody@127.0.0.1:1/wins?Timeout=2");
        Assert.Equal(3, exit);
        Assert.StartsWith("nbt: --database-url: postgres://127.0.0.1:1/wins", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostgreSql_ListShowDelete()
    {
        postgres.Require();
        string schema = postgres.NewSchema();
        await using (var store = await NetBios.NameServer.PostgreSql.PostgreSqlWinsStore.OpenAsync(postgres.ConnectionString, new() { Schema = schema }, cancellationToken: Token))
        {
            await SeedAsync(store);
        }

        // The CLI uses the default schema "nbt": seed it there too through the CLI's own path.
        await using (var store = await NetBios.NameServer.PostgreSql.PostgreSqlWinsStore.OpenAsync(postgres.ConnectionString, cancellationToken: Token))
        {
            await SeedAsync(store);
        }

        string url = $"postgres://postgres@127.0.0.1:{postgres.Port}/postgres";
        var (exit, stdout, stderr) = await RunAsync("wins", "list", "--json", "--database-url", url);
        Assert.True(exit == 0, stderr);
        using (var json = JsonDocument.Parse(stdout))
        {
            Assert.Equal(3, json.RootElement.GetArrayLength());
        }

        (exit, _, stderr) = await RunAsync("wins", "delete", "WORKGROUP#1C", "--database-url", url);
        Assert.True(exit == 0, stderr);
        (exit, _, _) = await RunAsync("wins", "show", "WORKGROUP#1C", "--database-url", url);
        Assert.Equal(1, exit);
    }
}
