using NetBios.Tests.TestCommon;
using Xunit;

namespace NetBios.Tests.NameServer;

/// <summary><c>nbt node --wins-server</c>: its options are checked before anything is bound.</summary>
public sealed class WinsNodeCommandTests
{
    [Theory]
    [InlineData("--wins-hook", "/bin/true")]
    [InlineData("--wins-min-ttl", "60")]
    [InlineData("--database", "/tmp/x.db")]
    [InlineData("--database-url", "postgres://u@127.0.0.1/db")]
    public async Task WinsOptions_WithoutWinsServer_AreAUsageError(string option, string value)
    {
        var (exit, _, err) = await NbtRunner.RunAsync("node", "--name", "X", option, value, "--port", "9", "--interface", "127.0.0.1");

        Assert.Equal(2, exit);
        Assert.Contains("need --wins-server", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MinimumTtlAboveMaximum_IsAUsageError()
    {
        var (exit, _, err) = await NbtRunner.RunAsync("node", "--name", "X", "--wins-server", "--wins-min-ttl", "600", "--wins-max-ttl", "60",
            "--port", "9", "--interface", "127.0.0.1");

        Assert.Equal(2, exit);
        Assert.Contains("--wins-min-ttl/--wins-max-ttl", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADatabaseThatIsNotOne_IsAOneLineErrorBeforeAnythingIsBound()
    {
        string path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, "this is not an SQLite database, but it is long enough to have a header", TestContext.Current.CancellationToken);
            var (exit, _, err) = await NbtRunner.RunAsync("node", "--name", "X", "--wins-server", "--database", path, "--port", "9", "--interface", "127.0.0.1");

            Assert.Equal(3, exit);
            Assert.Contains(path, err, StringComparison.Ordinal);
            Assert.Single(err.Trim().Split('\n'));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
