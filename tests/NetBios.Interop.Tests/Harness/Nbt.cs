namespace NetBios.Interop.Tests.Harness;

/// <summary>Runs the real <c>nbt</c> tool (and the examples; built next to this project, same configuration) inside a namespace.</summary>
public static class Nbt
{
    /// <summary>The path of nbt.dll from this build.</summary>
    public static string DllPath { get; } = Locate(Path.Combine("src", "Nbt.Cli"), "nbt.dll");

    public static Task<CommandResult> RunAsync(NetworkNamespace ns, string args, TimeSpan? timeout = null) =>
        ns.RunAsync("dotnet", [DllPath, .. Split(args)], timeout ?? TimeSpan.FromSeconds(60));

    public static NamespaceProcess Start(NetworkNamespace ns, params string[] args) =>
        ns.StartProcess("dotnet", [DllPath, .. args, .. args.Any(a => a is "-v" or "--verbose" or "-vv" or "--trace") ? Array.Empty<string>() : ["-v"]]);

    /// <summary>Starts a program built from this repository (e.g. <c>examples/NcbChat</c>) inside a namespace.</summary>
    /// <param name="ns">Where.</param>
    /// <param name="project">The project folder relative to the repository root.</param>
    /// <param name="args">Its arguments.</param>
    public static NamespaceProcess StartProgram(NetworkNamespace ns, string project, params string[] args) =>
        ns.StartProcess("dotnet", [Locate(project, Path.GetFileName(project) + ".dll"), .. args]);

    private static string[] Split(string args) => args.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static string Locate(string project, string dll)
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

        string path = Path.Combine(dir.FullName, project, "bin", configuration, "net10.0", dll);
        return File.Exists(path) ? path : throw new InvalidOperationException($"{dll} not built at {path}");
    }
}
