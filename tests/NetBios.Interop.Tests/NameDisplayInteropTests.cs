using System.Text.RegularExpressions;
using NetBios.Interop.Tests.Harness;
using Xunit;

namespace NetBios.Interop.Tests;

/// <summary>
/// Issue 19, nmblookup display: <c>nbt status</c> (default format) prints the name column of a node status exactly
/// as real <c>nmblookup -A</c> prints it for the same node: names with non-printable bytes registered by our node
/// (<c>\x01\x02__MSBROWSE__\x02#01</c>, a byte ≥ 0x80), and the <c>..__MSBROWSE__.&lt;01&gt;</c> of an nmbd that
/// became its segment's local master browser.
/// </summary>
[Trait("Category", "Interop")]
[Collection(nameof(NameDisplayInteropTests))]
[CollectionDefinition(nameof(NameDisplayInteropTests), DisableParallelization = true)]
public sealed partial class NameDisplayInteropTests(ITestOutputHelper output)
    : SegmentTestBase(2, InteropRequirements.Root, InteropRequirements.Ip, InteropRequirements.Nmbd, InteropRequirements.Nmblookup)
{
    private SegmentHost H1 => Segment[1];

    private SegmentHost H2 => Segment[2];

    [Fact]
    public async Task OurNode_NonPrintableNames_NbtStatusShowsTheNameColumnAsNmblookup()
    {
        await using var node = Nbt.Start(H2.Namespace, "node", "--name", "DISPNODE", "--group", @"\x01\x02__MSBROWSE__\x02#01",
            "--add", @"CAF\xC9#20", "--interface", H2.Address.ToString());
        Assert.True(await node.WaitForOutputAsync("running", TimeSpan.FromSeconds(30)), node.Output);

        var nmblookup = await NmblookupAsync(H1, "-A", H2.Address.ToString());
        var status = await Nbt.RunAsync(H1.Namespace, $"status {H2.Address}");
        output.WriteLine(nmblookup.StdOut);
        output.WriteLine(status.StdOut);

        Assert.True(status.ExitCode == 0, status.ToString());
        var theirs = NmblookupNames(nmblookup.StdOut);
        Assert.Contains("..__MSBROWSE__.<01>", theirs);
        Assert.Contains(theirs, n => n.StartsWith("CAF", StringComparison.Ordinal) && n.EndsWith("<20>", StringComparison.Ordinal));
        Assert.Equal(theirs.Order(StringComparer.Ordinal), NbtNames(status.StdOut).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task LocalMasterBrowserNmbd_NbtStatusShowsMsBrowse_AsNmblookup()
    {
        await using var nmbd = await NmbdProcess.StartAsync(H1.Namespace, new NmbdOptions
        {
            NetbiosName = "PEERLMB",
            Interfaces = H1.InterfaceSpec,
            WinsSupport = false,
            StartTimeout = TimeSpan.FromSeconds(30),
            ExtraLines = ["local master = yes", "preferred master = yes", "os level = 65"],
        });

        // nmbd wins the browser election of its (otherwise empty) workgroup and then adds ..__MSBROWSE__.<01>:
        // poll its node status, bounded by 120 s.
        CommandResult status = await Nbt.RunAsync(H2.Namespace, $"status {H1.Address}");
        for (int i = 0; i < 60 && !NbtNames(status.StdOut).Contains("..__MSBROWSE__.<01>"); i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
            status = await Nbt.RunAsync(H2.Namespace, $"status {H1.Address}");
        }

        var nmblookup = await NmblookupAsync(H2, "-A", H1.Address.ToString());
        output.WriteLine(nmblookup.StdOut);
        output.WriteLine(status.StdOut);

        Assert.Contains("..__MSBROWSE__.<01>", NbtNames(status.StdOut));
        Assert.Matches(@"\.\.__MSBROWSE__\.\s+<01>\s+GROUP", status.StdOut);
        Assert.Contains("..__MSBROWSE__.<01>", NmblookupNames(nmblookup.StdOut));
        Assert.Equal(NmblookupNames(nmblookup.StdOut).Order(StringComparer.Ordinal), NbtNames(status.StdOut).Order(StringComparer.Ordinal));
    }

    private static Task<CommandResult> NmblookupAsync(SegmentHost host, params string[] args)
    {
        using var client = SambaClient.Create(host.Namespace, host.InterfaceSpec);
        return client.NmblookupAsync(args);
    }

    /// <summary>nmblookup's rows: <c>\tNAME&lt;padded to 15&gt; &lt;xx&gt; - ...</c>, as <c>NAME&lt;XX&gt;</c> (trailing padding dropped).</summary>
    private static List<string> NmblookupNames(string text) =>
        [.. NmblookupRow().Matches(text).Select(m => $"{m.Groups[1].Value.TrimEnd(' ')}<{m.Groups[2].Value.ToUpperInvariant()}>")];

    /// <summary>nbt status's rows: <c>NAME  &lt;XX&gt;  GROUP|UNIQUE ...</c>.</summary>
    private static List<string> NbtNames(string text) =>
        [.. NbtRow().Matches(text).Select(m => $"{m.Groups[1].Value.TrimEnd(' ')}<{m.Groups[2].Value}>")];

    [GeneratedRegex(@"^\t(.+?) ?<([0-9a-fA-F]{2})> -", RegexOptions.Multiline)]
    private static partial Regex NmblookupRow();

    [GeneratedRegex(@"^\s*(\S.*?)\s+<([0-9A-F]{2})>\s+(?:GROUP|UNIQUE)\b", RegexOptions.Multiline)]
    private static partial Regex NbtRow();
}
