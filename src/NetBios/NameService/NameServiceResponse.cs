using System.Net;
using NetBios.Wire.NameService;

namespace NetBios.NameService;

/// <summary>A response received in an exchange, and who sent it.</summary>
/// <param name="Packet">The response.</param>
/// <param name="Source">Its sender.</param>
public sealed record NameServiceResponse(NameServicePacket Packet, IPEndPoint Source);
