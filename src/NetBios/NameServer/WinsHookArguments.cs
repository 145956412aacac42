using System.Text;

namespace NetBios.NameServer;

/// <summary>How a name is given to the hook program: its 15 name bytes without trailing spaces, printable ASCII as
/// is, every other byte (and the backslash) as <c>\xNN</c>, then <c>.scope</c> if any. A name may hold any byte, a NUL
/// cannot be in an argument, and the program is never started through a shell.</summary>
internal static class WinsHookArguments
{
    public static string FormatName(NetBiosName name)
    {
        Span<byte> bytes = stackalloc byte[NetBiosName.Length];
        name.CopyTo(bytes);
        int length = NetBiosName.MaxNameLength;
        while (length > 0 && bytes[length - 1] == (byte)' ')
        {
            length--;
        }

        var text = new StringBuilder(length + 8);
        foreach (byte b in bytes[..length])
        {
            if (b is >= 0x21 and < 0x7F and not (byte)'\\')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\x{b:X2}");
            }
        }

        if (name.Scope.Length > 0)
        {
            text.Append('.').Append(name.Scope);
        }

        return text.ToString();
    }
}
