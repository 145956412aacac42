using NetBios.Interop.Tests.Harness;
using Xunit;

namespace NetBios.Interop.Tests;

/// <summary>
/// Issue 15 items 5 and 7 against Samba: nbtd on the real ports in a namespace; <c>nbt register</c> through its socket
/// leaves the name held by the daemon after nbt exited, and Samba's nmblookup from other namespaces sees it (node status
/// and a broadcast query); <c>nbt names</c> lists it as the daemon's; <c>nbt release</c> takes it off the wire.
/// </summary>
[Trait("Category", "Interop")]
[Collection(nameof(NbtdInteropTests))]
public sealed class NbtdAdminInteropTests(ITestOutputHelper output)
    : SegmentTestBase(3, InteropRequirements.Root, InteropRequirements.Ip, InteropRequirements.Nmblookup)
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    private SegmentHost H1 => Segment[1];

    private SegmentHost H2 => Segment[2];

    private SegmentHost H3 => Segment[3];

    [Fact]
    public async Task NbtRegisterThroughNbtd_IsSeenByNmblookup_AfterNbtExited_AndNbtReleaseTakesItOff()
    {
        string nbtd = Path.Combine(Path.GetDirectoryName(Nbt.DllPath)!, "..", "..", "..", "..", "Nbtd", "bin",
            Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(Nbt.DllPath))!), "net10.0", "nbtd.dll");
        string socket = Path.Combine(SambaConfig.CreateWorkDirectory("nbtd-admin"), "nbtd.sock");
        await using var daemon = H1.Namespace.StartProcess("dotnet", [Path.GetFullPath(nbtd), "--Stations:0:Name=ADMINHOST", "--Ipc:SocketPath=" + socket,
            "--HeldNamesFile=" + Path.Combine(Path.GetDirectoryName(socket)!, "held-names")]);
        Assert.True(await daemon.WaitForOutputAsync("nbtd ready", StartLimit), daemon.Output);

        var register = await NbtAsync(socket, "register", "HELDINTEROP");
        output.WriteLine(register.StdOut + register.StdErr);
        Assert.True(register.Succeeded, register.StdErr);
        Assert.Contains("held by nbtd", register.StdOut, StringComparison.Ordinal);

        var status = await NmblookupAsync(H2, "-A", H1.Address.ToString());
        output.WriteLine(status.StdOut);
        Assert.Matches(@"HELDINTEROP\s+<00> -\s+B <ACTIVE>", status.StdOut);
        Assert.Matches(@"ADMINHOST\s+<20> -\s+B <ACTIVE>", status.StdOut);
        var query = await NmblookupAsync(H3, "-B", H1.Broadcast.ToString(), "HELDINTEROP");
        Assert.Contains($"{H1.Address} HELDINTEROP<00>", query.StdOut, StringComparison.Ordinal);

        var names = await NbtAsync(socket, "names");
        output.WriteLine(names.StdOut);
        // TTL, then TTL LEFT and REFRESH IN ("-": a B-node name does not expire).
        Assert.Matches(@"HELDINTEROP<00>\s+UNIQUE\s+Registered\s+\S+ s\s+-\s+-\s+nbtd \(for uid 0\)", names.StdOut);

        var release = await NbtAsync(socket, "release", "HELDINTEROP");
        Assert.True(release.Succeeded, release.StdErr);
        var after = await NmblookupAsync(H2, "-A", H1.Address.ToString());
        Assert.DoesNotContain("HELDINTEROP", after.StdOut, StringComparison.Ordinal);
        Assert.Contains("ADMINHOST", after.StdOut, StringComparison.Ordinal);
    }

    /// <summary>nbt with NBT_DAEMON set to the socket (a filesystem socket: reachable from any network namespace).</summary>
    private Task<CommandResult> NbtAsync(string socket, params string[] args) =>
        H1.Namespace.RunAsync("env", ["NBT_DAEMON=" + socket, "dotnet", Nbt.DllPath, .. args], TimeSpan.FromSeconds(60));

    private static Task<CommandResult> NmblookupAsync(SegmentHost host, params string[] args)
    {
        using var client = SambaClient.Create(host.Namespace, host.InterfaceSpec);
        return client.NmblookupAsync(args);
    }
}
