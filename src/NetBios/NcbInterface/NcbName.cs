using NetBios.NameService;

namespace NetBios.NcbInterface;

/// <summary>A station name as the NCB layer uses it: its NCB name number on this LANA and the station's entry.</summary>
/// <param name="Number">The NCB name number (1–254).</param>
/// <param name="Local">The station's entry (state, group, permanent).</param>
internal sealed record NcbName(byte Number, LocalName Local)
{
    /// <summary>The name (scope applied).</summary>
    public NetBiosName Name => Local.Name;
}
