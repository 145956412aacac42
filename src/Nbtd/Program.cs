using System.Collections;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using NetBios.Diagnostics;
using NetBios.Transport;
using Nbtd.Configuration;
using Nbtd.Hosting;

namespace Nbtd;

/// <summary>
/// <c>nbtd [--config FILE] [--Key=Value ...]</c>: the NetBIOS station service of a machine. It reads and checks its
/// configuration (a bad value or unknown key: one line on stderr, exit 2), binds one station per configured LANA and
/// the WINS server if configured (port in use, no such interface: one line, exit 3), then runs the generic host —
/// registering the names, telling systemd READY, serving — until SIGTERM or Ctrl-C, when it releases the names and
/// exits 0. See docs/NBTD.md.
/// </summary>
public static class Program
{
    private const string Usage = """
        nbtd: the NetBIOS over TCP/IP station service (RFC 1001/1002): one station per configured LANA, optionally a WINS server.

        usage: nbtd [--config FILE] [--Key=Value ...]

          --config FILE    JSON configuration (default /etc/nbtd/nbtd.json when it exists; also NBTD_CONFIG)
          --Key=Value      any configuration key, e.g. --Stations:0:Interface=eth0 --WinsServer:Enabled=true
                           (environment: NBTD_Stations__0__Interface=eth0)

        With no configuration: one B-node station, LANA 0, on the first non-loopback IPv4 interface, registering this
        machine's name. Keys, defaults, exit codes and metrics: docs/NBTD.md. Exit codes: 0 stopped, 2 bad
        configuration, 3 port in use / no such interface / database unusable.
        """;

    /// <summary>The entry point.</summary>
    /// <param name="args">The command line.</param>
    /// <returns>The exit code.</returns>
    public static Task<int> Main(string[] args) => RunAsync(args, Environment.GetEnvironmentVariables(), Console.Out, Console.Error);

    /// <summary>Runs nbtd until it is stopped.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="environment">The environment variables.</param>
    /// <param name="stdout">Where --help goes.</param>
    /// <param name="stderr">Where the one-line start errors go.</param>
    /// <param name="defaultConfigPath">The file read when none is named (tests change it).</param>
    /// <returns>The exit code (<see cref="NbtdExitCodes"/>).</returns>
    internal static async Task<int> RunAsync(string[] args, IDictionary environment, TextWriter stdout, TextWriter stderr,
        string defaultConfigPath = NbtdConfigurationSources.DefaultConfigPath)
    {
        if (args is ["--help" or "-h" or "-?"])
        {
            await stdout.WriteLineAsync(Usage);
            return NbtdExitCodes.Ok;
        }

        NbtdConfigurationSources sources;
        NbtdOptions options;
        try
        {
            sources = NbtdConfigurationSources.Build(args, environment, defaultConfigPath);
            options = NbtdOptionsReader.Read(sources);
        }
        catch (NbtdConfigurationException ex)
        {
            await stderr.WriteLineAsync("nbtd: " + ex.Message);
            return NbtdExitCodes.Usage;
        }

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = "nbtd",
            ContentRootPath = AppContext.BaseDirectory,
            DisableDefaults = true,
        });
        builder.Configuration.AddConfiguration(sources.Root);
        builder.Logging.AddConfiguration(sources.Root.GetSection("Logging"));
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });

        // Under systemd: Type=notify (READY once every hosted service has started, STOPPING) and journal-style log
        // lines; as a Windows service: the service control manager's lifetime. Elsewhere both are no-ops.
        builder.Services.AddSystemd();
        builder.Services.AddWindowsService();
        builder.Services.AddMetrics();
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ShutdownTimeout + TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<StationRegistry>();
        builder.Services.AddSingleton(sp => new NetBiosMetrics(sp.GetService<IMeterFactory>()));
        builder.Services.AddSingleton<StationBinder>();
        builder.Services.AddHostedService<StationService>();
        builder.Services.AddSingleton<LocalIpcService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LocalIpcService>());

        var host = builder.Build();
        try
        {
            // The stations are bound before any hosted service starts: the registry is full when the IPC server
            // starts, and a port in use is a one-line error with its own exit code rather than a host start failure.
            try
            {
                await host.Services.GetRequiredService<StationBinder>().BindAllAsync(SocketNetworkHost.Default, CancellationToken.None);
                await host.Services.GetRequiredService<LocalIpcService>().StartAsync(host.Services.GetRequiredService<StationRegistry>(), CancellationToken.None);
            }
            catch (NbtdStartupException ex)
            {
                await stderr.WriteLineAsync("nbtd: " + ex.Message);
                return NbtdExitCodes.Network;
            }

            try
            {
                await host.RunAsync();
            }
            catch (OperationCanceledException)
            {
                // SIGTERM while the names were being registered: the host stopped before it had started; the stations
                // are released when the host is disposed below.
            }

            return NbtdExitCodes.Ok;
        }
        finally
        {
            if (host is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
            else
            {
                host.Dispose();
            }
        }
    }
}
