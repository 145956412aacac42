using System.Net;
using NetBios.Interop.Tests.Harness;
using Xunit;

namespace NetBios.Interop.Tests;

/// <summary>
/// Issue 14 (b): on a multi-homed host the answer leaves from the address the request was sent to. Our node binds
/// 0.0.0.0:137 in a namespace whose interface has two addresses; a client on the segment queries the second one.
/// Routing alone would answer from the first (the interface's primary address for the segment's route): the python
/// client reports the source it saw, and nmblookup, which ignores an answer from another address than it asked,
/// must find the name.
/// </summary>
[Trait("Category", "Interop")]
[Collection(nameof(ReplySourceInteropTests))]
[CollectionDefinition(nameof(ReplySourceInteropTests), DisableParallelization = true)]
public sealed class ReplySourceInteropTests(ITestOutputHelper output)
    : SegmentTestBase(2, InteropRequirements.Root, InteropRequirements.Ip, InteropRequirements.Nmblookup)
{
    /// <summary>Sends one NAME QUERY REQUEST (RFC 1002 §4.2.12, RD clear) for NAME&lt;SUFFIX&gt; from SOURCE to
    /// TARGET:137 and prints "ip:port rcode" of the first answer with its TRN_ID, or "timeout" after 3 s.</summary>
    private const string QueryScript = """
        import socket, struct, sys
        target, source, name, suffix = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4], 16)
        raw = name.upper().ljust(15)[:15].encode() + bytes([suffix])
        encoded = bytes([32]) + bytes(b for c in raw for b in (0x41 + (c >> 4), 0x41 + (c & 15))) + b"\0"
        query = struct.pack(">HHHHHH", 0x4242, 0x0000, 1, 0, 0, 0) + encoded + struct.pack(">HH", 0x20, 1)
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((source, 0))
        s.settimeout(3)
        s.sendto(query, (target, 137))
        try:
            while True:
                data, sender = s.recvfrom(1024)
                if len(data) >= 4 and data[0:2] == b"\x42\x42":
                    print(f"{sender[0]}:{sender[1]} {data[3] & 15}")
                    break
        except socket.timeout:
            print("timeout")
        """;

    [Fact]
    public async Task QueryToTheSecondAddress_IsAnsweredFromIt()
    {
        var node = Segment[1];
        var client = Segment[2];
        byte[] bytes = node.Address.GetAddressBytes();
        bytes[3] = 200;
        var second = new IPAddress(bytes);
        var added = await node.Namespace.IpAsync(["addr", "add", $"{second}/{node.PrefixLength}", "dev", node.Interface]);
        Assert.True(added.ExitCode == 0, added.ToString());

        await using var nbt = Nbt.Start(node.Namespace, "node", "--name", "TWOADDR", "--interface", node.Address.ToString());
        Assert.True(await nbt.WaitForOutputAsync("running", TimeSpan.FromSeconds(30)), nbt.Output);

        var toSecond = await SambaClient.Python(client.Namespace, QueryScript, [second.ToString(), client.Address.ToString(), "TWOADDR", "20"]);
        var toFirst = await SambaClient.Python(client.Namespace, QueryScript, [node.Address.ToString(), client.Address.ToString(), "TWOADDR", "20"]);
        using var samba = SambaClient.Create(client.Namespace, client.InterfaceSpec);
        var nmblookup = await samba.NmblookupAsync(["-U", second.ToString(), "TWOADDR#20"]);
        output.WriteLine($"to {second}: {toSecond.StdOut.Trim()}; to {node.Address}: {toFirst.StdOut.Trim()}");
        output.WriteLine(nmblookup.StdOut);

        Assert.Equal($"{second}:137 0", toSecond.StdOut.Trim());
        Assert.Equal($"{node.Address}:137 0", toFirst.StdOut.Trim());
        Assert.Contains($"{node.Address} TWOADDR<20>", nmblookup.StdOut, StringComparison.Ordinal);
    }
}
