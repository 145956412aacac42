namespace Nbt.Cli.Configuration;

/// <summary>
/// The environment layer: <c>NBT_KEY=value</c> for a shared option (<c>NBT_INTERFACE=eth0</c>,
/// <c>NBT_NODE_TYPE=P</c>), <c>NBT_COMMAND__KEY</c> for a command's option (<c>NBT_NODE__NAME=DEMO</c>), and
/// <c>__N</c> after the key for the elements of a repeatable option (<c>NBT_WINS__0=10.0.0.1</c>,
/// <c>NBT_WINS__1=10.0.0.2</c>). Names are case-insensitive; <c>_</c> inside a key stands for the option's <c>-</c>.
/// <c>NBT_CONFIG</c> names the JSON file and <c>NBT_DAEMON</c> chooses the daemon (<see cref="DaemonChoice"/>): neither is an option.
/// </summary>
internal static class EnvironmentConfiguration
{
    /// <summary>The prefix of nbt's variables.</summary>
    public const string Prefix = "NBT_";

    /// <summary>The variable naming the configuration file.</summary>
    public const string ConfigVariable = "NBT_CONFIG";

    /// <summary>The layer, or null when no <c>NBT_*</c> option variable is set.</summary>
    public static SourcedConfigurationProvider? Load(IReadOnlyDictionary<string, string> environment)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var variables = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in environment)
        {
            if (!name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || name.Equals(ConfigVariable, StringComparison.OrdinalIgnoreCase)
                || name.Equals(NetBios.Daemon.NetBiosDaemon.EnvironmentVariable, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            string key = string.Join(':', name[Prefix.Length..].Split("__").Select(part => part.Replace('_', '-').ToLowerInvariant()));
            data[key] = value;
            variables[key] = name;
        }

        return data.Count == 0 ? null : new SourcedConfigurationProvider(data, key => $"environment variable {variables.GetValueOrDefault(key, key)}");
    }
}
