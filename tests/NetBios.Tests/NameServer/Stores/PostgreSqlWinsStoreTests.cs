using System.Net;
using NetBios.NameServer;
using NetBios.NameServer.PostgreSql;
using NetBios.Wire.NameService;
using Xunit;

namespace NetBios.Tests.NameServer.Stores;

/// <summary>
/// Several servers on one PostgreSQL database (active-active): conflicting writes, exactly one wins; each sees the
/// other's writes at once (read-through); versions come from one sequence. Plus URL parsing and open errors.
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlWinsStoreTests(PostgreSqlServer server)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static WinsRecord Record(string name, string address, string owner) => new()
    {
        Name = NetBiosName.Create(name, 0x20),
        Type = WinsRecordType.Unique,
        State = WinsRecordState.Active,
        NodeType = NodeType.H,
        Addresses = [new WinsAddress(IPAddress.Parse(address), IPAddress.Parse(owner), DateTimeOffset.UnixEpoch.AddDays(30000))],
        Expires = DateTimeOffset.UnixEpoch.AddDays(30000),
        Owner = IPAddress.Parse(owner),
    };

    [Fact]
    public async Task TwoServers_ConflictingWrites_ExactlyOneWins_EachTime()
    {
        server.Require();
        var options = new PostgreSqlWinsStoreOptions { Schema = server.NewSchema() };
        await using var a = await PostgreSqlWinsStore.OpenAsync(server.ConnectionString, options, cancellationToken: Token);
        await using var b = await PostgreSqlWinsStore.OpenAsync(server.ConnectionString, options, cancellationToken: Token);

        for (int round = 0; round < 20; round++)
        {
            string name = $"RACE{round}";
            var inserts = await Task.WhenAll(
                a.WriteAsync(Record(name, "192.168.1.1", "10.0.0.1"), 0, Token).AsTask(),
                b.WriteAsync(Record(name, "192.168.1.2", "10.0.0.2"), 0, Token).AsTask());
            Assert.Single(inserts, r => r.Succeeded);
            long version = inserts.Single(r => r.Succeeded).Record!.Version;
            Assert.Equal(version, inserts.Single(r => !r.Succeeded).Record!.Version);

            // Both replace from the same version: one wins, the other gets the winner's record.
            var updates = await Task.WhenAll(
                a.WriteAsync(Record(name, "192.168.2.1", "10.0.0.1"), version, Token).AsTask(),
                b.WriteAsync(Record(name, "192.168.2.2", "10.0.0.2"), version, Token).AsTask());
            Assert.Single(updates, r => r.Succeeded);
            var winner = updates.Single(r => r.Succeeded).Record!;
            Assert.True(winner.Version > version);
            Assert.Equal(winner.Version, updates.Single(r => !r.Succeeded).Record!.Version);
            Assert.Equal(winner.Addresses[0].Address, (await a.FindAsync(winner.Name, Token))!.Addresses[0].Address);
            Assert.Equal(winner.Addresses[0].Address, (await b.FindAsync(winner.Name, Token))!.Addresses[0].Address);
        }
    }

    [Fact]
    public async Task TwoServers_ManyConcurrentWriters_OneWinnerPerName_VersionsUnique()
    {
        server.Require();
        var options = new PostgreSqlWinsStoreOptions { Schema = server.NewSchema() };
        await using var a = await PostgreSqlWinsStore.OpenAsync(server.ConnectionString, options, cancellationToken: Token);
        await using var b = await PostgreSqlWinsStore.OpenAsync(server.ConnectionString, options, cancellationToken: Token);

        var writes = Enumerable.Range(0, 200).Select(i => (i % 2 == 0 ? a : b).WriteAsync(Record($"N{i % 50}", "192.168.1.1", "10.0.0.1"), 0, Token).AsTask());
        var results = await Task.WhenAll(writes);

        Assert.Equal(50, results.Count(r => r.Succeeded));
        Assert.Equal(50, results.Where(r => r.Succeeded).Select(r => r.Record!.Version).Distinct().Count());
        var all = new List<WinsRecord>();
        await foreach (var record in a.EnumerateAsync(Token))
        {
            all.Add(record);
        }

        Assert.Equal(50, all.Count);
    }

    [Fact]
    public async Task Open_Unreachable_OneLineIOException_NamingTheDatabase()
    {
        var ex = await Assert.ThrowsAsync<IOException>(() => PostgreSqlWinsStore.OpenAsync("postgres://nobody@127.0.0.1:1/wins?Timeout=2", cancellationToken: Token));
        Assert.Contains("postgres://127.0.0.1:1/wins", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Theory]
    [InlineData("postgres://wins:s%40cret@db.example:6543/winsdb?sslmode=disable", "db.example", 6543, "winsdb", "wins", "s@cret")]
    [InlineData("postgresql://localhost/wins", "localhost", 5432, "wins", null, null)]
    [InlineData("Host=h;Port=7;Database=d;Username=u;Password=p", "h", 7, "d", "u", "p")]
    public void ConnectionString_FromUrlOrKeywords(string text, string host, int port, string database, string? user, string? password)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(PostgreSqlConnectionString.Parse(text));
        Assert.Equal(host, builder.Host);
        Assert.Equal(port, builder.Port);
        Assert.Equal(database, builder.Database);
        Assert.Equal(user, builder.Username);
        Assert.Equal(password, builder.Password);
    }

    [Theory]
    [InlineData("postgres://host/db?NoSuchKeyword=1")]
    [InlineData("NoSuchKeyword=1")]
    public void ConnectionString_Malformed_ArgumentException(string text) =>
        Assert.Throws<ArgumentException>(() => PostgreSqlConnectionString.Parse(text));
}
