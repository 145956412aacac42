using System.Buffers;
using NetBios.DatagramService;
using NetBios.NameService;
using NetBios.SessionService;
using NetBios.Station;

namespace NetBios.Daemon;

/// <summary>
/// Operations 0x0100-0x01FF of protocol 1.1 (docs/IPC.md "Station operations (0x0100-0x01FF)"): the
/// <see cref="INetBiosStation"/> API of a daemon's station for one client. What the client creates — names, sessions —
/// is kept in its <see cref="StationClientState"/> and released when it disconnects; a name another client added is
/// that client's; a name the station holds that no client added may be used by everyone.
/// </summary>
internal static class StationOperations
{
    /// <summary>Carries out one request of this range.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">REQUEST CANCEL, or the connection ending.</param>
    /// <returns>The reply to send.</returns>
    public static ValueTask<DaemonReply> HandleAsync(DaemonRequest request, CancellationToken cancellationToken) => (StationOperation)request.Operation switch
    {
        StationOperation.Info => Sync(Info(request)),
        StationOperation.AddName => AddNameAsync(request, isGroup: false, cancellationToken),
        StationOperation.AddGroupName => AddNameAsync(request, isGroup: true, cancellationToken),
        StationOperation.DeleteName => DeleteNameAsync(request, cancellationToken),
        StationOperation.ListNames => Sync(ListNames(request)),
        StationOperation.Query => QueryAsync(request, cancellationToken),
        StationOperation.NodeStatus => NodeStatusAsync(request, cancellationToken),
        StationOperation.SendDatagram => SendDatagramAsync(request, cancellationToken),
        StationOperation.SendBroadcast => SendBroadcastAsync(request, cancellationToken),
        StationOperation.ReceiveDatagram => ReceiveDatagramAsync(request, cancellationToken),
        StationOperation.Call => CallAsync(request, cancellationToken),
        StationOperation.Listen => ListenAsync(request, cancellationToken),
        StationOperation.SessionSend => SessionSendAsync(request, cancellationToken),
        StationOperation.SessionReceive => SessionReceiveAsync(request, cancellationToken),
        StationOperation.HangUp => HangUpAsync(request),
        StationOperation.SessionStatus => Sync(SessionStatus(request)),
        StationOperation.SessionAbort => Sync(SessionAbort(request)),
        StationOperation.SessionWait => SessionWaitAsync(request, cancellationToken),
        _ => Sync(DaemonOperations.Unknown(request)),
    };

    private static ValueTask<DaemonReply> Sync(DaemonReply reply) => ValueTask.FromResult(reply);

    private static DaemonReply Malformed(DaemonRequest request) =>
        DaemonReply.Fail(NetBiosDaemonRequestStatus.Malformed, $"the body of operation 0x{request.Operation:X4} is malformed");

    private static DaemonReply NoLana(byte lana) => DaemonReply.Fail(NetBiosDaemonRequestStatus.NotFound, $"the daemon has no LANA {lana}");

    private static DaemonReply NotHeld(NetBiosName name) => DaemonReply.Fail(NetBiosDaemonRequestStatus.NotFound, $"this client does not hold {name}");

    private static DaemonReply Denied(string what, NetBiosDaemonPermissions rule) =>
        DaemonReply.Fail(NetBiosDaemonRequestStatus.AccessDenied, $"the daemon's access policy does not let this client {what} ({rule})");

    private static DaemonReply NoSession(uint handle) => DaemonReply.Fail(NetBiosDaemonRequestStatus.NotFound, $"this client has no session {handle}");

    private static StationClientState State(DaemonRequest request) =>
        request.Client.GetState(static c => new StationClientState(c));

    private static NetBiosStation? Station(DaemonRequest request, byte lana) =>
        request.Client.Server.Stations.TryGetValue(lana, out var station) ? station : null;

    // ---- station and names ----

    private static DaemonReply Info(DaemonRequest request)
    {
        var reader = new StationBodyReader(request.Body.Span);
        byte lana = reader.U8();
        if (!reader.Complete)
        {
            return Malformed(request);
        }

        return Station(request, lana) is { } station
            ? DaemonReply.Ok(StationNameCodec.WriteInfo(station.Address, station.NodeType))
            : NoLana(lana);
    }

    private static async ValueTask<DaemonReply> AddNameAsync(DaemonRequest request, bool isGroup, CancellationToken cancellationToken)
    {
        var (lana, name, ok) = ReadLanaAndName(request);
        if (!ok)
        {
            return Malformed(request);
        }

        if ((request.Client.Permissions & NetBiosDaemonPermissions.AddNames) == 0)
        {
            return Denied("add names", NetBiosDaemonPermissions.AddNames);
        }

        if (Station(request, lana) is not { } station)
        {
            return NoLana(lana);
        }

        var state = State(request);
        var scoped = station.Names.ApplyScope(name);
        if (!state.Claims.TryClaim(lana, scoped, state))
        {
            // Another client (or this one) added it: the station's table has it, as the embedded station answers.
            return DaemonReply.Ok(StationNameCodec.WriteRegistration(new NameRegistrationResult(scoped, RegistrationOutcome.Duplicate, null, null, TimeSpan.Zero, null)));
        }

        NameRegistrationResult result;
        try
        {
            result = await station.AddNameAsync(scoped, isGroup, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            state.Claims.Release(lana, scoped, state);
            throw;
        }

        if (!result.Succeeded)
        {
            state.Claims.Release(lana, scoped, state);
        }

        return DaemonReply.Ok(StationNameCodec.WriteRegistration(result));
    }

    private static async ValueTask<DaemonReply> DeleteNameAsync(DaemonRequest request, CancellationToken cancellationToken)
    {
        var (lana, name, ok) = ReadLanaAndName(request);
        if (!ok)
        {
            return Malformed(request);
        }

        if (Station(request, lana) is not { } station)
        {
            return NoLana(lana);
        }

        var state = State(request);
        var scoped = station.Names.ApplyScope(name);
        if (state.Claims.OwnerOf(lana, scoped) != state)
        {
            return station.GetName(scoped) is null ? DaemonReply.Ok(new byte[] { 0 }) : NotHeld(scoped);
        }

        try
        {
            bool deleted = await station.DeleteNameAsync(scoped, cancellationToken).ConfigureAwait(false);
            return DaemonReply.Ok(new[] { deleted ? (byte)1 : (byte)0 });
        }
        finally
        {
            // The name leaves the table even when waiting for the name server's answer is cancelled.
            state.Claims.Release(lana, scoped, state);
        }
    }

    private static DaemonReply ListNames(DaemonRequest request)
    {
        var reader = new StationBodyReader(request.Body.Span);
        byte lana = reader.U8();
        if (!reader.Complete)
        {
            return Malformed(request);
        }

        if (Station(request, lana) is not { } station)
        {
            return NoLana(lana);
        }

        var state = State(request);
        var names = station.GetNames()
            .Where(n => state.Claims.OwnerOf(lana, n.Name) is not { } owner ? n.State == LocalNameState.Registered : owner == state)
            .ToList();
        return DaemonReply.Ok(StationNameCodec.WriteNames(names));
    }

    private static async ValueTask<DaemonReply> QueryAsync(DaemonRequest request, CancellationToken cancellationToken)
    {
        var (lana, name, ok) = ReadLanaAndName(request);
        if (!ok)
        {
            return Malformed(request);
        }

        if (Station(request, lana) is not { } station)
        {
            return NoLana(lana);
        }

        var result = await station.QueryAsync(name, null, cancellationToken).ConfigureAwait(false);
        return DaemonReply.Ok(StationNameCodec.WriteQuery(result));
    }

    private static async ValueTask<DaemonReply> NodeStatusAsync(DaemonRequest request, CancellationToken cancellationToken)
    {
        var (lana, address, name, ok) = ReadNodeStatus(request.Body.Span);
        if (!ok || address is null)
        {
            return Malformed(request);
        }

        if (Station(request, lana) is not { } station)
        {
            return NoLana(lana);
        }

        var result = await station.GetNodeStatusAsync(address, name, cancellationToken).ConfigureAwait(false);
        return DaemonReply.Ok(StationNameCodec.WriteNodeStatus(result));
    }

    private static (byte Lana, System.Net.IPAddress? Address, NetBiosName? Name, bool Ok) ReadNodeStatus(ReadOnlySpan<byte> body)
    {
        var reader = new StationBodyReader(body);
        byte lana = reader.U8();
        var address = reader.Address();
        var name = reader.OptionalName();
        return (lana, address, name, reader.Complete);
    }

    private static (byte Lana, NetBiosName Name, bool Ok) ReadLanaAndName(DaemonRequest request)
    {
        var reader = new StationBodyReader(request.Body.Span);
        byte lana = reader.U8();
        var name = reader.Name();
        return (lana, name, reader.Complete);
    }

    // ---- datagrams ----

    private static async ValueTask<DaemonReply> SendDatagramAsync(DaemonRequest request, CancellationToken cancellationToken)
    {
        var reader = new StationBodyReader(request.Body.Span);
        byte lana = reader.U8();
        var source = reader.Name();
        var destination = reader.Name();
        var kind = reader.Enum<DatagramDestinationKind>();
        int dataStart = request.Body.Length - reader.Remaining;
        reader.Rest();
        if (!reader.Complete)
        {
            return Malformed(request);
        }

        if (Station(request, lana) is not { } station)
        {
            return NoLana(lana);
        }

        var state = State(request);
        if (!state.Claims.MayUse(state, lana, station, source))
        {
            return NotHeld(source);
        }

        var result = await station.SendDatagramAsync(source, destination, request.Body[dataStart..], kind, cancellationToken).ConfigureAwait(false);
        return DaemonReply.Ok(StationDatagramCodec.WriteSendResult(result));
    }

    private static async ValueTask<DaemonReply> SendBroadcastAsync(DaemonRequest request, CancellationToken cancellationToken)
    {
        var reader = new StationBodyReader(request.Body.Span);
        byte lana = reader.U8();
        var source = reader.Name();
        int dataStart = request.Body.Length - reader.Remaining;
        reader.Rest();
        if (!reader.Complete)
        {
            return Malformed(request);
        }

        if ((request.Client.Permissions & NetBiosDaemonPermissions.SendBroadcasts) == 0)
        {
            return Denied("send broadcast datagrams", NetBiosDaemonPermissions.SendBroadcasts);
        }

        if (Station(request, lana) is not { } station)
        {
            return NoLana(lana);
        }

        var state = State(request);
        if (!state.Claims.MayUse(state, lana, station, source))
        {
            return NotHeld(source);
        }

        var result = await station.SendBroadcastDatagramAsync(source, request.Body[dataStart..], cancellationToken).ConfigureAwait(false);
        return DaemonReply.Ok(StationDatagramCodec.WriteSendResult(result));
    }

    private static async ValueTask<DaemonReply> ReceiveDatagramAsync(DaemonRequest request, CancellationToken cancellationToken)
    {
        var reader = new StationBodyReader(request.Body.Span);
        byte lana = reader.U8();
        var filter = StationDatagramCodec.ReadFilter(ref reader);
        if (!reader.Complete)
        {
            return Malformed(request);
        }

        if (Station(request, lana) is not { } station)
        {
            return NoLana(lana);
        }

        var state = State(request);
        if (filter.Kind == DatagramReceiveKind.Name && !state.Claims.MayUse(state, lana, station, filter.Name))
        {
            return NotHeld(filter.Name);
        }

        // The subscription is this request's: it ends with the request (answered, cancelled, or the client gone).
        using var subscription = station.SubscribeDatagrams(filter);
        while (true)
        {
            // One pass per datagram received; the request's cancellation ends the wait.
            var datagram = await subscription.ReceiveAsync(cancellationToken).ConfigureAwait(false);
            if (filter.Kind != DatagramReceiveKind.AnyName || state.Claims.MayUse(state, lana, station, datagram.DestinationName))
            {
                return DaemonReply.Ok(StationDatagramCodec.WriteReceived(datagram));
            }
        }
    }

    // ---- sessions ----

    private static async ValueTask<DaemonReply> CallAsync(DaemonRequest request, CancellationToken cancellationToken)
    {
        var reader = new StationBodyReader(request.Body.Span);
        byte lana = reader.U8();
        var calling = reader.Name();
        var called = reader.Name();
        if (!reader.Complete)
        {
            return Malformed(request);
        }

        if (Station(request, lana) is not { } station)
        {
            return NoLana(lana);
        }

        var state = State(request);
        if (!state.Claims.MayUse(state, lana, station, calling))
        {
            return NotHeld(calling);
        }

        var result = await station.CallAsync(calling, called, cancellationToken).ConfigureAwait(false);
        uint handle = result.IsConnected ? state.AddSession(result.Session) : 0;
        return DaemonReply.Ok(StationSessionCodec.WriteCall(result.Outcome, result.ErrorCode, handle, handle != 0 ? result.Session : null));
    }

    private static async ValueTask<DaemonReply> ListenAsync(DaemonRequest request, CancellationToken cancellationToken)
    {
        var reader = new StationBodyReader(request.Body.Span);
        byte lana = reader.U8();
        var local = reader.Name();
        var remote = reader.OptionalName();
        if (!reader.Complete)
        {
            return Malformed(request);
        }

        if ((request.Client.Permissions & NetBiosDaemonPermissions.Listen) == 0)
        {
            return Denied("listen for calls", NetBiosDaemonPermissions.Listen);
        }

        if (Station(request, lana) is not { } station)
        {
            return NoLana(lana);
        }

        var state = State(request);
        if (!state.Claims.MayUse(state, lana, station, local))
        {
            return NotHeld(local);
        }

        var result = await station.ListenAsync(local, remote, cancellationToken).ConfigureAwait(false);
        uint handle = result.IsConnected ? state.AddSession(result.Session) : 0;
        var outcome = result.IsConnected && handle == 0 ? SessionListenOutcome.Cancelled : result.Outcome;
        return DaemonReply.Ok(StationSessionCodec.WriteListen(outcome, handle, handle != 0 ? result.Session : null));
    }

    private static (uint Handle, NbssSession? Session, DaemonReply? Error) FindSession(DaemonRequest request, ref StationBodyReader reader, bool complete)
    {
        uint handle = reader.U32();
        if (complete ? !reader.Complete : !reader.Ok)
        {
            return (handle, null, Malformed(request));
        }

        return State(request).FindSession(handle) is { } session ? (handle, session, null) : (handle, null, NoSession(handle));
    }

    private static async ValueTask<DaemonReply> SessionSendAsync(DaemonRequest request, CancellationToken cancellationToken)
    {
        var reader = new StationBodyReader(request.Body.Span);
        var (_, session, error) = FindSession(request, ref reader, complete: false);
        if (error is { } reply)
        {
            return reply;
        }

        var data = request.Body[(request.Body.Length - reader.Remaining)..];
        if (data.Length > StationSessionCodec.MaxMessageLength)
        {
            return Malformed(request);
        }

        var status = await session!.SendAsync(data, cancellationToken).ConfigureAwait(false);
        return DaemonReply.Ok(new[] { (byte)status });
    }

    private static async ValueTask<DaemonReply> SessionReceiveAsync(DaemonRequest request, CancellationToken cancellationToken)
    {
        var check = new StationBodyReader(request.Body.Span);
        check.U32();
        uint max = check.U32();
        if (!check.Complete || max > StationSessionCodec.MaxMessageLength)
        {
            return Malformed(request);
        }

        var reader = new StationBodyReader(request.Body.Span);
        var (_, session, error) = FindSession(request, ref reader, complete: false);
        if (error is { } reply)
        {
            return reply;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Max(max, 1));
        try
        {
            var result = await session!.ReceiveAsync(buffer.AsMemory(0, (int)max), cancellationToken).ConfigureAwait(false);
            return DaemonReply.Ok(StationSessionCodec.WriteReceive(result.Status, buffer.AsSpan(0, result.BytesReceived)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async ValueTask<DaemonReply> HangUpAsync(DaemonRequest request)
    {
        var reader = new StationBodyReader(request.Body.Span);
        var (handle, session, error) = FindSession(request, ref reader, complete: true);
        if (error is { } reply)
        {
            return reply;
        }

        var state = await session!.HangUpAsync().ConfigureAwait(false);
        State(request).RemoveSession(handle);
        return DaemonReply.Ok(new[] { (byte)state });
    }

    private static DaemonReply SessionStatus(DaemonRequest request)
    {
        var reader = new StationBodyReader(request.Body.Span);
        var (_, session, error) = FindSession(request, ref reader, complete: true);
        if (error is { } reply)
        {
            return reply;
        }

        var status = session!.GetStatus();
        return DaemonReply.Ok(new StationBodyWriter().U8((byte)status.State)
            .U16((ushort)Math.Min(status.PendingReceives, ushort.MaxValue))
            .U16((ushort)Math.Min(status.PendingSends, ushort.MaxValue)).ToArray());
    }

    private static DaemonReply SessionAbort(DaemonRequest request)
    {
        var reader = new StationBodyReader(request.Body.Span);
        var (handle, session, error) = FindSession(request, ref reader, complete: true);
        if (error is { } reply)
        {
            return reply;
        }

        session!.Abort();
        State(request).RemoveSession(handle);
        return DaemonReply.Ok();
    }

    private static async ValueTask<DaemonReply> SessionWaitAsync(DaemonRequest request, CancellationToken cancellationToken)
    {
        var reader = new StationBodyReader(request.Body.Span);
        var (_, session, error) = FindSession(request, ref reader, complete: true);
        if (error is { } reply)
        {
            return reply;
        }

        await session!.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        return DaemonReply.Ok(new[] { (byte)session.State });
    }
}
