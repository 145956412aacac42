using System.Net;
using NetBios.DatagramService;
using NetBios.NameService;
using NetBios.SessionService;
using NetBios.Station;
using NetBios.Wire.NameService;

namespace NetBios.Daemon;

/// <summary>
/// A station of nbtd (one LANA) used through its socket (docs/IPC.md "Station operations (0x0100-0x01FF)"): the same
/// <see cref="INetBiosStation"/> API as an embedded <see cref="NetBiosStation"/>, shared with every other local program.
/// The names and sessions this program creates are its own; the daemon releases them when the connection ends.
/// </summary>
/// <remarks>
/// <para>Failures map to what the embedded station gives: a refused operation (the daemon's access policy) throws
/// <see cref="UnauthorizedAccessException"/> with the daemon's text; a source name this program does not hold gives
/// <see cref="DatagramSendOutcome.SourceNameNotLocal"/>, a calling or listening name it does not hold
/// <see cref="InvalidOperationException"/>; a lost connection throws <see cref="NetBiosDaemonException"/>
/// (<see cref="NetBiosDaemonError.ConnectionLost"/>) and ends the sessions (<see cref="SessionState.Aborted"/>).</para>
/// <para>Thread safety: all members may be called concurrently.</para>
/// </remarks>
public sealed class NetBiosDaemonStation : INetBiosStation
{
    private readonly bool _ownsClient;
    private int _disposed;

    private NetBiosDaemonStation(NetBiosDaemonClient client, byte lana, IPAddress address, NodeType nodeType, bool ownsClient)
    {
        Client = client;
        Lana = lana;
        Address = address;
        NodeType = nodeType;
        _ownsClient = ownsClient;
    }

    /// <summary>The connection to the daemon.</summary>
    public NetBiosDaemonClient Client { get; }

    /// <summary>The daemon's LANA this station is.</summary>
    public byte Lana { get; }

    /// <inheritdoc/>
    public IPAddress Address { get; }

    /// <inheritdoc/>
    public NodeType NodeType { get; }

    /// <summary>Connects to the daemon and opens one of its stations; disposing the station closes the connection (the
    /// daemon then releases every name and session this program made).</summary>
    /// <param name="socketPath">The daemon's socket; <see langword="null"/> for <see cref="NetBiosDaemon.DefaultSocketPath"/>.</param>
    /// <param name="lana">The LANA; <see langword="null"/> for the daemon's first.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>The station.</returns>
    /// <exception cref="NetBiosDaemonException">No daemon answers, or it has no such LANA.</exception>
    /// <exception cref="NotSupportedException">The daemon does not know the station operations (protocol 1.0).</exception>
    public static async Task<NetBiosDaemonStation> ConnectAsync(string? socketPath = null, byte? lana = null, CancellationToken cancellationToken = default)
    {
        var client = await NetBiosDaemonClient.ConnectAsync(socketPath, cancellationToken).ConfigureAwait(false);
        try
        {
            byte chosen = lana ?? (client.Lanas.Count > 0 ? client.Lanas[0] : (byte)0);
            return await OpenAsync(client, chosen, ownsClient: true, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Opens a station of the daemon over a connection the caller keeps (see <see cref="NetBiosDaemonClient.GetStationAsync"/>).</summary>
    internal static async Task<NetBiosDaemonStation> OpenAsync(NetBiosDaemonClient client, byte lana, bool ownsClient, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var reply = await client.RequestAsync((ushort)StationOperation.Info, new[] { lana }, cancellationToken).ConfigureAwait(false);
        if (reply.Status == NetBiosDaemonRequestStatus.NotFound)
        {
            throw new NetBiosDaemonException(NetBiosDaemonError.NotRunning, reply.Text);
        }

        var body = Check(reply, StationOperation.Info);
        return StationNameCodec.TryReadInfo(body.Span, out var address, out var nodeType)
            ? new NetBiosDaemonStation(client, lana, address!, nodeType, ownsClient)
            : throw BadAnswer(StationOperation.Info);
    }

    /// <inheritdoc/>
    public async ValueTask<NameRegistrationResult> AddNameAsync(NetBiosName name, bool isGroup = false, CancellationToken cancellationToken = default)
    {
        var operation = isGroup ? StationOperation.AddGroupName : StationOperation.AddName;
        var body = await RequestAsync(operation, new StationBodyWriter().U8(Lana).Name(name), cancellationToken).ConfigureAwait(false);
        return StationNameCodec.TryReadRegistration(body.Span, out var result) ? result! : throw BadAnswer(operation);
    }

    /// <inheritdoc/>
    public async ValueTask<bool> DeleteNameAsync(NetBiosName name, CancellationToken cancellationToken = default)
    {
        var reply = await Client.RequestAsync((ushort)StationOperation.DeleteName, new StationBodyWriter().U8(Lana).Name(name).ToArray(), cancellationToken)
            .ConfigureAwait(false);
        if (reply.Status == NetBiosDaemonRequestStatus.NotFound)
        {
            return false; // held, but not by this program
        }

        var body = Check(reply, StationOperation.DeleteName);
        return body.Length == 1 && body.Span[0] <= 1 ? body.Span[0] == 1 : throw BadAnswer(StationOperation.DeleteName);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<LocalName>> GetNamesAsync(CancellationToken cancellationToken = default)
    {
        var body = await RequestAsync(StationOperation.ListNames, new StationBodyWriter().U8(Lana), cancellationToken).ConfigureAwait(false);
        return StationNameCodec.TryReadNames(body.Span, out var names) ? names : throw BadAnswer(StationOperation.ListNames);
    }

    /// <inheritdoc/>
    public async ValueTask<NameQueryResult> QueryAsync(NetBiosName name, CancellationToken cancellationToken = default)
    {
        var body = await RequestAsync(StationOperation.Query, new StationBodyWriter().U8(Lana).Name(name), cancellationToken).ConfigureAwait(false);
        return StationNameCodec.TryReadQuery(body.Span, out var result) ? result! : throw BadAnswer(StationOperation.Query);
    }

    /// <inheritdoc/>
    public async ValueTask<NodeStatusResult> GetNodeStatusAsync(IPAddress address, NetBiosName? name = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        var writer = new StationBodyWriter().U8(Lana).Address(address).OptionalName(name);
        var body = await RequestAsync(StationOperation.NodeStatus, writer, cancellationToken).ConfigureAwait(false);
        return StationNameCodec.TryReadNodeStatus(body.Span, out var result) ? result! : throw BadAnswer(StationOperation.NodeStatus);
    }

    /// <inheritdoc/>
    public async ValueTask<DatagramSendResult> SendDatagramAsync(NetBiosName source, NetBiosName destination, ReadOnlyMemory<byte> data,
        DatagramDestinationKind kind = DatagramDestinationKind.Auto, CancellationToken cancellationToken = default)
    {
        var writer = new StationBodyWriter(40 + data.Length).U8(Lana).Name(source).Name(destination).U8((byte)kind).Bytes(data.Span);
        return await SendAsync(StationOperation.SendDatagram, writer, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<DatagramSendResult> SendBroadcastDatagramAsync(NetBiosName source, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        var writer = new StationBodyWriter(20 + data.Length).U8(Lana).Name(source).Bytes(data.Span);
        return await SendAsync(StationOperation.SendBroadcast, writer, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<DatagramSendResult> SendAsync(StationOperation operation, StationBodyWriter writer, CancellationToken cancellationToken)
    {
        var reply = await Client.RequestAsync((ushort)operation, writer.Written, cancellationToken).ConfigureAwait(false);
        if (reply.Status == NetBiosDaemonRequestStatus.NotFound)
        {
            var type = operation == StationOperation.SendBroadcast ? Wire.Datagram.DatagramMessageType.Broadcast : Wire.Datagram.DatagramMessageType.DirectUnique;
            return new DatagramSendResult(DatagramSendOutcome.SourceNameNotLocal, type, [], 0);
        }

        var body = Check(reply, operation);
        return StationDatagramCodec.TryReadSendResult(body.Span, out var result) ? result! : throw BadAnswer(operation);
    }

    /// <inheritdoc/>
    public async ValueTask<ReceivedDatagram> ReceiveDatagramAsync(DatagramReceiveFilter filter, CancellationToken cancellationToken = default)
    {
        var writer = new StationBodyWriter().U8(Lana);
        StationDatagramCodec.WriteFilter(writer, filter);
        var body = await RequestAsync(StationOperation.ReceiveDatagram, writer, cancellationToken).ConfigureAwait(false);
        return StationDatagramCodec.TryReadReceived(body.Span, out var datagram) ? datagram! : throw BadAnswer(StationOperation.ReceiveDatagram);
    }

    /// <inheritdoc/>
    public async ValueTask<NetBiosCallResult> CallAsync(NetBiosName callingName, NetBiosName calledName, CancellationToken cancellationToken = default)
    {
        ReadOnlyMemory<byte> body;
        try
        {
            body = await RequestAsync(StationOperation.Call, new StationBodyWriter().U8(Lana).Name(callingName).Name(calledName), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new NetBiosCallResult(SessionCallOutcome.Cancelled, null, null); // as the embedded call answers
        }

        return StationSessionCodec.TryReadCall(body.Span, out var outcome, out byte? code, out var info)
            ? new NetBiosCallResult(outcome, info is null ? null : new NetBiosDaemonSession(Client, info), code)
            : throw BadAnswer(StationOperation.Call);
    }

    /// <inheritdoc/>
    public async ValueTask<NetBiosListenResult> ListenAsync(NetBiosName localName, NetBiosName? remoteName, CancellationToken cancellationToken = default)
    {
        ReadOnlyMemory<byte> body;
        try
        {
            body = await RequestAsync(StationOperation.Listen, new StationBodyWriter().U8(Lana).Name(localName).OptionalName(remoteName), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new NetBiosListenResult(SessionListenOutcome.Cancelled, null); // as the embedded listen answers
        }

        return StationSessionCodec.TryReadListen(body.Span, out var outcome, out var info)
            ? new NetBiosListenResult(outcome, info is null ? null : new NetBiosDaemonSession(Client, info))
            : throw BadAnswer(StationOperation.Listen);
    }

    /// <summary>Closes the connection when this station opened it (<see cref="ConnectAsync"/>): the daemon releases
    /// every name and session of this program. Otherwise nothing: the connection's owner closes it.</summary>
    /// <returns>When closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _ownsClient)
        {
            await Client.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask<ReadOnlyMemory<byte>> RequestAsync(StationOperation operation, StationBodyWriter writer, CancellationToken cancellationToken)
    {
        var reply = await Client.RequestAsync((ushort)operation, writer.Written, cancellationToken).ConfigureAwait(false);
        return Check(reply, operation);
    }

    /// <summary>The body of an Ok reply; the exception the embedded station's caller would see for anything else.</summary>
    internal static ReadOnlyMemory<byte> Check(DaemonReply reply, StationOperation operation) => reply.Status switch
    {
        NetBiosDaemonRequestStatus.Ok => reply.Body,
        NetBiosDaemonRequestStatus.AccessDenied => throw new UnauthorizedAccessException(reply.Text),
        NetBiosDaemonRequestStatus.NotFound => throw new InvalidOperationException(reply.Text),
        NetBiosDaemonRequestStatus.UnknownOperation => throw new NotSupportedException($"The NetBIOS daemon does not support {operation}: {reply.Text}"),
        NetBiosDaemonRequestStatus.Cancelled => throw new OperationCanceledException(reply.Text),
        NetBiosDaemonRequestStatus.Malformed => throw new NetBiosDaemonException(NetBiosDaemonError.MalformedMessage, $"The daemon found {operation} malformed: {reply.Text}"),
        _ => throw new InvalidOperationException($"{operation} failed in the NetBIOS daemon ({reply.Status}): {reply.Text}"),
    };

    internal static NetBiosDaemonException BadAnswer(StationOperation operation) =>
        new(NetBiosDaemonError.MalformedMessage, $"The NetBIOS daemon's answer to {operation} is malformed.");
}
