using Nbt.Cli;
using Xunit;

namespace NetBios.Tests.Cli;

/// <summary>
/// Issue 19, nmblookup display: a name column as <c>nmblookup -A</c> prints it (Samba 4.17: the name converted from
/// CP850 to UTF-8, then every byte that is not printable ASCII shown as '.'); NameDisplayInteropTests checks the same
/// against the real nmblookup.
/// </summary>
public sealed class NameDisplayTests
{
    [Theory]
    [InlineData(@"\x01\x02__MSBROWSE__\x02#01", "..__MSBROWSE__.")]
    [InlineData(@"CAF\xC9", "CAF...")]   // 0xC9 = U+2554 (box drawing): 3 UTF-8 bytes
    [InlineData(@"CAF\x90", "CAF..")]    // 0x90 = U+00C9 (É): 2 UTF-8 bytes
    [InlineData(@"A\x7FB", "A.B")]
    [InlineData("PLAIN", "PLAIN")]
    public void Text_ShowsTheNameAsNmblookup(string input, string expected)
    {
        Assert.Equal(expected, NameDisplay.Text(NetBiosName.Parse(input, 0x00)));
    }
}
