using System.Globalization;
using System.Text.Json;
using NetBios;

namespace Nbt.Cli.Configuration;

/// <summary>
/// The <c>--config FILE</c> layer: a JSON object of options, flattened into configuration keys. Top-level keys are
/// shared options (<c>"interface": "eth0"</c>); an object named after a command holds that command's options
/// (<c>"node": { "name": ["DEMO"] }</c>). Values are strings, numbers, booleans or arrays of them. Comments and
/// trailing commas are allowed.
/// </summary>
internal static class JsonConfigurationFile
{
    /// <summary>Largest config file read: 1 MiB (a config is a few hundred bytes); more, or an endless file, is a usage error.</summary>
    public const int MaxLength = BoundedFile.MaxTextFileLength;

    /// <summary>Reads and flattens the file.</summary>
    /// <exception cref="CliException">The file cannot be read, is not JSON, or holds other values than the documented ones (exit 2).</exception>
    public static SourcedConfigurationProvider Load(string path)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(BoundedFile.ReadAllBytes(path, MaxLength), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 8 });
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

        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in root.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var inner in property.Value.EnumerateObject())
                {
                    AddValue(data, property.Name + ":" + inner.Name, inner.Value, path);
                }
            }
            else
            {
                AddValue(data, property.Name, property.Value, path);
            }
        }

        return new SourcedConfigurationProvider(data, key => $"--config {path}: key '{key.Split(':') switch
        {
            [var a, var b, ..] when !int.TryParse(b, out _) => a + "." + b,
            var parts => parts[0],
        }}'");
    }

    private static void AddValue(Dictionary<string, string?> data, string key, JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (var element in value.EnumerateArray())
            {
                data[key + ":" + i.ToString(CultureInfo.InvariantCulture)] = Scalar(element, key, path);
                i++;
            }

            return;
        }

        data[key] = Scalar(value, key, path);
    }

    private static string Scalar(JsonElement value, string key, string path) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => throw new CliException($"--config {path}: key '{key.Replace(':', '.')}' must be a string, number, boolean or an array of them", ExitCodes.Usage),
    };
}
