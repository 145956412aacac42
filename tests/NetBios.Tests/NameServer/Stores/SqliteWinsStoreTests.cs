using System.Net;
using Microsoft.Data.Sqlite;
using NetBios.NameServer;
using NetBios.NameServer.Sqlite;
using NetBios.Wire.NameService;
using Xunit;

namespace NetBios.Tests.NameServer.Stores;

/// <summary>
/// What only the SQLite store does: a damaged file fails the open with one line naming it (truncated, a corrupted page,
/// not a database, an empty file, a row that does not decode), one process at a time, and the open options.
/// </summary>
public sealed class SqliteWinsStoreTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("nbt-wins-sqlite-");

    private string DbPath => Path.Combine(_dir.FullName, "wins.db");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Delete(recursive: true);

    internal static WinsRecord Record(int i) => new()
    {
        Name = NetBiosName.Create($"HOST{i}", 0x20),
        Type = WinsRecordType.Unique,
        State = WinsRecordState.Active,
        NodeType = NodeType.H,
        Addresses = [new WinsAddress(new IPAddress(0x0A000000u + (uint)i), IPAddress.Loopback, DateTimeOffset.UnixEpoch.AddDays(20000))],
        Expires = DateTimeOffset.UnixEpoch.AddDays(20000),
        Owner = IPAddress.Loopback,
    };

    private async Task FillAsync(int count)
    {
        await using var store = await SqliteWinsStore.OpenAsync(DbPath, cancellationToken: Token);
        await Task.WhenAll(Enumerable.Range(0, count).Select(i => store.WriteAsync(Record(i), 0, Token).AsTask()));
    }

    private async Task<Exception> OpenFailsAsync(SqliteWinsStoreOptions? options = null)
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(async () => await (await SqliteWinsStore.OpenAsync(DbPath, options, cancellationToken: Token)).DisposeAsync());
        Assert.Contains(DbPath, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
        return ex;
    }

    [Fact]
    public async Task Reopen_KeepsEveryRecord()
    {
        await FillAsync(3000);
        await using var store = await SqliteWinsStore.OpenAsync(DbPath, cancellationToken: Token);

        Assert.Equal(3000, store.Count);
        Assert.Equal(3000, store.MaxVersion);
        var record = await store.FindAsync(Record(1234).Name, Token);
        Assert.Equal(Record(1234).Addresses[0], record!.Addresses[0]);
    }

    [Fact]
    public async Task Truncated_OneLineInvalidData_NamingTheFile()
    {
        await FillAsync(3000);
        long length = new FileInfo(DbPath).Length;
        Assert.True(length > 64 * 1024, $"database only {length} bytes");
        using (var file = File.OpenWrite(DbPath))
        {
            file.SetLength(length / 2);
        }

        Assert.IsType<InvalidDataException>(await OpenFailsAsync());
    }

    [Fact]
    public async Task CorruptedPage_OneLineInvalidData_NamingTheFile()
    {
        await FillAsync(3000);
        using (var file = File.OpenWrite(DbPath))
        {
            // Page 5 (4096-byte pages): a b-tree page of the records table, overwritten with garbage.
            file.Position = 4 * 4096;
            file.Write(Enumerable.Range(0, 4096).Select(i => (byte)(i * 7 + 3)).ToArray());
        }

        Assert.IsType<InvalidDataException>(await OpenFailsAsync());
    }

    [Fact]
    public async Task NotADatabase_OneLineInvalidData()
    {
        await File.WriteAllTextAsync(DbPath, string.Concat(Enumerable.Repeat("this is not an SQLite database\n", 200)), Token);
        Assert.IsType<InvalidDataException>(await OpenFailsAsync());
    }

    [Fact]
    public async Task EmptyFile_IsATruncatedDatabase_NotANewOne()
    {
        await FillAsync(10);
        File.WriteAllBytes(DbPath, []);
        var ex = await OpenFailsAsync();
        Assert.IsType<InvalidDataException>(ex);
        Assert.Contains("empty", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UndecodableRow_FailsTheOpen_NamingTheRow()
    {
        await FillAsync(10);
        using (var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE records SET addresses = x'0501020304' WHERE version = 7";
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        var ex = await OpenFailsAsync();
        Assert.IsType<InvalidDataException>(ex);
        Assert.Contains("name=", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForeignSqliteDatabase_Refused()
    {
        using (var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE something (x INTEGER)";
            command.ExecuteNonQuery();
        }

        Assert.IsType<InvalidDataException>(await OpenFailsAsync());
    }

    [Fact]
    public async Task SecondOpen_WhileOpen_LockedIOException()
    {
        await using var first = await SqliteWinsStore.OpenAsync(DbPath, cancellationToken: Token);
        var ex = await OpenFailsAsync();
        Assert.IsType<IOException>(ex);
        Assert.Contains("locked", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_WithoutCreate_FileNotFound()
    {
        Assert.IsType<FileNotFoundException>(await OpenFailsAsync(new SqliteWinsStoreOptions { CreateIfMissing = false }));
        Assert.False(File.Exists(DbPath));
    }

    [Fact]
    public async Task Create_MakesTheDirectory()
    {
        string path = Path.Combine(_dir.FullName, "sub", "dir", "wins.db");
        await using var store = await SqliteWinsStore.OpenAsync(path, cancellationToken: Token);
        Assert.True(File.Exists(path));
        Assert.Equal(path, store.Path);
    }

    [Fact]
    public async Task Find_OnHit_SynchronousAndAllocationFree()
    {
        await FillAsync(100);
        await using var store = await SqliteWinsStore.OpenAsync(DbPath, cancellationToken: Token);
        var name = Record(42).Name;
        Assert.NotNull(await store.FindAsync(name, Token));
        int misses = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            var find = store.FindAsync(name, Token);
            if (!find.IsCompletedSuccessfully || await find is null)
            {
                misses++;
            }
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, misses);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public async Task BatchSizeOne_StillCorrect()
    {
        await using var store = await SqliteWinsStore.OpenAsync(DbPath, new SqliteWinsStoreOptions { MaxBatchSize = 1, Synchronous = SqliteSynchronousMode.Normal }, cancellationToken: Token);
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => store.WriteAsync(Record(i % 10), 0, Token).AsTask()));
        Assert.Equal(10, results.Count(r => r.Succeeded));
    }

    [Fact]
    public async Task WriteAfterDispose_ObjectDisposed()
    {
        var store = await SqliteWinsStore.OpenAsync(DbPath, cancellationToken: Token);
        await store.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.WriteAsync(Record(1), 0, Token));
    }
}
