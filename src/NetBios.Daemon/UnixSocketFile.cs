using System.Globalization;
using System.Runtime.InteropServices;

namespace NetBios.Daemon;

/// <summary>The socket file's group and mode, applied after bind (chown(2) with owner unchanged, chmod), and the gid of a
/// group given by name (/etc/group).</summary>
internal static partial class UnixSocketFile
{
    /// <summary>Applies the mode, then the group (when given).</summary>
    /// <param name="path">The socket file.</param>
    /// <param name="mode">The mode.</param>
    /// <param name="group">A group name or numeric gid, or null.</param>
    /// <exception cref="IOException">The group does not exist or chown failed.</exception>
    public static void Apply(string path, UnixFileMode mode, string? group)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // no modes or groups there (and no daemon socket yet: a named pipe is future work)
        }

        File.SetUnixFileMode(path, mode);
        if (group is null)
        {
            return;
        }

        uint gid = ResolveGroup(group) ?? throw new IOException($"No group '{group}' (SocketGroup).");
        if (Chown(path, uint.MaxValue, gid) != 0)
        {
            throw new IOException($"chown {path} to group {gid} failed: errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    /// <summary>A gid: the number itself, or the group's entry in /etc/group.</summary>
    /// <param name="group">A name or a number.</param>
    /// <returns>The gid, or null when there is no such group.</returns>
    public static uint? ResolveGroup(string group)
    {
        if (uint.TryParse(group, NumberStyles.None, CultureInfo.InvariantCulture, out uint gid))
        {
            return gid;
        }

        const string groupFile = "/etc/group";
        if (!File.Exists(groupFile))
        {
            return null;
        }

        foreach (string line in File.ReadLines(groupFile).Take(100_000))
        {
            string[] fields = line.Split(':');
            if (fields.Length >= 3 && fields[0] == group
                && uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out gid))
            {
                return gid;
            }
        }

        return null;
    }

    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Chown(string path, uint owner, uint group);
}
