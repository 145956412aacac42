using System.Text.RegularExpressions;

namespace NetBios.NameServer.PostgreSql;

/// <summary>How <see cref="PostgreSqlWinsStore.OpenAsync"/> uses the database.</summary>
public sealed partial class PostgreSqlWinsStoreOptions
{
    /// <summary>
    /// The PostgreSQL schema holding the tables (<c>wins_meta</c>, <c>wins_records</c>) and the version sequence
    /// (<c>wins_version</c>); created if absent. Servers that share a WINS database use the same schema. Lower-case
    /// letters, digits and underscores, starting with a letter or underscore, at most 63 characters. Defaults to
    /// <c>nbt</c>.
    /// </summary>
    public string Schema { get; set; } = "nbt";

    /// <summary>Create the schema, tables and sequence when absent. Defaults to true.</summary>
    public bool CreateSchema { get; set; } = true;

    internal void Validate()
    {
        if (Schema is null || !SchemaPattern().IsMatch(Schema))
        {
            throw new ArgumentException($"schema '{Schema}': lower-case letters, digits and underscores, starting with a letter or underscore, at most 63", nameof(Schema));
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaPattern();
}
