using Xunit;

namespace NetBios.Daemon.Tests;

/// <summary>The held-names file (docs/NBTD.md "Held names"): what is saved loads back, the write leaves no temporary
/// file, and any malformed content is a problem naming the line, never an exception.</summary>
public sealed class HeldNameStateFileTests
{
    [Fact]
    public void SavedNames_LoadBack_WithGroupFlagUidLanaAndScope()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("held-").FullName, "sub", "held-names");
        var file = new HeldNameStateFile(path);
        HeldName[] names =
        [
            new(0, NetBiosName.Create("ONE", 0x20), false, 1000, 77),
            new(3, NetBiosName.Create("TEAM", 0x00, "SCOPE.ID"), true, 0, 0),
            new(1, NetBiosName.FromBytesUnchecked([0x01, 0x02, .. new byte[12], 0x1B, 0xFF], null), false, uint.MaxValue, 0),
        ];
        file.Save(names);

        var (loaded, problem) = file.Load();
        Assert.Null(problem);
        Assert.Equal(names.Select(n => n with { ProcessId = 0 }).OrderBy(n => n.Lana), loaded.OrderBy(n => n.Lana));
        Assert.False(File.Exists(path + ".tmp"));

        file.Save([]);
        Assert.Empty(file.Load().Names);
        Assert.Null(new HeldNameStateFile(path + ".missing").Load().Problem);
    }

    [Theory]
    [InlineData("0\tU\t0\t414243")]
    [InlineData("0\tX\t0\t41424344454647484950515253545520\t")]
    [InlineData("256\tU\t0\t41424344454647484950515253545520\t")]
    [InlineData("0\tU\t-1\t41424344454647484950515253545520\t")]
    [InlineData("0\tU\t0\t4142434445464748495051525354552Z\t")]
    [InlineData("0\tU\t0\t41424344454647484950515253545520\t.bad..scope")]
    [InlineData("0\tU\t0\t41424344454647484950515253545520\t\textra")]
    [InlineData("\u0000\u0001garbage")]
    public void AMalformedLine_IsAProblemNamingTheLine_NotAnException(string line)
    {
        var (names, problem) = HeldNameStateFile.Parse("# comment\n0\tU\t0\t41424344454647484950515253545520\t\n" + line + "\n");
        Assert.Empty(names);
        Assert.StartsWith("line 3", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ABadFile_IsMovedAside()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("held-").FullName, "held-names");
        File.WriteAllText(path, "nonsense\n");
        var file = new HeldNameStateFile(path);
        Assert.NotNull(file.Load().Problem);
        Assert.Equal(path + ".corrupt", file.MoveAside());
        Assert.False(File.Exists(path));
        Assert.Null(file.Load().Problem);
    }
}
