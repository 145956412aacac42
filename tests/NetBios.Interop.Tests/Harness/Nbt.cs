namespace NetBios.Interop.Tests.Harness;

/// <summary>Runs the real <c>nbt</c> tool (built next to this project, same configuration) inside a namespace.</summary>
public static class Nbt
{
    /// <summary>The path of nbt.dll from this build.</summary>
    public static string DllPath { get; } = Locate();

    public static Task<CommandResult> RunAsync(NetworkNamespace ns, string args, TimeSpan? timeout = null) =>
        ns.RunAsync("dotnet", [DllPath, .. Split(args)], timeout ?? TimeSpan.FromSeconds(60));

    public static NamespaceProcess Start(NetworkNamespace ns, params string[] args) =>
        ns.StartProcess("dotnet", [DllPath, .. args]);

    private static string[] Split(string args) => args.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static string Locate()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string configuration = dir.Parent?.Name ?? "Debug";
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NetBios.slnx")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            throw new InvalidOperationException("cannot find the repository root (NetBios.slnx) above " + AppContext.BaseDirectory);
        }

        string path = Path.Combine(dir.FullName, "src", "Nbt.Cli", "bin", configuration, "net10.0", "nbt.dll");
        return File.Exists(path) ? path : throw new InvalidOperationException($"nbt.dll not built at {path}");
    }
}
