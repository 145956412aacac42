using System.Collections.Immutable;
using System.Net;
using NetBios.NameServer;
using NetBios.NameServer.Storage;
using Xunit;

namespace NetBios.Tests.NameServer.Stores;

/// <summary>The stored member-list layout: round trips, and malformed bytes are a false with a reason, never an exception.</summary>
public sealed class WinsRecordCodecTests
{
    [Fact]
    public void Members_RoundTrip_IPv4AndIPv6()
    {
        ImmutableArray<WinsAddress> members =
        [
            new(IPAddress.Parse("192.168.1.2"), IPAddress.Parse("10.0.0.1"), new DateTimeOffset(2026, 12, 6, 1, 2, 3, 456, TimeSpan.FromHours(2)).AddTicks(7)),
            new(IPAddress.Parse("fe80::1"), IPAddress.Parse("10.0.0.2"), DateTimeOffset.MaxValue),
        ];

        byte[] bytes = WinsRecordCodec.EncodeMembers(members);

        Assert.True(WinsRecordCodec.TryDecodeMembers(bytes, [], out var decoded, out string? error), error);
        Assert.Equal(members.AsEnumerable(), decoded.AsEnumerable());
        Assert.Empty(WinsRecordCodec.EncodeMembers([]));
        Assert.True(WinsRecordCodec.TryDecodeMembers([], null, out var none, out _));
        Assert.Empty(none);
    }

    [Theory]
    [InlineData("05")]
    [InlineData("04C0A8")]
    [InlineData("04C0A80102")]
    [InlineData("04C0A80102040A000001")]
    [InlineData("04C0A80102040A00000100000000000000")]
    [InlineData("04C0A80102030A000001FFFFFFFFFFFFFFFF")]
    [InlineData("04C0A80102040A000001FFFFFFFFFFFFFFFF")]
    public void Members_Malformed_FalseWithReason(string hex)
    {
        Assert.False(WinsRecordCodec.TryDecodeMembers(Convert.FromHexString(hex), null, out _, out string? error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Members_EveryTruncationAndByteFlip_NeverThrows()
    {
        byte[] bytes = WinsRecordCodec.EncodeMembers(
        [
            new(IPAddress.Parse("192.168.1.2"), IPAddress.Parse("10.0.0.1"), DateTimeOffset.UnixEpoch),
            new(IPAddress.Parse("192.168.1.3"), IPAddress.Parse("10.0.0.1"), DateTimeOffset.UnixEpoch),
        ]);
        for (int length = 0; length < bytes.Length; length++)
        {
            _ = WinsRecordCodec.TryDecodeMembers(bytes.AsSpan(0, length), null, out _, out _);
            for (int value = 0; value < 256; value += 17)
            {
                byte[] flipped = (byte[])bytes.Clone();
                flipped[length] = (byte)value;
                _ = WinsRecordCodec.TryDecodeMembers(flipped, null, out _, out _);
            }
        }
    }

    [Fact]
    public void Members_MoreThanTheCap_Refused()
    {
        var member = new WinsAddress(IPAddress.Parse("192.168.1.2"), IPAddress.Parse("10.0.0.1"), DateTimeOffset.UnixEpoch);
        byte[] bytes = WinsRecordCodec.EncodeMembers([.. Enumerable.Repeat(member, WinsRecordCodec.MaxMembers + 1)]);
        Assert.False(WinsRecordCodec.TryDecodeMembers(bytes, null, out _, out string? error));
        Assert.Contains("more than", error, StringComparison.Ordinal);
    }
}
