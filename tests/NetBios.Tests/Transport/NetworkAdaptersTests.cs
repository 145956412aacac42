using System.Net;
using NetBios.Transport;
using Xunit;

namespace NetBios.Tests.Transport;

public sealed class NetworkAdaptersTests
{
    private static readonly IReadOnlyList<NetworkAdapter> Sample =
    [
        NetworkAdapter.Create(IPAddress.Parse("192.168.1.5"), 24, "eth0", 0),
        NetworkAdapter.Create(IPAddress.Parse("10.1.2.3"), 16, "eth1", 1),
        NetworkAdapter.Create(IPAddress.Parse("10.9.0.1"), 16, "eth1", 2),
        NetworkAdapter.Create(IPAddress.Parse("127.0.0.1"), 8, "lo", 3),
    ];

    [Fact]
    public void Enumerate_DoesNotThrowAndNumbersLanasInOrder()
    {
        IReadOnlyList<NetworkAdapter> adapters = NetworkAdapters.Enumerate(includeLoopback: true);

        Assert.Equal(Enumerable.Range(0, adapters.Count), adapters.Select(a => a.LanaNumber));
        Assert.All(adapters, a => Assert.Equal(System.Net.Sockets.AddressFamily.InterNetwork, a.Address.AddressFamily));
    }

    [Fact]
    public void Enumerate_WithoutLoopback_HasNoLoopbackAddress()
    {
        Assert.DoesNotContain(NetworkAdapters.Enumerate(), a => IPAddress.IsLoopback(a.Address));
    }

    [Fact]
    public void Enumerate_Twice_SameOrder()
    {
        Assert.Equal(NetworkAdapters.Enumerate(true), NetworkAdapters.Enumerate(true));
    }

    [Theory]
    [InlineData("192.168.1.77", 24, "255.255.255.0", "192.168.1.255")]
    [InlineData("172.16.40.1", 16, "255.255.0.0", "172.16.255.255")]
    [InlineData("10.0.0.1", 8, "255.0.0.0", "10.255.255.255")]
    [InlineData("192.168.1.130", 25, "255.255.255.128", "192.168.1.255")]
    [InlineData("192.168.1.100", 30, "255.255.255.252", "192.168.1.103")]
    [InlineData("192.168.1.4", 31, "255.255.255.254", "255.255.255.255")] // RFC 3021 point-to-point: no directed broadcast
    [InlineData("192.168.1.4", 32, "255.255.255.255", "255.255.255.255")]
    [InlineData("1.2.3.4", 0, "0.0.0.0", "255.255.255.255")]
    public void Create_PrefixLength_ComputesMaskAndBroadcast(string address, int prefix, string mask, string broadcast)
    {
        NetworkAdapter adapter = NetworkAdapter.Create(IPAddress.Parse(address), prefix);

        Assert.Equal(IPAddress.Parse(mask), adapter.SubnetMask);
        Assert.Equal(IPAddress.Parse(broadcast), adapter.BroadcastAddress);
        Assert.Equal(prefix, adapter.PrefixLength);
    }

    [Fact]
    public void Create_Defaults_NameFromLana()
    {
        NetworkAdapter adapter = NetworkAdapter.Create(IPAddress.Parse("192.168.1.5"), 24, lanaNumber: 2);

        Assert.Equal("net2", adapter.InterfaceName);
        Assert.Equal(IPAddress.Parse("192.168.1.0"), adapter.NetworkAddress);
        Assert.Null(adapter.MacAddress);
        Assert.Equal("LANA 2: net2 192.168.1.5/24 bcast 192.168.1.255", adapter.ToString());
    }

    [Fact]
    public void Create_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NetworkAdapter.Create(IPAddress.Parse("10.0.0.1"), 33));
        Assert.Throws<ArgumentException>(() => NetworkAdapter.Create(IPAddress.IPv6Loopback, 64));
    }

    [Fact]
    public void IsOnSubnet_InsideAndOutside()
    {
        NetworkAdapter adapter = Sample[0];

        Assert.True(adapter.IsOnSubnet(IPAddress.Parse("192.168.1.200")));
        Assert.False(adapter.IsOnSubnet(IPAddress.Parse("192.168.2.1")));
        Assert.False(adapter.IsOnSubnet(IPAddress.IPv6Loopback));
    }

    [Fact]
    public void Select_ByCidr_ReturnsAdaptersInNetwork()
    {
        IReadOnlyList<NetworkAdapter> selected = NetworkAdapters.Select(Sample, "10.0.0.0/8");

        Assert.Equal([1, 2], selected.Select(a => a.LanaNumber));
    }

    [Fact]
    public void Select_ByName_CaseInsensitive()
    {
        Assert.Equal([1, 2], NetworkAdapters.Select(Sample, "ETH1").Select(a => a.LanaNumber));
    }

    [Fact]
    public void Select_ByAddress_ReturnsThatAdapter()
    {
        NetworkAdapter selected = Assert.Single(NetworkAdapters.Select(Sample, "192.168.1.5"));

        Assert.Equal("eth0", selected.InterfaceName);
    }

    [Theory]
    [InlineData("eth9")]
    [InlineData("192.168.1.6")]
    [InlineData("172.16.0.0/12")]
    public void Select_NoMatch_ThrowsWithAvailableAdapters(string spec)
    {
        var ex = Assert.Throws<ArgumentException>(() => NetworkAdapters.Select(Sample, spec));

        Assert.Contains($"No network adapter matches '{spec}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("eth0 192.168.1.5/24", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("nonsense/8")]
    [InlineData(" ")]
    public void Select_MalformedSpec_ThrowsArgumentException(string spec)
    {
        Assert.Throws<ArgumentException>(() => NetworkAdapters.Select(Sample, spec));
    }
}
