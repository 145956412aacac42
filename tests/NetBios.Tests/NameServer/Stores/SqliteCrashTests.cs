using System.Diagnostics;
using System.Globalization;
using NetBios.NameServer.Sqlite;
using Xunit;

namespace NetBios.Tests.NameServer.Stores;

/// <summary>
/// Issue 14, durability: a child process registering names in a loop through <see cref="SqliteWinsStore"/> is killed
/// with SIGKILL at ≥ 100 random points; after each restart every registration it acknowledged is in the database with
/// its version, and versions never go back.
/// </summary>
public sealed class SqliteCrashTests : IDisposable
{
    private const int Kills = 100;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(150);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("nbt-wins-crash-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task KilledAtRandomPoints_EveryAcknowledgedWriteSurvives()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        string db = Path.Combine(_dir.FullName, "wins.db");
        string child = Path.Combine(AppContext.BaseDirectory, "NetBios.Store.Crash.dll");
        Assert.True(File.Exists(child), $"{child} missing");
        await (await SqliteWinsStore.OpenAsync(db, cancellationToken: cancellationToken)).DisposeAsync();

        var random = new Random(20261206);
        var acked = new Dictionary<string, long>(StringComparer.Ordinal);
        long lastVersion = 0;
        int killedWhileWriting = 0;
        var clock = Stopwatch.StartNew();
        for (int run = 0; run < Kills; run++)
        {
            Assert.True(clock.Elapsed < Budget, $"only {run} kills in {Budget}");
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string argument in (string[])[child, db, $"c{run}", "8"])
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var lines = new List<string>();
            var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var firstAck = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var reader = Task.Run(async () =>
            {
                while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
                {
                    lock (lines)
                    {
                        lines.Add(line);
                    }

                    if (line == "open")
                    {
                        opened.TrySetResult();
                    }
                    else
                    {
                        firstAck.TrySetResult();
                    }
                }
            }, cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);

            // One run in ten is killed at a random point of its start-up (opening, recovering the WAL); the others
            // a random 0-60 ms into writing, with commits in flight.
            if (random.Next(10) == 0)
            {
                await Task.Delay(random.Next(0, 150), cancellationToken);
            }
            else
            {
                await firstAck.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                await Task.Delay(random.Next(0, 60), cancellationToken);
                killedWhileWriting++;
            }

            Assert.False(process.HasExited, $"run {run} exited by itself: {(stderr.IsCompleted ? await stderr : string.Empty)}");
            process.Kill();
            await process.WaitForExitAsync(cancellationToken);
            await reader;

            long runMin = long.MaxValue;
            foreach (string line in lines)
            {
                string[] parts = line.Split(' ');
                if (parts is ["acked", var name, var version] && long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out long v))
                {
                    acked[name] = v;
                    runMin = Math.Min(runMin, v);
                }
            }

            // Versions continue above every version acknowledged before the restart.
            Assert.True(runMin == long.MaxValue || runMin > lastVersion, $"run {run}: version {runMin} after {lastVersion}");
            lastVersion = Math.Max(lastVersion, acked.Count == 0 ? 0 : acked.Values.Max());
        }

        await using var store = await SqliteWinsStore.OpenAsync(db, cancellationToken: cancellationToken);
        var missing = new List<string>();
        foreach (var (hex, version) in acked)
        {
            var record = await store.FindAsync(NetBiosName.FromBytes(Convert.FromHexString(hex)), cancellationToken);
            if (record is null || record.Version < version)
            {
                missing.Add($"{hex}@{version}: {(record is null ? "absent" : record.Version.ToString(CultureInfo.InvariantCulture))}");
            }
        }

        Assert.True(missing.Count == 0, $"{missing.Count} of {acked.Count} acknowledged writes lost: {string.Join(", ", missing.Take(10))}");
        Assert.True(acked.Count > 1000, $"only {acked.Count} writes acknowledged");
        Assert.True(killedWhileWriting >= 80);
        Assert.True(store.MaxVersion >= lastVersion);
        TestContext.Current.TestOutputHelper?.WriteLine($"{Kills} kills ({killedWhileWriting} while writing) in {clock.Elapsed.TotalSeconds:F1} s, {acked.Count} acknowledged writes, {store.Count} records");
    }
}
