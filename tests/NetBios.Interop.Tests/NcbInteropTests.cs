using NetBios.Interop.Tests.Harness;
using Xunit;

namespace NetBios.Interop.Tests;

/// <summary>Issue 7: the seed's chat written only with NCB calls (<c>examples/NcbChat</c>) between network namespaces.</summary>
[Trait("Category", "Interop")]
[Collection(nameof(NameServiceInteropTests))]
public sealed class NcbInteropTests(ITestOutputHelper output)
    : SegmentTestBase(2, InteropRequirements.Root, InteropRequirements.Ip)
{
    [Fact]
    public async Task NcbChat_TwoNamespaces_LinesCrossBothWays()
    {
        string[] nicks = ["DOSUSER", "WINUSER"];
        var chats = nicks.Select((nick, i) => Nbt.StartProgram(Segment[i + 1].Namespace, Path.Combine("examples", "NcbChat"),
            nick, "NCBCHAT", Segment[i + 1].InterfaceSpec)).ToList();
        try
        {
            foreach (var chat in chats)
            {
                Assert.True(await chat.WaitForOutputAsync("joined NCBCHAT", TimeSpan.FromSeconds(30)), chat.Output);
            }

            await chats[0].WriteLineAsync("hello over NCB DATAGRAM SEND");
            Assert.True(await chats[1].WaitForOutputAsync("<DOSUSER> hello over NCB DATAGRAM SEND", TimeSpan.FromSeconds(15)), chats[1].Output);
            await chats[1].WriteLineAsync("received in a POST routine, re-armed");
            Assert.True(await chats[0].WaitForOutputAsync("<WINUSER> received in a POST routine, re-armed", TimeSpan.FromSeconds(15)), chats[0].Output);
            await chats[0].WriteLineAsync("second line, same receive NCB");
            Assert.True(await chats[1].WaitForOutputAsync("<DOSUSER> second line, same receive NCB", TimeSpan.FromSeconds(15)), chats[1].Output);

            foreach (var chat in chats)
            {
                chat.CloseInput();
            }

            for (int i = 0; i < chats.Count; i++)
            {
                Assert.True(await chats[i].WaitForOutputAsync("leaving NCBCHAT", TimeSpan.FromSeconds(15)), chats[i].Output);
                output.WriteLine($"--- {nicks[i]} on {Segment[i + 1].Address}");
                output.WriteLine(chats[i].Output);
                Assert.DoesNotContain($"<{nicks[i]}>", chats[i].Output, StringComparison.Ordinal);
            }
        }
        finally
        {
            foreach (var chat in chats)
            {
                await chat.DisposeAsync();
            }
        }
    }
}
