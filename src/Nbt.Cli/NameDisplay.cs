using System.Globalization;
using NetBios;
using NetBios.Wire.NameService;

namespace Nbt.Cli;

/// <summary>
/// How results show a NetBIOS name: as nmblookup does (<c>nmblookup.c</c> prints node status names after replacing
/// every byte that is not printable ASCII by <c>.</c>), so <c>\x01\x02__MSBROWSE__\x02&lt;01&gt;</c> reads
/// <c>..__MSBROWSE__.&lt;01&gt;</c>. The display is lossy on purpose (it lines up in a table and is safe on a
/// terminal); JSON also carries the exact bytes (<c>bytes</c>), and input takes <c>\xNN</c> for any byte.
/// </summary>
internal static class NameDisplay
{
    /// <summary>
    /// The 15 name bytes with trailing padding (spaces, or NULs of the wildcard) removed, as nmblookup shows them: it
    /// converts the name from the DOS code page (Samba's default <c>dos charset</c>, CP850) to UTF-8 and replaces every
    /// byte that is not printable ASCII by '.'. A control byte is one '.', a byte ≥ 0x80 is as many dots as its
    /// CP850 character has UTF-8 bytes: <c>CAF\xC9</c> (0xC9 is U+2554 in CP850) reads <c>CAF...</c>, as
    /// <c>nmblookup -A</c> prints it (checked against Samba 4.17 by NameDisplayInteropTests).
    /// </summary>
    public static string Text(NetBiosName name)
    {
        Span<byte> raw = stackalloc byte[NetBiosName.Length];
        name.CopyTo(raw);
        int end = NetBiosName.Length - 1;
        while (end > 0 && (raw[end - 1] == (byte)' ' || (name.IsWildcard && raw[end - 1] == 0)))
        {
            end--;
        }

        // At most 3 UTF-8 bytes per CP850 character (all of them are in the BMP).
        Span<char> text = stackalloc char[end * 3];
        int length = 0;
        for (int i = 0; i < end; i++)
        {
            if (raw[i] is >= 0x20 and < 0x7F)
            {
                text[length++] = (char)raw[i];
                continue;
            }

            int dots = raw[i] < 0x80 ? 1 : s_dosUtf8Length[raw[i] - 0x80];
            text.Slice(length, dots).Fill('.');
            length += dots;
        }

        return new string(text[..length]);
    }

    // The UTF-8 length of each CP850 character 0x80..0xFF (2 below U+0800, 3 from there: box drawing, U+2017, U+25A0).
    private static readonly byte[] s_dosUtf8Length = BuildDosUtf8Length();

    private static byte[] BuildDosUtf8Length()
    {
        var cp850 = System.Text.CodePagesEncodingProvider.Instance.GetEncoding(850);
        var lengths = new byte[128];
        for (int b = 0x80; b <= 0xFF; b++)
        {
            lengths[b - 0x80] = (byte)(cp850 is null ? 1 : System.Text.Encoding.UTF8.GetByteCount(cp850.GetString([(byte)b])));
        }

        return lengths;
    }

    /// <summary><c>NAME&lt;XX&gt;</c>, with <c>.scope</c> when there is one.</summary>
    public static string Display(NetBiosName name) =>
        $"{Text(name)}<{Suffix(name)}>{(name.Scope.Length > 0 ? "." + name.Scope : string.Empty)}";

    /// <summary>The suffix as two upper-case hex digits, as JSON and tables show it.</summary>
    public static string Suffix(NetBiosName name) => name.Suffix.ToString("X2", CultureInfo.InvariantCulture);

    /// <summary>One entry of a node status answer as JSON (<c>nbt status --json</c> and <c>nbt decode --json</c> share it).</summary>
    /// <param name="entry">The entry.</param>
    public static object StatusEntryJson(NodeStatusEntry entry) => new
    {
        name = Json(entry.Name),
        group = entry.IsGroup,
        nodeType = entry.NodeType.ToString(),
        active = (entry.Flags & NodeStatusNameFlags.Active) != 0,
        permanent = (entry.Flags & NodeStatusNameFlags.Permanent) != 0,
        conflict = (entry.Flags & NodeStatusNameFlags.Conflict) != 0,
        deregistering = (entry.Flags & NodeStatusNameFlags.Deregistering) != 0,
    };

    /// <summary>The JSON fields of a name: display form, text, suffix (hex), scope and the exact 16 bytes in hex.</summary>
    public static NameJson Json(NetBiosName name)
    {
        Span<byte> raw = stackalloc byte[NetBiosName.Length];
        name.CopyTo(raw);
        return new NameJson(Display(name), Text(name), Suffix(name), name.Scope.Length > 0 ? name.Scope : null, Convert.ToHexString(raw));
    }
}
