using System.Runtime.Versioning;

// Network namespaces, setns(2), /proc and Samba: the interop tests only exist on Linux.
[assembly: SupportedOSPlatform("linux")]
