namespace NetBios.NameServer.Hosting;

/// <summary>Why <see cref="WinsStoreLocation.OpenAsync"/> failed: a mistake in what was asked for, or a database that cannot be used.</summary>
internal enum WinsStoreFailure
{
    /// <summary>Both a path and a URL were given.</summary>
    BothGiven,

    /// <summary>The path is empty or holds a NUL or a line break (or the file system refused it as a name).</summary>
    BadPath,

    /// <summary>The SQLite file does not exist and was not to be created.</summary>
    FileMissing,

    /// <summary>The SQLite file cannot be read, is locked, or is not a WINS database.</summary>
    FileUnavailable,

    /// <summary>The URL or connection string is not valid.</summary>
    BadUrl,

    /// <summary>The PostgreSQL server cannot be reached or refused the connection or the schema.</summary>
    ServerUnavailable,
}
