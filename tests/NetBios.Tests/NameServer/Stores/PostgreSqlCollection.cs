using Xunit;

namespace NetBios.Tests.NameServer.Stores;

/// <summary>The test classes that share one <see cref="PostgreSqlServer"/> (started once, each test in its own schema).</summary>
[CollectionDefinition(Name)]
public sealed class PostgreSqlCollection : ICollectionFixture<PostgreSqlServer>
{
    public const string Name = "PostgreSQL";
}
