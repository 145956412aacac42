using System.Diagnostics;
using Xunit;

[assembly: AssemblyFixture(typeof(NetBios.Native.Tests.NativeBuild))]

namespace NetBios.Native.Tests;

/// <summary>
/// Builds what the tests run, once per test run: <c>dotnet publish src/LibNetBios -c Release -r linux-x64</c> (the
/// NativeAOT libnetbios.so), then gcc compiles every C test (tests/LibNetBios.Tests/c) and example (examples/c)
/// against include/nb30.h and the library. Everything lands in this assembly's output folder under <c>native/</c>.
/// </summary>
public sealed class NativeBuild : IAsyncLifetime
{
    private static readonly string[] CPrograms = ["c/abi_layout.c", "c/ncb_details.c", "c/session_details.c", "c/int5c_test.c"];
    private static readonly string[] Examples = ["nbchat", "nbserver", "nbclient"];

    /// <summary>The repository root (where NetBios.slnx is).</summary>
    public string Root { get; } = FindRoot();

    /// <summary>Where libnetbios.so and the compiled programs are.</summary>
    public string Output { get; } = Path.Combine(AppContext.BaseDirectory, "native");

    /// <summary>How long the NativeAOT publish took.</summary>
    public TimeSpan PublishTime { get; private set; }

    /// <summary>The path of a compiled program (abi_layout, ncb_details, int5c_test, cpp_header, nbchat, nbserver, nbclient).</summary>
    public string Program(string name) => Path.Combine(Output, name);

    /// <inheritdoc/>
    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Output);
        var started = Stopwatch.StartNew();
        var publish = await ProcessRunner.RunAsync("dotnet",
            ["publish", Path.Combine(Root, "src", "LibNetBios"), "-c", "Release", "-r", "linux-x64", "-o", Output, "-nologo"],
            Root, environment: null, stdin: null, TimeSpan.FromMinutes(10), cleanMsBuildEnvironment: true);
        PublishTime = started.Elapsed;
        if (publish.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish src/LibNetBios failed:\n{publish.Output}");
        }

        string include = Path.Combine(Root, "include");
        foreach (string source in CPrograms)
        {
            await CompileAsync(Path.Combine(Root, "tests", "LibNetBios.Tests", source), Path.GetFileNameWithoutExtension(source), include);
        }

        foreach (string example in Examples)
        {
            await CompileAsync(Path.Combine(Root, "examples", "c", example + ".c"), example, include);
        }

        await CompileAsync(Path.Combine(Root, "tests", "LibNetBios.Tests", "c", "cpp_header.cpp"), "cpp_header", include, cplusplus: true);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task CompileAsync(string source, string name, string include, bool cplusplus = false)
    {
        var gcc = await ProcessRunner.RunAsync(cplusplus ? "g++" : "gcc",
            [cplusplus ? "-std=c++17" : "-std=c11", "-D_GNU_SOURCE", "-O2", "-Wall", "-Wextra", "-Werror", "-I", include, "-I", Path.GetDirectoryName(source)!,
             "-o", Program(name), source, "-L", Output, "-l:libnetbios.so", "-Wl,-rpath," + Output, "-lpthread"],
            Root, environment: null, stdin: null, TimeSpan.FromMinutes(2));
        if (gcc.ExitCode != 0)
        {
            throw new InvalidOperationException($"gcc {source} failed:\n{gcc.Output}");
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NetBios.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("NetBios.slnx not found above " + AppContext.BaseDirectory);
    }
}
