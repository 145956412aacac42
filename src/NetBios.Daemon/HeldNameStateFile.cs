using System.Globalization;
using System.Text;

namespace NetBios.Daemon;

/// <summary>
/// The names the daemon holds (HOLD NAME, <c>nbt register</c>), kept on disk so that they survive a restart of the
/// daemon (docs/NBTD.md "Held names"). A small text file: a comment line, then one line per name,
/// <c>lana TAB U|G TAB uid TAB name (32 hex digits: the 16 raw bytes) TAB scope</c>. Written atomically: a temporary file
/// beside it is written and flushed to disk (fsync), then renamed over it, so a crash leaves the old file or the new one.
/// Reading never throws on the content: a line that is not of that form makes the whole file <see cref="LoadResult.Problem"/>.
/// </summary>
/// <param name="path">The file.</param>
internal sealed class HeldNameStateFile(string path)
{
    /// <summary>The longest file read (a line per held name: far more than any daemon holds).</summary>
    public const int MaxLength = 1024 * 1024;

    private const string Header = "# nbtd held names (nbt register); written by nbtd: lana, U/G, uid, name (16 bytes hex), scope";

    /// <summary>The file.</summary>
    public string Path { get; } = path;

    /// <summary>What <see cref="Load"/> found.</summary>
    /// <param name="Names">The names (empty when the file is missing or bad).</param>
    /// <param name="Problem">Why the file is unusable ("line 3: ..."), or null.</param>
    public readonly record struct LoadResult(IReadOnlyList<HeldName> Names, string? Problem);

    /// <summary>Reads the file: a missing file is no names; an unreadable or malformed one is a problem.</summary>
    /// <returns>The names, or the problem.</returns>
    public LoadResult Load()
    {
        string text;
        try
        {
            var info = new FileInfo(Path);
            if (!info.Exists)
            {
                return new([], null);
            }

            if (info.Length > MaxLength)
            {
                return new([], $"longer than {MaxLength} bytes");
            }

            text = File.ReadAllText(Path, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new([], ex.Message);
        }

        return Parse(text);
    }

    /// <summary>Parses the file's text (never throws).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The names, or the problem.</returns>
    public static LoadResult Parse(string text)
    {
        var names = new List<HeldName>();
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (ParseLine(line) is not { } held)
            {
                return new([], $"line {i + 1} is not 'lana TAB U|G TAB uid TAB name-hex TAB scope'");
            }

            names.Add(held);
        }

        return new(names, null);
    }

    /// <summary>Replaces the file with <paramref name="names"/> (temporary file, fsync, rename); creates its directory.</summary>
    /// <param name="names">The names held now.</param>
    /// <exception cref="IOException">The file could not be written (the old one is left as it was).</exception>
    /// <exception cref="UnauthorizedAccessException">No permission.</exception>
    public void Save(IEnumerable<HeldName> names)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var held in names.OrderBy(h => h.Lana).ThenBy(h => h.Name.ToString(), StringComparer.Ordinal))
        {
            text.Append(held.Lana.ToString(CultureInfo.InvariantCulture)).Append('\t')
                .Append(held.IsGroup ? 'G' : 'U').Append('\t')
                .Append(held.UserId.ToString(CultureInfo.InvariantCulture)).Append('\t')
                .Append(Convert.ToHexString(held.Name.ToArray())).Append('\t')
                .Append(held.Name.Scope).Append('\n');
        }

        string? directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        string temporary = Path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(Encoding.UTF8.GetBytes(text.ToString()));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, Path, overwrite: true);
    }

    /// <summary>Moves a bad file aside (to <c>PATH.corrupt</c>, replacing an older one) so that the next start does not
    /// stumble on it again.</summary>
    /// <returns>Where it went, or null when it could not be moved.</returns>
    public string? MoveAside()
    {
        string aside = Path + ".corrupt";
        try
        {
            File.Move(Path, aside, overwrite: true);
            return aside;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static HeldName? ParseLine(string line)
    {
        string[] fields = line.Split('\t');
        if (fields.Length != 5
            || !byte.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out byte lana)
            || fields[1] is not ("U" or "G")
            || !uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out uint uid)
            || fields[3].Length != NetBiosName.Length * 2
            || fields[4].Length > NetBiosName.MaxScopeLength
            || (fields[4].Length > 0 && NetBiosName.ValidateScope(fields[4]) is not null))
        {
            return null;
        }

        Span<byte> raw = stackalloc byte[NetBiosName.Length];
        if (Convert.FromHexString(fields[3], raw, out _, out int written) != System.Buffers.OperationStatus.Done || written != NetBiosName.Length)
        {
            return null;
        }

        var name = NetBiosName.FromBytesUnchecked(raw, fields[4].Length == 0 ? null : fields[4]);
        return new HeldName(lana, name, fields[1] == "G", uid, 0);
    }
}
