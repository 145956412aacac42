using NetBios.DatagramService;

namespace NetBios.NcbInterface;

public sealed partial class NetBiosInterface
{
    /// <summary>NCBDGSEND / NCBDGSENDBC: a datagram from name number <see cref="Ncb.NameNumber"/> to
    /// <see cref="Ncb.CallName"/> (resolved: unique or group), or to every station.</summary>
    private static async ValueTask<NcbReturnCode> DatagramSendAsync(NcbLana lana, Ncb ncb, bool broadcast)
    {
        if (FindNumber(lana, ncb.NameNumber, out var refusal) is not { } source)
        {
            return refusal;
        }

        if (!BufferFits(ncb))
        {
            return NcbReturnCode.BufferLength;
        }

        var data = ncb.Buffer.AsMemory(0, ncb.Length);
        var result = broadcast
            ? await lana.Station.SendBroadcastDatagramAsync(source.Name, data).ConfigureAwait(false)
            : await lana.Station.SendDatagramAsync(source.Name, NetBiosName.FromBytes(ncb.CallName), data).ConfigureAwait(false);
        return result.Outcome switch
        {
            DatagramSendOutcome.TooLong => NcbReturnCode.BufferLength,
            DatagramSendOutcome.SourceNameNotLocal => NcbReturnCode.IllegalNameNumber,
            _ => NcbReturnCode.GoodReturn, // datagrams are unacknowledged: an unknown destination is not an error
        };
    }

    /// <summary>
    /// NCBDGRECV / NCBDGRECVBC: waits for a datagram to name number <see cref="Ncb.NameNumber"/> (0xFF: any name), or a
    /// broadcast; copies it into the buffer (NRC_INCOMP when it does not fit: the rest is lost), the sender's name into
    /// <see cref="Ncb.CallName"/> and, for 0xFF, the receiving name's number into <see cref="Ncb.NameNumber"/>. For any
    /// name, only datagrams to this interface's names count (<see cref="NcbNameTable.MayReceiveFor"/>): one to a name
    /// another interface over the station added (another nbtd client's) is not this receive's, which waits on.
    /// </summary>
    private static async ValueTask<NcbReturnCode> DatagramReceiveAsync(NcbLana lana, Ncb ncb, bool broadcast, CancellationToken cancellationToken)
    {
        bool anyName = !broadcast && ncb.NameNumber == 0xFF;
        DatagramReceiveFilter filter = DatagramReceiveFilter.AnyName;
        if (!anyName)
        {
            if (FindNumber(lana, ncb.NameNumber, out var refusal) is not { } local)
            {
                return refusal;
            }

            filter = broadcast ? DatagramReceiveFilter.Broadcasts : DatagramReceiveFilter.ForName(local.Name);
        }

        if (!BufferFits(ncb))
        {
            return NcbReturnCode.BufferLength;
        }

        // Subscribed once (or taken over from the receive this one re-arms: NcbDatagramHandovers), so that no datagram is
        // missed between two looks; for any name, each skipped one was delivered to its own name's receivers as well
        // (every matching subscription gets a copy). Ends with the NCB (cancellation).
        var subscription = lana.DatagramHandovers.Take(filter) ?? lana.Station.SubscribeDatagrams(filter);
        ReceivedDatagram datagram;
        try
        {
            do
            {
                datagram = await subscription.ReceiveAsync(cancellationToken).ConfigureAwait(false);
            }
            while (anyName && !lana.Names.MayReceiveFor(datagram.DestinationName));
        }
        catch
        {
            subscription.Dispose();
            throw;
        }

        lana.DatagramHandovers.Leave(filter, subscription, lana.Station.Datagrams.TimeProvider);
        datagram.SourceName.CopyTo(ncb.CallName);
        if (anyName)
        {
            // DestinationName is the local name it was delivered to; one added outside this interface is numbered now.
            ncb.NameNumber = lana.Station.GetName(datagram.DestinationName) is { } local ? AssignNumber(lana, local) : (byte)0;
        }

        return WriteBuffer(ncb, datagram.Data.Span, allowTruncation: true);
    }
}
