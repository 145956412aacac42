using NetBios.NameServer;
using Xunit;

namespace NetBios.Tests.NameServer;

/// <summary>The change hook (Samba's <c>wins hook</c>) gets its arguments as a vector: shell metacharacters in a name
/// stay text (Samba CVE-2025-10230 came from building a shell command line).</summary>
public sealed class WinsHookTests
{
    [Fact]
    public async Task Hook_GetsNameBytesAsOneArgument_NeverThroughAShell()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        string dir = Directory.CreateTempSubdirectory("wins-hook-").FullName;
        try
        {
            string output = Path.Combine(dir, "args.txt");
            string script = Path.Combine(dir, "hook.sh");
            await File.WriteAllTextAsync(script, $"#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > '{output}.tmp' && mv '{output}.tmp' '{output}'\n",
                TestContext.Current.CancellationToken);
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            await using var bed = await WinsTestBed.StartAsync(o => o.HookProgram = script);
            byte[] bytes = [.. "X;`id`$(id)|&"u8, 0x01, (byte)' ', 0x20];
            var name = NetBiosName.FromBytes(bytes);
            var client = bed.Client(2);

            WinsAssert.Positive(await client.RegisterAsync(name));
            for (int i = 0; i < 500 && !File.Exists(output); i++)
            {
                await Task.Delay(20, TestContext.Current.CancellationToken); // the hook runs in real time, in the background
            }

            string[] arguments = await File.ReadAllLinesAsync(output, TestContext.Current.CancellationToken);
            Assert.Equal(["add", "X;`id`$(id)|&\\x01", "20", "300000", "127.0.0.2"], arguments);
            Assert.False(File.Exists(Path.Combine(dir, "id")));
            Assert.Equal(1, bed.Server.Statistics.HookRuns);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void HookName_EscapesBackslashesAndNonPrintableBytes()
    {
        byte[] bytes = [(byte)'A', (byte)'\\', 0x00, (byte)'B', (byte)' ', (byte)' ', (byte)' ', (byte)' ', (byte)' ', (byte)' ', (byte)' ', (byte)' ', (byte)' ', (byte)' ', (byte)' ', 0x1C];

        Assert.Equal("A\\x5C\\x00B.corp", WinsHookArguments.FormatName(NetBiosName.FromBytes(bytes, "corp")));
    }

    [Fact]
    public async Task Hook_ThatHangs_IsKilledAtItsTimeout_OnTheTimeProvider()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        string dir = Directory.CreateTempSubdirectory("wins-hook-").FullName;
        try
        {
            string started = Path.Combine(dir, "started");
            string script = Path.Combine(dir, "hang.sh");
            await File.WriteAllTextAsync(script, $"#!/bin/sh\ntouch '{started}'\nexec sleep 60\n", TestContext.Current.CancellationToken);
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            await using var bed = await WinsTestBed.StartAsync(o =>
            {
                o.HookProgram = script;
                o.HookTimeout = TimeSpan.FromSeconds(5);
            });

            WinsAssert.Positive(await bed.Client(2).RegisterAsync(NetBiosName.Create("FRED", 0x20)));
            for (int i = 0; i < 500 && !File.Exists(started); i++)
            {
                await Task.Delay(20, TestContext.Current.CancellationToken); // the hook process starts in real time
            }

            for (int i = 0; i < 500 && bed.Server.Statistics.HookFailures == 0; i++)
            {
                bed.Time.Advance(TimeSpan.FromSeconds(1));
                await Task.Delay(10, TestContext.Current.CancellationToken);
            }

            Assert.True(File.Exists(started));
            Assert.Equal(1, bed.Server.Statistics.HookFailures);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
