using NetBios.NameService;
using NetBios.Tests.TestCommon;
using Xunit;

namespace NetBios.Tests.Cli;

/// <summary>
/// Issue 17 item 7: every file the tool or the library opens is read with a size limit. Before, <c>--config /dev/zero</c>
/// and <c>--lmhosts /dev/zero</c> read until 4 GB and aborted.
/// </summary>
public sealed class BoundedReadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nbt-bounded-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Exit, string Err)> RunAsync(params string[] args)
    {
        var (exit, _, err) = await NbtRunner.RunAsync(args);
        return (exit, err);
    }

    /// <summary>A sparse file one byte past <paramref name="limit"/>: large to read, nothing on disk.</summary>
    private string TooLarge(long limit)
    {
        string path = Path.Combine(_dir, $"large-{limit}");
        using var file = File.Create(path);
        file.SetLength(limit + 1);
        return path;
    }

    public static TheoryData<string> Kinds => ["zero", "large", "directory"];

    private string PathOf(string kind, long limit) => kind switch
    {
        "zero" => "/dev/zero",
        "large" => TooLarge(limit),
        _ => _dir,
    };

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(Kinds))]
    public async Task Config_EndlessTooLargeOrDirectory_OneLineUsageError(string kind)
    {
        string path = PathOf(kind, 1024 * 1024);

        var (exit, err) = await RunAsync("status", "127.0.0.1", "--config", path);

        Assert.Equal(2, exit);
        Assert.Equal($"nbt: --config {path}: " + (kind == "directory" ? "this is a directory, not a file" : "the file is larger than 1 MiB"), err.Trim());
    }

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(Kinds))]
    public async Task Lmhosts_EndlessTooLargeOrDirectory_OneLineUsageError(string kind)
    {
        string path = PathOf(kind, 1024 * 1024);

        var (exit, err) = await RunAsync("query", "X", "--lmhosts", path, "--interface", "127.0.0.1");

        Assert.Equal(2, exit);
        Assert.Equal($"nbt: --lmhosts {path}: " + (kind == "directory" ? "this is a directory, not a file" : "the file is larger than 1 MiB"), err.Trim());
    }

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(Kinds))]
    public async Task Decode_EndlessTooLargeOrDirectory_OneLineUsageError(string kind)
    {
        string path = PathOf(kind, Nbt.Cli.Commands.DecodeCommand.MaxFileLength);

        var (exit, err) = await RunAsync("decode", path);

        Assert.Equal(2, exit);
        Assert.Equal($"nbt: {Path.GetFileName(path)}: " + (kind == "directory" ? "cannot read: this is a directory, not a file" : "the file is larger than 64 MiB"), err.Trim());
    }

    [Fact]
    public void Lmhosts_IncludeOfEndlessOrLargeFile_IsAWarningAndTheRestLoads()
    {
        string large = TooLarge(LmhostsFile.MaxFileLength);
        string main = Path.Combine(_dir, "lmhosts");
        File.WriteAllText(main, $"10.0.0.1 ALPHA\n#INCLUDE /dev/zero\n#INCLUDE {large}\n#INCLUDE {_dir}\n10.0.0.2 BETA\n");

        var file = LmhostsFile.Load(main);

        Assert.Equal(["ALPHA", "BETA"], file.Entries.Select(e => e.Name.ToString().Split('<')[0]));
        Assert.Equal(3, file.Warnings.Count);
        Assert.Contains("/dev/zero: the file is larger than 1 MiB", file.Warnings[0], StringComparison.Ordinal);
        Assert.Contains($"{large}: the file is larger than 1 MiB", file.Warnings[1], StringComparison.Ordinal);
        Assert.Contains("this is a directory", file.Warnings[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Lmhosts_AtTheLimit_Loads()
    {
        string path = Path.Combine(_dir, "exact");
        string line = "10.0.0.1 ALPHA\n";
        File.WriteAllText(path, line + new string('#', LmhostsFile.MaxFileLength - line.Length));

        Assert.Single(LmhostsFile.Load(path).Entries);
    }
}
