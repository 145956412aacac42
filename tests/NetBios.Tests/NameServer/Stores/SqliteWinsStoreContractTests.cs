using NetBios.NameServer;
using NetBios.NameServer.Sqlite;

namespace NetBios.Tests.NameServer.Stores;

/// <summary>The store contract against <see cref="SqliteWinsStore"/> in a temporary file.</summary>
public sealed class SqliteWinsStoreContractTests : WinsStoreContractTests
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("nbt-wins-sqlite-");

    protected override bool IsDurable => true;

    protected override bool FindIsSynchronous => true;

    protected override async Task<IWinsStore> OpenAsync() =>
        await SqliteWinsStore.OpenAsync(Path.Combine(_dir.FullName, "wins.db"), cancellationToken: Token);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _dir.Delete(recursive: true);
    }
}
