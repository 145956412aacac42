using System.Text.Json;
using NetBios;

namespace Nbt.Cli;

/// <summary>
/// <c>--config FILE</c> (or <c>NBT_CONFIG</c>): options from a JSON file, for settings a site keeps (interface, node type,
/// WINS servers, scope, LMHOSTS, ports, the node's names). Top-level keys are options every command takes; a section
/// named after a command (<c>"node": { "name": ["DEMO"], "group": ["WORKGROUP"] }</c>) holds that command's options.
/// Keys are option names without the dashes; values are strings, numbers, booleans or arrays of them. An option given
/// on the command line wins over the file.
/// </summary>
internal static class ConfigFile
{
    private const string Option = "--config";
    private const string EnvironmentVariable = "NBT_CONFIG";

    /// <summary>Largest config file read: 1 MiB (a config is a few hundred bytes); more, or an endless file, is a usage error.</summary>
    public const int MaxLength = BoundedFile.MaxTextFileLength;

    /// <summary>The arguments with the file's options inserted after the command name (the file's path removed).</summary>
    /// <exception cref="CliException">The file cannot be read or is not a JSON object of options.</exception>
    public static string[] Expand(string[] args)
    {
        int at = Array.IndexOf(args, Option);
        string? path = at >= 0 && at + 1 < args.Length ? args[at + 1] : Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (at >= 0)
        {
            if (at + 1 >= args.Length)
            {
                throw new CliException("--config needs a file", ExitCodes.Usage);
            }

            args = [.. args[..at], .. args[(at + 2)..]];
        }

        if (string.IsNullOrEmpty(path) || args.Length == 0 || args[0].StartsWith('-'))
        {
            return args;
        }

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(BoundedFile.ReadAllBytes(path, MaxLength), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            root = document.RootElement.Clone();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new CliException($"--config {path}: {ex.Message.Split(Environment.NewLine)[0]}", ExitCodes.Usage);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new CliException($"--config {path}: the file must hold a JSON object of options", ExitCodes.Usage);
        }

        string command = args[0];
        var extra = new List<string>();
        foreach (var property in root.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Object)
            {
                if (property.Name == command)
                {
                    foreach (var inner in property.Value.EnumerateObject())
                    {
                        Add(inner, args, extra, path);
                    }
                }

                continue;
            }

            Add(property, args, extra, path);
        }

        return [command, .. extra, .. args[1..]];
    }

    private static void Add(JsonProperty property, string[] args, List<string> extra, string path)
    {
        string option = "--" + property.Name;
        if (args.Contains(option))
        {
            return; // the command line wins
        }

        var values = property.Value.ValueKind == JsonValueKind.Array ? property.Value.EnumerateArray().ToList() : [property.Value];
        foreach (var value in values)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.True:
                    extra.Add(option);
                    break;
                case JsonValueKind.False:
                    break;
                case JsonValueKind.String or JsonValueKind.Number:
                    extra.Add(option);
                    extra.Add(value.ToString());
                    break;
                default:
                    throw new CliException($"--config {path}: \"{property.Name}\" must be a string, number, boolean or an array of them", ExitCodes.Usage);
            }
        }
    }
}
