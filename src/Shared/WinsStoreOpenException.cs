namespace NetBios.NameServer.Hosting;

/// <summary>A WINS store could not be opened (<see cref="WinsStoreLocation.OpenAsync"/>); each tool words it for its own settings.</summary>
/// <param name="failure">What went wrong.</param>
/// <param name="path">The SQLite path concerned, or null for the URL.</param>
/// <param name="detail">The reason, on one line (the store's own message).</param>
/// <param name="inner">The store's exception, if any.</param>
internal sealed class WinsStoreOpenException(WinsStoreFailure failure, string? path, string detail, Exception? inner = null)
    : Exception(detail, inner)
{
    /// <summary>What went wrong.</summary>
    public WinsStoreFailure Failure { get; } = failure;

    /// <summary>The SQLite path concerned, or null for the URL.</summary>
    public string? Path { get; } = path;

    /// <summary>The reason, on one line.</summary>
    public string Detail { get; } = detail;

    /// <summary>True when the detail already names the path (then a message need not repeat it).</summary>
    public bool DetailNamesPath => Path is not null && Detail.Contains(Path, StringComparison.Ordinal);
}
