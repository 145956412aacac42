using System.Text.RegularExpressions;
using Nbt.Cli;
using Xunit;

namespace NetBios.Tests.Cli;

/// <summary>
/// Issue 19 item 4: every command's help lists only the options that command uses, names its placeholders in
/// capitals (no <c>&lt;words&gt;</c>), ends with examples that parse, and documents the <c>\xNN</c> escape where names
/// are typed.
/// </summary>
public sealed partial class HelpTests
{
    public static TheoryData<string> Commands => new(HelpExamples.Paths.Where(p => p.Length > 0));

    private static async Task<(int Exit, string Out)> HelpAsync(string path)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        string[] args = [.. path.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"];
        int exit = await Program.RunAsync(args, TextReader.Null, stdout, stderr, null, null, new Dictionary<string, string>());
        return (exit, stdout.ToString());
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task EveryCommand_HelpHasExamplesAndCapitalPlaceholders(string path)
    {
        var (exit, text) = await HelpAsync(path);

        Assert.Equal(0, exit);
        Assert.Contains("Examples:", text, StringComparison.Ordinal);
        foreach (string example in HelpExamples.For(path)!)
        {
            Assert.Contains(example, text, StringComparison.Ordinal);
        }

        // Placeholders say what to type (<NAME>, <IP[:PORT]>), never a lower-case symbol name (<words>) — except the
        // sub-command slot of a command with sub-commands.
        var lower = LowerPlaceholder().Matches(text).Select(m => m.Value).Where(v => v != "<command>").ToList();
        Assert.True(lower.Count == 0, $"{path}: {string.Join(", ", lower)}\n{text}");
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task EveryExample_Parses(string path)
    {
        var output = new Output(TextWriter.Null, TextWriter.Null);
        var root = Program.CreateRoot(output, TextWriter.Null);
        foreach (string example in HelpExamples.For(path)!.Where(e => e.StartsWith("nbt ", StringComparison.Ordinal)))
        {
            // The command line part: up to two spaces (a comment follows) or a redirection.
            string line = example.Split("  ")[0];
            var tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .TakeWhile(t => t is not ("<" or ">")).Select(t => t.Trim('\'')).ToArray();
            var parse = root.Parse(tokens);
            Assert.True(parse.Errors.Count == 0, $"{example}: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
        }
    }

    [Theory]
    [InlineData("decode", new[] { "--json", "--protocol", "--config", "-v" }, new[] { "--wins", "--interface", "--port", "--scope", "--node-type", "--lmhosts", "--refresh" })]
    [InlineData("query", new[] { "--wins", "--timeout", "--source-port-137", "--master-browser", "--reverse" }, new[] { "--session-port", "--datagram-port", "--refresh", "--database" })]
    [InlineData("status", new[] { "--format", "--port" }, new[] { "--session-port", "--datagram-port", "--refresh" })]
    [InlineData("call", new[] { "--session-port", "--address" }, new[] { "--datagram-port", "--refresh" })]
    [InlineData("send", new[] { "--datagram-port" }, new[] { "--session-port", "--refresh" })]
    [InlineData("node", new[] { "--allow-partial", "--refresh", "--session-port", "--datagram-port" }, new string[0])]
    [InlineData("release", new[] { "--force" }, new[] { "--refresh", "--session-port" })]
    [InlineData("wins list", new[] { "--database", "--json" }, new[] { "--wins ", "--interface", "--port" })]
    public async Task Help_ListsOnlyTheCommandsOwnOptions(string path, string[] present, string[] absent)
    {
        var (_, text) = await HelpAsync(path);

        foreach (string option in present)
        {
            Assert.Contains(option, text, StringComparison.Ordinal);
        }

        foreach (string option in absent)
        {
            Assert.DoesNotContain(option, text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("query", true)]
    [InlineData("node", true)]
    [InlineData("decode", false)]
    public async Task CommandsThatTakeNames_DocumentTheEscape(string path, bool documented)
    {
        var (_, text) = await HelpAsync(path);

        Assert.Equal(documented, text.Contains(@"\xNN", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Root_HelpListsTheCommandsAndExamples()
    {
        var (exit, text) = await HelpAsync(string.Empty);

        Assert.Equal(0, exit);
        Assert.Contains("decode", text, StringComparison.Ordinal);
        Assert.Contains("Examples:", text, StringComparison.Ordinal);
    }

    [GeneratedRegex("<[a-z][a-z-]*>")]
    private static partial Regex LowerPlaceholder();
}
