using System.Collections;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Nbtd.Configuration;

/// <summary>
/// Where nbtd's configuration comes from, in order (a later source wins): the defaults of the options classes, the
/// JSON file (<see cref="DefaultConfigPath"/> when it exists; <c>--config FILE</c> or <c>NBTD_CONFIG</c> names another,
/// which must exist), the <c>NBTD_</c> environment variables (<c>NBTD_Stations__0__Interface=eth0</c>) and the command
/// line (<c>--Stations:0:NodeType=H</c> or <c>--Stations:0:NodeType H</c>). It also tells for any key which source
/// gave its value, so that an error names the file, the variable or the command line.
/// </summary>
internal sealed class NbtdConfigurationSources
{
    /// <summary>The configuration file read when neither <c>--config</c> nor <c>NBTD_CONFIG</c> names one (if it exists).</summary>
    public const string DefaultConfigPath = "/etc/nbtd/nbtd.json";

    /// <summary>The prefix of nbtd's environment variables.</summary>
    public const string EnvironmentPrefix = "NBTD_";

    /// <summary>The environment variable that names the configuration file.</summary>
    public const string ConfigVariable = "NBTD_CONFIG";

    private readonly List<string> _origins;

    private NbtdConfigurationSources(IConfigurationRoot root, string? configFile, List<string> origins)
    {
        Root = root;
        ConfigFile = configFile;
        _origins = origins;
    }

    /// <summary>The merged configuration.</summary>
    public IConfigurationRoot Root { get; }

    /// <summary>The JSON file read, or null.</summary>
    public string? ConfigFile { get; }

    /// <summary>Reads every source.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="environment">The environment variables (those starting with <see cref="EnvironmentPrefix"/> are used).</param>
    /// <param name="defaultConfigPath">The file read when none is named (<see cref="DefaultConfigPath"/>; tests change it).</param>
    /// <returns>The sources.</returns>
    /// <exception cref="NbtdConfigurationException">A bad argument, a missing named file or a file that is not valid JSON.</exception>
    public static NbtdConfigurationSources Build(IReadOnlyList<string> args, IDictionary environment, string defaultConfigPath = DefaultConfigPath)
    {
        var (commandLine, configArgument) = ParseArguments(args);
        var variables = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        string? configVariable = null;
        foreach (DictionaryEntry entry in environment)
        {
            if (entry.Key is string name && name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
            {
                if (name.Equals(ConfigVariable, StringComparison.OrdinalIgnoreCase))
                {
                    configVariable = entry.Value as string;
                }
                else if (name.Length > EnvironmentPrefix.Length)
                {
                    variables[name[EnvironmentPrefix.Length..].Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal)] = entry.Value as string;
                }
            }
        }

        string? configFile = configArgument ?? configVariable;
        string origin = configArgument is not null ? "--config" : ConfigVariable;
        if (configFile is not null)
        {
            if (configFile.Length == 0 || configFile.AsSpan().ContainsAny("\0\n\r"))
            {
                throw new NbtdConfigurationException($"{origin}: not a file path");
            }

            configFile = Path.GetFullPath(configFile);
            if (!File.Exists(configFile))
            {
                throw new NbtdConfigurationException($"{origin} {configFile}: no such file");
            }
        }
        else if (File.Exists(defaultConfigPath))
        {
            configFile = Path.GetFullPath(defaultConfigPath);
        }

        var builder = new ConfigurationBuilder();
        var origins = new List<string>();
        if (configFile is not null)
        {
            builder.AddJsonFile(configFile, optional: false, reloadOnChange: false);
            origins.Add("in " + configFile);
        }

        builder.AddInMemoryCollection(variables);
        origins.Add("environment");
        builder.AddInMemoryCollection(commandLine);
        origins.Add("command line");
        try
        {
            return new NbtdConfigurationSources(builder.Build(), configFile, origins);
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or JsonException or IOException or UnauthorizedAccessException)
        {
            throw new NbtdConfigurationException($"{configFile}: cannot read the configuration: {Innermost(ex)}", ex);
        }
    }

    /// <summary>Where the value of <paramref name="key"/> (or of the first value under it) came from, as text for an
    /// error message: "in /etc/nbtd/nbtd.json", "from NBTD_Stations__0__Lana", "from the command line (--Stations:0:Lana)",
    /// or empty when no source has it.</summary>
    /// <param name="key">The configuration path.</param>
    /// <returns>The origin, with a leading space and parentheses, or empty.</returns>
    public string Origin(string key)
    {
        string? leaf = FirstLeaf(Root.GetSection(key));
        if (leaf is null)
        {
            return string.Empty;
        }

        var providers = Root.Providers.ToList();
        for (int i = providers.Count - 1; i >= 0; i--)
        {
            if (providers[i].TryGet(leaf, out _))
            {
                return _origins[i] switch
                {
                    "environment" => $" (from {EnvironmentPrefix}{leaf.Replace(ConfigurationPath.KeyDelimiter, "__", StringComparison.Ordinal)})",
                    "command line" => $" (from the command line: --{leaf})",
                    var file => $" ({file})",
                };
            }
        }

        return string.Empty;
    }

    private static string? FirstLeaf(IConfigurationSection section)
    {
        if (section.Value is not null)
        {
            return section.Path;
        }

        // Configuration sections nest at most a few levels; the walk is bounded by the (finite) configuration.
        foreach (var child in section.GetChildren())
        {
            if (FirstLeaf(child) is { } leaf)
            {
                return leaf;
            }
        }

        return null;
    }

    /// <summary>Splits the command line into configuration keys and the <c>--config</c> file.</summary>
    private static (Dictionary<string, string?> Values, string? ConfigFile) ParseArguments(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        string? configFile = null;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                throw new NbtdConfigurationException($"unexpected argument '{arg}': give --config FILE or --Key=Value (see nbtd --help)");
            }

            string key;
            string? value;
            int equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                key = arg[2..equals];
                value = arg[(equals + 1)..];
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                key = arg[2..];
                value = args[++i];
            }
            else
            {
                throw new NbtdConfigurationException($"{arg}: no value (give {arg}=VALUE)");
            }

            key = key.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
            if (key.Length == 0)
            {
                throw new NbtdConfigurationException($"unexpected argument '{arg}': give --Key=Value");
            }

            if (key.Equals("config", StringComparison.OrdinalIgnoreCase))
            {
                configFile = value;
            }
            else
            {
                values[key] = value;
            }
        }

        return (values, configFile);
    }

    private static string Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex.Message.ReplaceLineEndings(" ").Trim();
    }
}
