using System.IO.Compression;
using System.Reflection.Metadata;
using System.Text;
using System.Xml.Linq;
using NetBios.Interop.Tests.Harness;
using Xunit;

namespace NetBios.Interop.Tests;

/// <summary>
/// Issue 19 item 1: the packages. <c>eng/pack.sh</c> packs every package of src/ (Release, deterministic under CI=true;
/// .ci/run packs before the tests and passes the folder in NETBIOS_PACKAGES, otherwise this test packs);
/// each carries license, project URL, readme, tags, XML docs, a .snupkg whose PDBs have SourceLink; and the tool
/// installs from the local folder into a temporary tool path and runs — inside a network namespace with no route out,
/// with a nuget.config that names only that folder, so nothing is fetched from a feed.
/// </summary>
[Trait("Category", "Interop")]
public sealed class PackagingTests(ITestOutputHelper output)
{
    // [RFC 1002] 4.2.12 NAME QUERY REQUEST for FRED<20> (the vector of DecodeCommandTests).
    private const string FredQuery = "1234011000010000000000002045474643454645454341434143414341434143414341434143414341434143410000200001";

    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    [Fact]
    public async Task Pack_ThenInstallTheToolFromTheLocalFolder_Runs()
    {
        InteropRequirements.Require(InteropRequirements.Root, InteropRequirements.Ip);
        var ct = TestContext.Current.CancellationToken;
        string root = RepositoryRoot();
        string work = Directory.CreateTempSubdirectory("nbt-pack-").FullName;
        try
        {
            var (packages, version) = await PackagesAsync(root, work, ct);
            foreach (string id in new[] { "NetBios", "NetBios.Testing", "NetBios.NameServer.Sqlite", "NetBios.NameServer.PostgreSql", "nbt" })
            {
                CheckPackage(packages, id, version);
            }

            Assert.DoesNotContain(Directory.EnumerateFiles(packages), f => Path.GetFileName(f).StartsWith("libnetbios", StringComparison.OrdinalIgnoreCase) || Path.GetFileName(f).Contains("Tests", StringComparison.Ordinal));

            string config = Path.Combine(work, "nuget.config");
            await File.WriteAllTextAsync(config, $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="local" value="{packages}" />
                  </packageSources>
                </configuration>
                """, ct);
            await using var ns = await NetworkNamespace.CreateAsync("pack", ct);
            string tools = Path.Combine(work, "tools");
            var install = await ns.RunAsync(
                "env",
                [$"NUGET_PACKAGES={Path.Combine(work, "nuget-packages")}", "DOTNET_CLI_TELEMETRY_OPTOUT=1", "DOTNET_NOLOGO=1",
                 "dotnet", "tool", "install", "nbt", "--tool-path", tools, "--configfile", config, "--version", version],
                TimeSpan.FromMinutes(10), // a bound on a loaded machine (tens of seconds on a quiet one)
                cancellationToken: ct);
            output.WriteLine($"install: {install.Elapsed.TotalSeconds:F1} s\n{install.StdOut}{install.StdErr}");
            Assert.Equal(0, install.ExitCode);

            string nbt = Path.Combine(tools, "nbt");
            var help = await ns.RunAsync(nbt, ["--help"], TimeSpan.FromMinutes(1), cancellationToken: ct);
            output.WriteLine(help.StdOut + help.StdErr);
            Assert.Equal(0, help.ExitCode);
            Assert.Contains("query", help.StdOut, StringComparison.Ordinal);

            var decode = await ns.RunAsync(nbt, ["decode"], TimeSpan.FromMinutes(1), stdin: FredQuery + "\n", cancellationToken: ct);
            output.WriteLine($"decode: {decode.Elapsed.TotalSeconds:F1} s\n{decode.StdOut}{decode.StdErr}");
            Assert.Equal(0, decode.ExitCode);
            Assert.Contains("name query request  FRED<20>", decode.StdOut, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// The packages to check: those .ci/run packed before the tests (NETBIOS_PACKAGES names their folder, so CI packs
    /// once), or else packed here by eng/pack.sh with a version no cache has seen.
    /// </summary>
    private async Task<(string Folder, string Version)> PackagesAsync(string root, string work, CancellationToken ct)
    {
        if (Environment.GetEnvironmentVariable("NETBIOS_PACKAGES") is { Length: > 0 } given && Directory.Exists(given))
        {
            string tool = Directory.EnumerateFiles(given, "nbt.*.nupkg").Single();
            string found = Path.GetFileNameWithoutExtension(tool)["nbt.".Length..];
            output.WriteLine($"packages packed by .ci/run: {given}, version {found}");
            return (given, found);
        }

        string version = $"0.0.1-pack.{DateTime.UtcNow:yyyyMMddHHmmss}";
        var pack = await ProcessRunner.RunAsync("bash", [Path.Combine(root, "eng", "pack.sh"), work, $"-p:Version={version}"], TimeSpan.FromMinutes(10), cancellationToken: ct);
        output.WriteLine($"pack: {pack.Elapsed.TotalSeconds:F1} s\n{pack.StdOut}{pack.StdErr}");
        Assert.Equal(0, pack.ExitCode);
        return (Path.Combine(work, "packages"), version);
    }

    private void CheckPackage(string folder, string id, string version)
    {
        string nupkg = Path.Combine(folder, $"{id}.{version}.nupkg");
        string snupkg = Path.Combine(folder, $"{id}.{version}.snupkg");
        Assert.True(File.Exists(nupkg), $"{nupkg} missing");
        Assert.True(File.Exists(snupkg), $"{snupkg} missing");
        bool isTool = id == "nbt";
        string assembly = isTool ? "nbt" : id;

        using (var package = ZipFile.OpenRead(nupkg))
        {
            var nuspecEntry = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
            XDocument nuspec;
            using (var stream = nuspecEntry.Open())
            {
                nuspec = XDocument.Load(stream);
            }

            var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            string? Field(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
            XElement? Element(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name);
            output.WriteLine($"{id}: authors={Field("authors")} license={Field("license")} projectUrl={Field("projectUrl")} tags={Field("tags")}");

            Assert.Equal("MIT", Field("license"));
            Assert.Equal("expression", Element("license")!.Attribute("type")!.Value);
            Assert.StartsWith("https://", Field("projectUrl"), StringComparison.Ordinal);
            Assert.Equal("README.md", Field("readme"));
            Assert.Contains(package.Entries, e => e.FullName == "README.md");
            Assert.Contains("netbios", Field("tags"), StringComparison.Ordinal);
            Assert.NotEqual(id, Field("authors")); // not the SDK's default (the package id)
            Assert.False(string.IsNullOrWhiteSpace(Field("description")));
            var repository = Element("repository");
            Assert.NotNull(repository);
            Assert.Equal(40, repository.Attribute("commit")?.Value.Length ?? 0);
            if (isTool)
            {
                Assert.Contains(package.Entries, e => e.FullName == "tools/net10.0/any/DotnetToolSettings.xml");
                Assert.Contains("DotnetTool", nuspec.ToString(), StringComparison.Ordinal);
            }
            else
            {
                Assert.Contains(package.Entries, e => e.FullName == $"lib/net10.0/{assembly}.xml"); // XML docs
                Assert.Contains(package.Entries, e => e.FullName == $"lib/net10.0/{assembly}.dll");
            }
        }

        using var symbols = ZipFile.OpenRead(snupkg);
        var pdbEntry = symbols.Entries.Single(e => e.Name == $"{assembly}.pdb");
        using var pdbStream = new MemoryStream();
        using (var s = pdbEntry.Open())
        {
            s.CopyTo(pdbStream);
        }

        pdbStream.Position = 0;
        using var provider = MetadataReaderProvider.FromPortablePdbStream(pdbStream);
        var reader = provider.GetMetadataReader();
        string? sourceLink = reader.CustomDebugInformation
            .Select(reader.GetCustomDebugInformation)
            .Where(cdi => reader.GetGuid(cdi.Kind) == SourceLinkKind)
            .Select(cdi => Encoding.UTF8.GetString(reader.GetBlobBytes(cdi.Value)))
            .FirstOrDefault();
        output.WriteLine($"{id}: SourceLink {sourceLink}");
        Assert.NotNull(sourceLink);
        Assert.Contains("https://", sourceLink, StringComparison.Ordinal);
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
