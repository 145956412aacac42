using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace NetBios.Interop.Tests.Harness;

/// <summary>The few libc calls the harness needs (Linux only).</summary>
internal static partial class Native
{
    /// <summary>CLONE_NEWNET: setns() nstype for a network namespace.</summary>
    internal const int CloneNewNet = 0x40000000;

    internal const int SigKill = 9;
    internal const int SigTerm = 15;

    /// <summary>Moves the CALLING THREAD into the namespace referred to by <paramref name="fd"/>.</summary>
    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    internal static partial int SetNs(SafeFileHandle fd, int nsType);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    internal static partial uint GetEffectiveUserId();

    /// <summary>Sends <paramref name="signal"/> to one PID; false if it is already gone (ESRCH) or not ours.</summary>
    internal static bool Signal(int pid, int signal) => pid > 1 && pid != Environment.ProcessId && Kill(pid, signal) == 0;
}
