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
    /// <summary>The 15 name bytes with trailing padding (spaces, or NULs of the wildcard) removed and non-printable bytes as '.'.</summary>
    public static string Text(NetBiosName name)
    {
        Span<byte> raw = stackalloc byte[NetBiosName.Length];
        name.CopyTo(raw);
        int end = NetBiosName.Length - 1;
        while (end > 0 && (raw[end - 1] == (byte)' ' || (name.IsWildcard && raw[end - 1] == 0)))
        {
            end--;
        }

        Span<char> text = stackalloc char[end];
        for (int i = 0; i < end; i++)
        {
            text[i] = raw[i] is >= 0x20 and < 0x7F ? (char)raw[i] : '.';
        }

        return new string(text);
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
