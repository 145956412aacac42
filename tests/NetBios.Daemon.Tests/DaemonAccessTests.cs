using NetBios.NcbInterface;
using Xunit;
using static NetBios.Daemon.Tests.Ncbs;

namespace NetBios.Daemon.Tests;

/// <summary>Access control (docs/IPC.md "Access"): the socket file's mode and group, and the policy by peer credentials,
/// shown with a client process running as another uid (needs root to switch users).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DaemonAccessTests
{
    [Fact]
    public async Task TheSocketGetsTheConfiguredModeAndGroup()
    {
        Assert.SkipUnless(Environment.UserName == "root", "chown to another group needs root");
        await using var bed = await DaemonTestBed.StartAsync(o =>
        {
            o.SocketMode = "0660";
            o.SocketGroup = "nogroup";
        });
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite,
            File.GetUnixFileMode(bed.SocketPath));
        Assert.Equal(UnixSocketFile.ResolveGroup("nogroup"), StatGroup(bed.SocketPath));
    }

    [Fact]
    public async Task AClientRunningAsNobody_IsRefusedWhatThePolicyForbids_WithNrcNoResources_AndRootIsNot()
    {
        Assert.SkipUnless(Environment.UserName == "root", "running a client as nobody needs root");
        await using var bed = await DaemonTestBed.StartAsync(o =>
        {
            o.AccessPolicy.AddNames.Everyone = false;
            o.AccessPolicy.SendBroadcasts.Everyone = false;
        });
        bed.Directory.UnixFileMode = (UnixFileMode)Convert.ToInt32("777", 8);
        using (var nobody = DaemonLifetimeTests.StartClient(bed.SocketPath, "try", "NOBODY", asUser: "nobody"))
        {
            Assert.Equal("65534", await DaemonLifetimeTests.ReadFieldAsync(nobody, "UID"));
            Assert.Equal("00", await DaemonLifetimeTests.ReadFieldAsync(nobody, "RESET"));
            Assert.Equal("38", await DaemonLifetimeTests.ReadFieldAsync(nobody, "ADD"));
            Assert.NotEqual("38", await DaemonLifetimeTests.ReadFieldAsync(nobody, "LISTEN")); // allowed (it fails otherwise: no such name)
            Assert.Equal("38", await DaemonLifetimeTests.ReadFieldAsync(nobody, "BROADCAST"));
            await nobody.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        Assert.False(bed.StationHolds("NOBODY"));

        // Root may whatever the policy says.
        var root = await bed.ConnectAndResetAsync();
        await AddAsync(root, "ROOTNAME");
    }

    [Fact]
    public void ThePolicy_GrantsByUidOrPrimaryGid_AndRootAlways()
    {
        var policy = new NetBiosDaemonAccessPolicy();
        policy.AddNames.Everyone = false;
        policy.AddNames.UserIds.Add(1000);
        policy.Listen.Everyone = false;
        policy.Listen.GroupIds.Add(50);
        Assert.Equal(NetBiosDaemonPermissions.All, policy.PermissionsFor(0, 0));
        Assert.Equal(NetBiosDaemonPermissions.AddNames | NetBiosDaemonPermissions.SendBroadcasts, policy.PermissionsFor(1000, 1000));
        Assert.Equal(NetBiosDaemonPermissions.Listen | NetBiosDaemonPermissions.SendBroadcasts, policy.PermissionsFor(1001, 50));
        Assert.Equal(NetBiosDaemonPermissions.SendBroadcasts, policy.PermissionsFor(1001, 1001));
    }

    private static uint StatGroup(string path)
    {
        var start = new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%g", path]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var stat = System.Diagnostics.Process.Start(start)!;
        string output = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return uint.Parse(output, System.Globalization.CultureInfo.InvariantCulture);
    }
}
