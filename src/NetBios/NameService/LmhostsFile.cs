using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NetBios.NameService;

/// <summary>
/// An LMHOSTS file: static NetBIOS name → IPv4 address mappings, in the format Windows (lmhosts.sam) and Samba read.
/// </summary>
/// <remarks>
/// <para>Supported syntax, one entry per line:</para>
/// <code>
/// 10.0.0.5   SERVER                 # any suffix
/// 10.0.0.6   PRINTER#20             # Samba: only PRINTER&lt;20&gt;
/// 10.0.0.7   "APPNAME        \0x14" # Windows: quoted, padded to 15, \0xNN escapes the 16th byte
/// 10.0.0.8   DC1  #PRE  #DOM:CORP   # preload; also CORP&lt;1C&gt; (group) → 10.0.0.8
/// #INCLUDE /etc/netbios/more.lmhosts
/// #BEGIN_ALTERNATE                  # the first #INCLUDE that can be read wins
/// #INCLUDE /mnt/a/lmhosts
/// #INCLUDE /mnt/b/lmhosts
/// #END_ALTERNATE
/// </code>
/// <para>
/// Bad lines are skipped and reported in <see cref="Warnings"/>, never thrown. Includes are bounded in depth
/// (<see cref="MaxIncludeDepth"/>) and the whole file set in entries (<see cref="MaxEntries"/>); UNC paths are not
/// fetched (they are reported as warnings).
/// </para>
/// </remarks>
public sealed class LmhostsFile
{
    /// <summary>Deepest #INCLUDE nesting followed.</summary>
    public const int MaxIncludeDepth = 4;

    /// <summary>
    /// Largest file read, the top-level file and each <c>#INCLUDE</c> alike: 1 MiB (a large LMHOSTS holds a few
    /// thousand lines, ~100 KiB). Larger files, and endless ones such as <c>/dev/zero</c>, are refused after reading one
    /// byte past the limit.
    /// </summary>
    public const int MaxFileLength = BoundedFile.MaxTextFileLength;

    /// <summary>Most entries kept from one file set.</summary>
    public const int MaxEntries = 10_000;

    private LmhostsFile(IReadOnlyList<LmhostsEntry> entries, IReadOnlyList<string> warnings, string? sourcePath = null, string? scope = null)
    {
        Entries = entries;
        Warnings = warnings;
        SourcePath = sourcePath;
        _scope = scope;
    }

    private readonly string? _scope;

    /// <summary>The file <see cref="Load"/> read (null for parsed text): what <see cref="Reload"/> reads again.</summary>
    internal string? SourcePath { get; }

    /// <summary>nbtstat -R: the same file read again from disk (with its includes and scope), as it is now.</summary>
    /// <returns>The file now; this one when it was not read from a file.</returns>
    /// <exception cref="IOException">The file cannot be read now (as <see cref="Load"/>).</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read now.</exception>
    internal LmhostsFile Reload() => SourcePath is { } path ? Load(path, _scope) : this;

    /// <summary>The entries in file order (includes spliced in place).</summary>
    public IReadOnlyList<LmhostsEntry> Entries { get; }

    /// <summary>One line per skipped line or unreadable include: "file:line: reason".</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>An empty file.</summary>
    public static LmhostsFile Empty { get; } = new([], []);

    /// <summary>Reads a file and its includes.</summary>
    /// <param name="path">The LMHOSTS file.</param>
    /// <param name="scope">The scope given to every name.</param>
    /// <exception cref="IOException">The top-level file cannot be read, is a directory, or is larger than <see cref="MaxFileLength"/>.</exception>
    /// <exception cref="UnauthorizedAccessException">The top-level file may not be read.</exception>
    public static LmhostsFile Load(string path, string? scope = null)
    {
        var entries = new List<LmhostsEntry>();
        var warnings = new List<string>();
        string text = ReadText(path);
        Parse(text, path, scope, 0, entries, warnings);
        return new LmhostsFile(entries, warnings, path, scope);
    }

    /// <summary>Parses LMHOSTS text; <c>#INCLUDE</c> paths are read from disk relative to the current directory.</summary>
    public static LmhostsFile Parse(string text, string? scope = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<LmhostsEntry>();
        var warnings = new List<string>();
        Parse(text, "lmhosts", scope, 0, entries, warnings);
        return new LmhostsFile(entries, warnings);
    }

    /// <summary>The entries that answer <paramref name="name"/>, exact-suffix entries first.</summary>
    public IEnumerable<LmhostsEntry> Lookup(NetBiosName name) =>
        Entries.Where(e => e.Matches(name)).OrderBy(e => e.AnySuffix);

    private static void Parse(string text, string source, string? scope, int depth, List<LmhostsEntry> entries, List<string> warnings)
    {
        bool inAlternate = false;
        bool alternateDone = false;
        int lineNumber = 0;
        foreach (string rawLine in text.Split('\n'))
        {
            lineNumber++;
            string line = rawLine.TrimEnd('\r').Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] == '#')
            {
                string directive = line.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries)[0].ToUpperInvariant();
                switch (directive)
                {
                    case "#BEGIN_ALTERNATE":
                        inAlternate = true;
                        alternateDone = false;
                        break;
                    case "#END_ALTERNATE":
                        inAlternate = false;
                        break;
                    case "#INCLUDE":
                        if (inAlternate && alternateDone)
                        {
                            break;
                        }

                        bool included = Include(line["#INCLUDE".Length..].Trim(), $"{source}:{lineNumber}", scope, depth, entries, warnings);
                        alternateDone |= included;
                        break;
                }

                // Any other line starting with # is a comment (this includes #PRE / #DOM only after an address).
                continue;
            }

            if (entries.Count >= MaxEntries)
            {
                warnings.Add($"{source}:{lineNumber}: more than {MaxEntries} entries; the rest is ignored");
                return;
            }

            if (ParseEntry(line, scope, out var entry, out string? domain, out string? error))
            {
                entries.Add(entry);
                if (domain is not null && NetBiosName.TryCreate(domain, 0x1C, scope, NetBiosNameOptions.UpperCase, out var domainName, out _))
                {
                    entries.Add(new LmhostsEntry(domainName, AnySuffix: false, entry.Address, entry.Preload, domain, IsGroup: true));
                }
            }
            else
            {
                warnings.Add($"{source}:{lineNumber}: {error}");
            }
        }
    }

    private static bool Include(string path, string where, string? scope, int depth, List<LmhostsEntry> entries, List<string> warnings)
    {
        if (depth + 1 > MaxIncludeDepth)
        {
            warnings.Add($"{where}: #INCLUDE nested deeper than {MaxIncludeDepth}; ignored");
            return false;
        }

        if (path.StartsWith(@"\\", StringComparison.Ordinal))
        {
            warnings.Add($"{where}: #INCLUDE of a UNC path ({path}) is not supported; ignored");
            return false;
        }

        try
        {
            string text = ReadText(path);
            Parse(text, path, scope, depth + 1, entries, warnings);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            warnings.Add($"{where}: cannot read #INCLUDE {path}: {ex.Message}");
            return false;
        }
    }

    private static string ReadText(string path) => Encoding.Latin1.GetString(BoundedFile.ReadAllBytes(path, MaxFileLength));

    private static bool ParseEntry(string line, string? scope, out LmhostsEntry entry, out string? domain, out string? error)
    {
        entry = null!;
        domain = null;
        int pos = 0;
        string addressText = NextToken(line, ref pos);
        if (!IPAddress.TryParse(addressText, out var address) || address.AddressFamily != AddressFamily.InterNetwork)
        {
            error = $"'{addressText}' is not an IPv4 address";
            return false;
        }

        SkipSpaces(line, ref pos);
        NetBiosName name;
        bool anySuffix;
        if (pos < line.Length && line[pos] == '"')
        {
            int close = line.IndexOf('"', pos + 1);
            if (close < 0)
            {
                error = "unterminated quoted name";
                return false;
            }

            if (!TryParseQuoted(line[(pos + 1)..close], scope, out name, out anySuffix, out error))
            {
                return false;
            }

            pos = close + 1;
        }
        else
        {
            string token = NextToken(line, ref pos);
            anySuffix = !(token.Length > 3 && token[^3] == '#');
            if (!NetBiosName.TryParse(token, NetBiosName.DefaultSuffix, scope, NetBiosNameOptions.UpperCase, out name, out error))
            {
                return false;
            }
        }

        bool preload = false;
        while (true)
        {
            string option = NextToken(line, ref pos);
            if (option.Length == 0)
            {
                break;
            }

            if (option.Equals("#PRE", StringComparison.OrdinalIgnoreCase))
            {
                preload = true;
            }
            else if (option.StartsWith("#DOM:", StringComparison.OrdinalIgnoreCase) && option.Length > 5)
            {
                domain = option[5..];
            }
            else if (option[0] == '#')
            {
                break; // the rest of the line is a comment
            }
        }

        entry = new LmhostsEntry(name, anySuffix, address, preload, domain, IsGroup: false);
        error = null;
        return true;
    }

    private static bool TryParseQuoted(string text, string? scope, out NetBiosName name, out bool anySuffix, out string? error)
    {
        // Windows form: up to 16 characters, \0xNN escapes a byte; exactly 16 → the 16th is the suffix.
        var bytes = new List<byte>();
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 5 <= text.Length && text.AsSpan(i + 1, 2).Equals("0x", StringComparison.OrdinalIgnoreCase)
                && byte.TryParse(text.AsSpan(i + 3, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte b))
            {
                bytes.Add(b);
                i += 4;
            }
            else
            {
                bytes.Add((byte)text[i]);
            }
        }

        name = default;
        anySuffix = bytes.Count < NetBiosName.Length;
        if (bytes.Count == 0 || bytes.Count > NetBiosName.Length)
        {
            error = $"quoted name \"{text}\" must be 1 to 16 bytes";
            return false;
        }

        byte[] raw = new byte[NetBiosName.Length];
        Array.Fill(raw, (byte)' ');
        raw[15] = 0;
        bytes.CopyTo(raw);
        if (!string.IsNullOrEmpty(scope) && NetBiosName.ValidateScope(scope) is { } scopeError)
        {
            error = scopeError;
            return false;
        }

        name = NetBiosName.FromBytes(raw, scope);
        error = null;
        return true;
    }

    private static void SkipSpaces(string line, ref int pos)
    {
        while (pos < line.Length && char.IsWhiteSpace(line[pos]))
        {
            pos++;
        }
    }

    private static string NextToken(string line, ref int pos)
    {
        SkipSpaces(line, ref pos);
        int start = pos;
        while (pos < line.Length && !char.IsWhiteSpace(line[pos]))
        {
            pos++;
        }

        return line[start..pos];
    }
}
