using NetBios.Station;
using Nbtd.Configuration;

namespace Nbtd.Hosting;

/// <summary>A station nbtd bound, with the settings it was bound from (the names it registers at start).</summary>
/// <param name="Settings">The configuration entry.</param>
/// <param name="Station">The bound, started station.</param>
internal sealed record BoundStation(StationSettings Settings, NetBiosStation Station);
