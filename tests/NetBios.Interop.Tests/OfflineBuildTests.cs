using NetBios.Interop.Tests.Harness;
using Xunit;

namespace NetBios.Interop.Tests;

/// <summary>
/// Issue 19 item 7: the build and <c>dotnet run</c> work offline from a warm package cache. A copy of the sources is
/// built inside a network namespace with no route out (only loopback), with an empty NuGet HTTP cache so that the
/// vulnerability audit must try the feed: NU1900 ("Error occurred while getting package vulnerability data") stays a
/// warning and the build succeeds.
/// </summary>
[Trait("Category", "Interop")]
public sealed class OfflineBuildTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Build_WithAWarmCacheAndNoRouteOut_SucceedsAndRuns()
    {
        InteropRequirements.Require(InteropRequirements.Root, InteropRequirements.Ip);
        await using var ns = await NetworkNamespace.CreateAsync("offline", TestContext.Current.CancellationToken);
        string root = RepositoryRoot();
        string work = Directory.CreateTempSubdirectory("nbt-offline-").FullName;
        string httpCache = Directory.CreateTempSubdirectory("nbt-offline-http-").FullName;
        try
        {
            foreach (string file in new[] { ".editorconfig", "Directory.Build.props", "Directory.Packages.props", "global.json" })
            {
                File.Copy(Path.Combine(root, file), Path.Combine(work, file));
            }

            CopySources(Path.Combine(root, "src"), Path.Combine(work, "src"));
            string project = Path.Combine(work, "src", "Nbt.Cli");
            // A bound, not an expectation (about 1-2 min on a quiet 2-core machine): beside the other test projects and
            // other builds, this build took more than 5 min.
            var build = await ns.RunAsync("env", [$"NUGET_HTTP_CACHE_PATH={httpCache}", "dotnet", "build", project], TimeSpan.FromMinutes(15));
            output.WriteLine(build.StdOut + build.StdErr);
            Assert.Equal(0, build.ExitCode);
            Assert.Contains("NU1900", build.StdOut, StringComparison.Ordinal); // the audit really could not reach the feed

            var run = await ns.RunAsync("dotnet", ["run", "--no-build", "--project", project, "--", "--help"], TimeSpan.FromMinutes(1));
            output.WriteLine(run.StdOut + run.StdErr);
            Assert.Equal(0, run.ExitCode);
            Assert.Contains("query", run.StdOut, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
            Directory.Delete(httpCache, recursive: true);
        }
    }

    private static void CopySources(string from, string to)
    {
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(from, file);
            string first = relative.Split(Path.DirectorySeparatorChar).Skip(1).FirstOrDefault() ?? string.Empty;
            if (first is "bin" or "obj")
            {
                continue;
            }

            string target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NetBios.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("no NetBios.slnx above " + AppContext.BaseDirectory);
    }
}
