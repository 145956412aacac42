using NetBios.NcbInterface;
using Xunit;

namespace NetBios.Daemon.Tests;

/// <summary>The server's options and the daemon-or-embedded choice (NBT_DAEMON).</summary>
public sealed class DaemonSettingsTests
{
    [Theory]
    [InlineData(nameof(NetBiosDaemonServerOptions.SocketPath))]
    [InlineData(nameof(NetBiosDaemonServerOptions.SocketMode))]
    [InlineData(nameof(NetBiosDaemonServerOptions.SocketGroup))]
    [InlineData(nameof(NetBiosDaemonServerOptions.MaxClients))]
    [InlineData(nameof(NetBiosDaemonServerOptions.MaxPendingNcbsPerClient))]
    [InlineData(nameof(NetBiosDaemonServerOptions.MaxMessageLength))]
    [InlineData(nameof(NetBiosDaemonServerOptions.HandshakeTimeout))]
    public void AnInvalidOption_IsReportedByItsName(string property)
    {
        var options = new NetBiosDaemonServerOptions();
        options.Validate();
        switch (property)
        {
            case nameof(options.SocketPath): options.SocketPath = "relative/nbtd.sock"; break;
            case nameof(options.SocketMode): options.SocketMode = "0968"; break;
            case nameof(options.SocketGroup): options.SocketGroup = " "; break;
            case nameof(options.MaxClients): options.MaxClients = 0; break;
            case nameof(options.MaxPendingNcbsPerClient): options.MaxPendingNcbsPerClient = -1; break;
            case nameof(options.MaxMessageLength): options.MaxMessageLength = 1000; break;
            case nameof(options.HandshakeTimeout): options.HandshakeTimeout = TimeSpan.Zero; break;
        }

        Assert.Equal(property, Assert.Throws<ArgumentException>(options.Validate).ParamName);
    }

    [Theory]
    [InlineData(null, NetBiosDaemon.DefaultSocketPath, false)]
    [InlineData("", NetBiosDaemon.DefaultSocketPath, false)]
    [InlineData("auto", NetBiosDaemon.DefaultSocketPath, false)]
    [InlineData("off", null, false)]
    [InlineData("embedded", null, false)]
    [InlineData("required", NetBiosDaemon.DefaultSocketPath, true)]
    [InlineData("/tmp/x/nbtd.sock", "/tmp/x/nbtd.sock", true)]
    public void Settings_AreRead(string? setting, string? path, bool required)
    {
        Assert.True(NetBiosDaemon.TryParseSetting(setting, out string? socketPath, out bool isRequired));
        Assert.Equal(path, socketPath);
        Assert.Equal(required, isRequired);
    }

    [Fact]
    public void AnUnknownSetting_IsRefused() => Assert.False(NetBiosDaemon.TryParseSetting("sometimes", out _, out _));

    [Fact]
    public async Task ConnectOrEmbed_TakesTheDaemonWhenAsked_EmbeddedWhenOff_AndFailsClearlyWhenARequiredOneIsMissing()
    {
        await using var bed = await DaemonTestBed.StartAsync();
        var embedded = new NetBiosInterface(new Dictionary<byte, NetBios.Station.NetBiosStation> { [0] = bed.Observer });
        ValueTask<INetBios> Embed(CancellationToken _) => ValueTask.FromResult<INetBios>(embedded);

        Assert.Same(embedded, await NetBiosDaemon.ConnectOrEmbedAsync(Embed, "off", TestContext.Current.CancellationToken));
        var daemon = await NetBiosDaemon.ConnectOrEmbedAsync(Embed, bed.SocketPath, TestContext.Current.CancellationToken);
        await using (var client = Assert.IsType<NetBiosDaemonClient>(daemon))
        {
            Assert.True(client.IsConnected);
        }

        var missing = await Assert.ThrowsAsync<NetBiosDaemonException>(() =>
            NetBiosDaemon.ConnectOrEmbedAsync(Embed, Path.Combine(bed.Directory.FullName, "none.sock"), TestContext.Current.CancellationToken));
        Assert.Equal(NetBiosDaemonError.NotRunning, missing.Error);
    }
}
