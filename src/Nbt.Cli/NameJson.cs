namespace Nbt.Cli;

/// <summary>A NetBIOS name in JSON output (docs/CLI.md, "Names in JSON").</summary>
/// <param name="Display">NAME&lt;XX&gt; with non-printable bytes as '.', and .scope.</param>
/// <param name="Text">The 15 name bytes, padding removed, non-printable bytes as '.'.</param>
/// <param name="Suffix">The 16th byte as two hex digits ("20").</param>
/// <param name="Scope">The scope ID, or null.</param>
/// <param name="Bytes">The 16 bytes exactly, in hex.</param>
internal sealed record NameJson(
    [property: System.Text.Json.Serialization.JsonPropertyName("display")] string Display,
    [property: System.Text.Json.Serialization.JsonPropertyName("name")] string Text,
    [property: System.Text.Json.Serialization.JsonPropertyName("suffix")] string Suffix,
    [property: System.Text.Json.Serialization.JsonPropertyName("scope")] string? Scope,
    [property: System.Text.Json.Serialization.JsonPropertyName("bytes")] string Bytes);
