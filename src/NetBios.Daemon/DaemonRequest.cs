namespace NetBios.Daemon;

/// <summary>One REQUEST of protocol 1.1 (docs/IPC.md "Requests") as an operation handler sees it.</summary>
/// <param name="Client">The connection it came on: its credentials, permissions, NCB interface and per-client state.</param>
/// <param name="Id">The request id (the RESPONSE carries it back).</param>
/// <param name="Operation">The operation code.</param>
/// <param name="Body">The request body after the operation code (a copy: it outlives the read buffer).</param>
internal sealed record DaemonRequest(DaemonClientConnection Client, uint Id, ushort Operation, ReadOnlyMemory<byte> Body);
