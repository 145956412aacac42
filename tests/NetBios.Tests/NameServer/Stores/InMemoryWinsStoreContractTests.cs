using NetBios.NameServer;

namespace NetBios.Tests.NameServer.Stores;

/// <summary>The store contract against <see cref="InMemoryWinsStore"/>.</summary>
public sealed class InMemoryWinsStoreContractTests : WinsStoreContractTests
{
    protected override bool IsDurable => false;

    protected override bool FindIsSynchronous => true;

    protected override Task<IWinsStore> OpenAsync() => Task.FromResult<IWinsStore>(new InMemoryWinsStore());
}
