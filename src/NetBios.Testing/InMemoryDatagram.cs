using System.Net;
using NetBios.Transport;

namespace NetBios.Testing;

/// <summary>One datagram as it was sent on an <see cref="InMemoryNetwork"/>: what tests assert about the wire.</summary>
/// <param name="Sequence">The order of the send on the network, from 1.</param>
/// <param name="Source">The sender's address and port (a wildcard-bound sender gets the address of its host on the
/// destination's segment).</param>
/// <param name="Destination">The destination as given to <see cref="IDatagramTransport.SendToAsync(ReadOnlyMemory{byte}, IPEndPoint, CancellationToken)"/>.</param>
/// <param name="Data">A private copy of the payload.</param>
/// <param name="Timestamp">The network's <see cref="TimeProvider"/> time when it was sent.</param>
public sealed record InMemoryDatagram(long Sequence, IPEndPoint Source, IPEndPoint Destination, ReadOnlyMemory<byte> Data, DateTimeOffset Timestamp);
