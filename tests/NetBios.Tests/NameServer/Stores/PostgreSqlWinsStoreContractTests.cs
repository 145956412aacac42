using NetBios.NameServer;
using NetBios.NameServer.PostgreSql;
using Xunit;

namespace NetBios.Tests.NameServer.Stores;

/// <summary>The store contract against <see cref="PostgreSqlWinsStore"/> on a PostgreSQL server the tests start.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlWinsStoreContractTests(PostgreSqlServer server) : WinsStoreContractTests
{
    private readonly string _schema = server.NewSchema();

    protected override bool IsDurable => true;

    protected override bool FindIsSynchronous => false;

    public override ValueTask InitializeAsync()
    {
        server.Require();
        return base.InitializeAsync();
    }

    protected override async Task<IWinsStore> OpenAsync() =>
        await PostgreSqlWinsStore.OpenAsync(server.ConnectionString, new PostgreSqlWinsStoreOptions { Schema = _schema }, cancellationToken: Token);
}
