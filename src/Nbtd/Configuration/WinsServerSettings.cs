namespace Nbtd.Configuration;

/// <summary>The <c>WinsServer</c> section: a WINS (NBNS) server on one station's name service endpoint.</summary>
internal sealed class WinsServerSettings
{
    /// <summary>The value of <see cref="Database"/> that keeps the records in memory only.</summary>
    public const string InMemoryDatabase = ":memory:";

    /// <summary>Run the server (<c>Enabled</c>). Defaults to false.</summary>
    public bool Enabled { get; init; }

    /// <summary>The LANA of the station whose UDP port the server shares (<c>Lana</c>). Defaults to null: the first station.</summary>
    public byte? Lana { get; init; }

    /// <summary>The SQLite database file (<c>Database</c>); <c>:memory:</c> keeps records in memory only. Defaults to
    /// null: /var/lib/nbt/wins.db unless <see cref="DatabaseUrl"/> is given.</summary>
    public string? Database { get; init; }

    /// <summary>A PostgreSQL database shared by several servers (<c>DatabaseUrl</c>). Defaults to none.</summary>
    public string? DatabaseUrl { get; init; }

    /// <summary>A program run on every change (<c>Hook</c>). Defaults to none.</summary>
    public string? Hook { get; init; }

    /// <summary>The least TTL granted (<c>MinTtl</c>, seconds). Defaults to null: the server's default (2 days).</summary>
    public TimeSpan? MinTtl { get; init; }

    /// <summary>The greatest TTL granted (<c>MaxTtl</c>, seconds). Defaults to null: the server's default (6 days).</summary>
    public TimeSpan? MaxTtl { get; init; }
}
