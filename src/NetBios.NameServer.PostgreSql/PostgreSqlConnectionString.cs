using System.Globalization;
using Npgsql;

namespace NetBios.NameServer.PostgreSql;

/// <summary>Turns a <c>postgres://</c> URL (libpq's URI form) or an Npgsql connection string into a connection string.</summary>
internal static class PostgreSqlConnectionString
{
    /// <summary>
    /// <c>postgres[ql]://[user[:password]@][host][:port][/database][?key=value&amp;...]</c> (percent-encoded parts; the
    /// query keys are Npgsql connection-string keywords, plus libpq's <c>sslmode</c>), or a connection string as is.
    /// </summary>
    /// <exception cref="ArgumentException">Not a URL or connection string Npgsql accepts (the message says why, without the password).</exception>
    public static string Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        if (!text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) && !text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return new NpgsqlConnectionStringBuilder(text).ConnectionString;
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"not a PostgreSQL connection string or postgres:// URL ({ex.Message})", nameof(text), ex);
            }
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            throw new ArgumentException("not a valid postgres:// URL", nameof(text));
        }

        var builder = new NpgsqlConnectionStringBuilder();
        if (uri.Host.Length > 0)
        {
            builder.Host = uri.Host.Trim('[', ']');
        }

        if (!uri.IsDefaultPort && uri.Port > 0)
        {
            builder.Port = uri.Port;
        }

        if (uri.UserInfo.Length > 0)
        {
            int colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        string database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (string pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            string key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            string value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
            try
            {
                // libpq spells it host=/path for a unix socket directory as well; Npgsql takes the same keyword.
                builder[key.Equals("sslmode", StringComparison.OrdinalIgnoreCase) ? "SSL Mode" : key] = value;
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"postgres:// URL: parameter '{key}' ({ex.Message})", nameof(text), ex);
            }
        }

        return builder.ConnectionString;
    }

    /// <summary>Where a connection string points, for messages: host:port/database, never the password.</summary>
    public static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return string.Create(CultureInfo.InvariantCulture, $"postgres://{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}");
    }
}
