using System.Net;
using System.Text.RegularExpressions;
using NetBios.NameService;
using NetBios.Samples;
using Xunit;

namespace NetBios.Tests.Samples;

/// <summary>
/// Issue 19 item 6: the usage guide (docs/GUIDE.md) quotes compiled samples (samples/GettingStarted) and the quotes
/// cannot rot: each quoted block must equal its sample's region, and every sample runs here — on the in-memory
/// network of NetBios.Testing (two nodes, real clock), <c>bind</c> on loopback.
/// </summary>
public sealed partial class GuideSamplesTests
{
    private static readonly TimeSpan SampleLimit = TimeSpan.FromSeconds(60);

    [Fact]
    public void Guide_QuotesEverySampleRegionExactly()
    {
        string root = RepositoryRoot();
        string[] guide = File.ReadAllLines(Path.Combine(root, "docs", "GUIDE.md"));
        var quoted = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < guide.Length; i++)
        {
            var marker = SampleMarker().Match(guide[i]);
            if (!marker.Success)
            {
                continue;
            }

            string path = marker.Groups["path"].Value;
            string id = marker.Groups["id"].Value;
            quoted.Add($"{path}#{id}");
            Assert.True(i + 2 < guide.Length && guide[i + 1].Length == 0 && guide[i + 2] == "```csharp", $"GUIDE.md line {i + 1}: the marker of {path}#{id} must be followed by a blank line and ```csharp");
            int end = Array.IndexOf(guide, "```", i + 3);
            Assert.True(end > 0, $"GUIDE.md line {i + 1}: unterminated code block");
            string inGuide = string.Join('\n', guide[(i + 3)..end]);
            Assert.True(
                Region(root, path, id) == inGuide,
                $"docs/GUIDE.md quotes {path}#{id} out of date: run `python3 eng/update-guide-samples.py`");
        }

        // Every region of every sample is quoted somewhere (a region nobody quotes is a sign of a renamed marker).
        foreach (string file in Directory.EnumerateFiles(Path.Combine(root, "samples", "GettingStarted"), "*.cs"))
        {
            string relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            foreach (Match region in RegionStart().Matches(File.ReadAllText(file)))
            {
                Assert.Contains($"{relative}#{region.Groups["id"].Value}", quoted);
            }
        }

        Assert.True(quoted.Count >= 10, $"only {quoted.Count} quoted samples");
    }

    [Fact]
    public async Task Bind_OnLoopback_GetsEphemeralPorts()
    {
        var output = new StringWriter();

        var endPoint = await Run(ct => BindSample.RunAsync(IPAddress.Loopback, output, ct));

        Assert.NotEqual(0, endPoint.Port); // a client takes an ephemeral port
        Assert.Contains($"bound: name service {endPoint}, datagrams ", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_FindsThePeer()
    {
        var (result, output) = await RunInLab((lab, o, ct) => ResolveSample.RunAsync(lab.Station, o, ct));

        Assert.Equal([IPAddress.Parse("10.0.0.2")], result);
        Assert.Contains("FILESRV<00> is 10.0.0.2 (unique, B-node", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NodeStatus_ListsThePeersNames()
    {
        var (names, output) = await RunInLab((lab, o, ct) => NodeStatusSample.RunAsync(lab.Station, lab.Peer.Address, o, ct));

        Assert.Contains(NetBiosName.Create("FILESRV", 0x00), names);
        Assert.Contains(NetBiosName.Create("FILESRV", 0x20), names);
        Assert.Contains("Node status of 10.0.0.2", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_RegistersOwnNamesAndMeetsTheDefender()
    {
        var (outcomes, output) = await RunInLab((lab, o, ct) => RegisterSample.RunAsync(lab.Station, o, ct));

        Assert.Equal([RegistrationOutcome.Registered, RegistrationOutcome.Registered, RegistrationOutcome.Conflict], outcomes);
        Assert.Contains("MYHOST<00>: Registered", output, StringComparison.Ordinal);
        Assert.Contains("FILESRV<00>: Conflict, owner 10.0.0.2", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Datagram_ReachesThePeer()
    {
        var (text, output) = await RunInLab((lab, o, ct) => DatagramSample.RunAsync(lab.Station, lab.Peer, o, ct));

        Assert.Equal("hello, FILESRV", text);
        Assert.Contains("from SENDER<00> at 10.0.0.1:138", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_CallsAndGetsTheEcho()
    {
        var (reply, output) = await RunInLab((lab, o, ct) => SessionSample.RunAsync(lab.Station, lab.Peer, o, ct));

        Assert.Equal("pong", reply);
        Assert.Contains("CLIENT<00> -> FILESRV<20>: sent \"ping\", got \"pong\" (Ok)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ncb_CallsSendsReceivesWithNcbsOnly()
    {
        var (reply, output) = await RunInLab((lab, o, ct) => NcbSample.RunAsync(lab.Station, lab.Peer, o, ct));

        Assert.Equal("pong", reply);
        foreach (string command in new[] { "RESET", "ADD NAME", "CALL", "SEND", "RECEIVE", "HANG UP", "DELETE NAME" })
        {
            Assert.Contains($"{command}: 0x00 GoodReturn", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Runner_UnknownSample_IsAUsageError()
    {
        var output = new StringWriter();

        int exit = await SampleRunner.RunAsync(["nope"], output, TestContext.Current.CancellationToken);

        Assert.Equal(2, exit);
        Assert.StartsWith("usage: netbios-samples [bind|resolve|status|register|datagram|session|ncb|all]", output.ToString(), StringComparison.Ordinal);
    }

    private static async Task<T> Run<T>(Func<CancellationToken, Task<T>> sample)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(SampleLimit);
        return await sample(limit.Token).WaitAsync(SampleLimit + TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
    }

    private static Task<(T Result, string Output)> RunInLab<T>(Func<SampleLab, TextWriter, CancellationToken, Task<T>> sample) =>
        Run(async ct =>
        {
            var output = new StringWriter();
            await using var lab = await SampleLab.CreateAsync(ct);
            T result = await sample(lab, output, ct);
            return (result, output.ToString());
        });

    private static string Region(string root, string path, string id)
    {
        string[] lines = File.ReadAllLines(Path.Combine(root, path));
        int start = Array.FindIndex(lines, l => l.Trim() == $"// <guide:{id}>");
        int end = Array.FindIndex(lines, l => l.Trim() == $"// </guide:{id}>");
        Assert.True(start >= 0 && end > start, $"{path}: no region {id}");
        string[] body = lines[(start + 1)..end];
        int indent = body.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart(' ').Length);
        return string.Join('\n', body.Select(l => l.Trim().Length == 0 ? string.Empty : l[indent..]));
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

    [GeneratedRegex(@"^<!-- sample: (?<path>[^#\s]+)#(?<id>[\w-]+) -->$")]
    private static partial Regex SampleMarker();

    [GeneratedRegex(@"// <guide:(?<id>[\w-]+)>")]
    private static partial Regex RegionStart();
}
