using Microsoft.Extensions.Configuration;

namespace Nbt.Cli.Configuration;

/// <summary>
/// One layer of nbt's configuration (the JSON file, or the <c>NBT_*</c> environment variables) as a
/// Microsoft.Extensions.Configuration provider that also knows where each of its keys came from, so that an error can
/// name the key and the file or variable.
/// </summary>
internal sealed class SourcedConfigurationProvider : ConfigurationProvider, IConfigurationSource
{
    private readonly Func<string, string> _describe;

    /// <param name="data">Flattened keys (<c>node:name:0</c>) and their values.</param>
    /// <param name="describe">Where a key came from, in words (<c>key 'node:name' in /etc/nbt.json</c>).</param>
    public SourcedConfigurationProvider(IDictionary<string, string?> data, Func<string, string> describe)
    {
        foreach (var (key, value) in data)
        {
            Data[key] = value;
        }

        _describe = describe;
    }

    /// <summary>Every key of this layer.</summary>
    public IEnumerable<string> Keys => Data.Keys;

    /// <summary>Where <paramref name="key"/> came from, in words.</summary>
    public string Describe(string key) => _describe(key);

    /// <summary>The values of <paramref name="key"/>: one for a scalar, the elements in order for an array; null when absent.</summary>
    public IReadOnlyList<(string Key, string? Value)>? Read(string key)
    {
        if (Data.TryGetValue(key, out string? scalar))
        {
            return [(key, scalar)];
        }

        string prefix = key + ConfigurationPath.KeyDelimiter;
        var elements = Data.Where(p => p.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(p => (p.Key, p.Value, Index: int.TryParse(p.Key.AsSpan(prefix.Length), out int i) ? i : -1))
            .Where(e => e.Index >= 0)
            .OrderBy(e => e.Index)
            .Select(e => (e.Key, e.Value))
            .ToList();
        return elements.Count > 0 ? elements : null;
    }

    /// <inheritdoc/>
    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;
}
