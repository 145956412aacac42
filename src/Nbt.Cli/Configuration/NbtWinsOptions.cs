namespace Nbt.Cli.Configuration;

/// <summary>
/// <c>nbt wins list|show|delete</c>'s own options, bound from the <c>"wins"</c> section (or top-level keys, or the
/// command line): <c>database</c> (an SQLite file) and <c>database-url</c> (a PostgreSQL database) of a WINS server
/// (RFC 1001 §15.1.2 NBNS). <c>scope</c> (show, delete) is the shared <see cref="NbtNetworkOptions.Scope"/>. Checked by
/// <see cref="NbtWinsOptionsValidator"/>.
/// </summary>
internal sealed class NbtWinsOptions
{
    /// <summary>The SQLite file, or null (the default path when <see cref="DatabaseUrl"/> is null too).</summary>
    public string? Database { get; set; }

    /// <summary>The PostgreSQL database, a postgres:// URL or an Npgsql connection string, or null.</summary>
    public string? DatabaseUrl { get; set; }
}
