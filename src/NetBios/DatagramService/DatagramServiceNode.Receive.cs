using System.Net;
using NetBios.NameService;
using NetBios.Wire.Datagram;

namespace NetBios.DatagramService;

public sealed partial class DatagramServiceNode
{
    /// <summary>
    /// One packet from the transport (RFC 1002 §5.3.3): decode, reassemble, check the destination against the local
    /// name table and deliver to the matching receivers. Never throws for what the packet contains.
    /// </summary>
    private async ValueTask HandleDatagramAsync(ReadOnlyMemory<byte> bytes, IPEndPoint from, CancellationToken cancellationToken)
    {
        Statistics.OnReceived();
        if (!DatagramPacket.TryDecode(bytes.Span, out var packet, out var error))
        {
            Statistics.OnMalformed();
            Log.Malformed(_logger, from, error);
            if (DatagramHeader.TryRead(bytes.Span, out var header) && header.Type == DatagramMessageType.DirectUnique
                && error is DatagramDecodeError.BadSourceName or DatagramDecodeError.BadDestinationName)
            {
                var code = error == DatagramDecodeError.BadSourceName
                    ? DatagramErrorCode.InvalidSourceNameFormat
                    : DatagramErrorCode.InvalidDestinationNameFormat;
                await SendErrorAsync(header.DatagramId, code, from, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        switch (packet)
        {
            case UserDatagram datagram:
                await HandleUserDatagramAsync(datagram, from, cancellationToken).ConfigureAwait(false);
                break;
            case DatagramErrorPacket errorPacket:
                Statistics.OnErrorReceived();
                Log.ErrorReceived(_logger, errorPacket.ErrorCode, from, errorPacket.Header.DatagramId);
                break;
            default:
                // DATAGRAM QUERY packets are for an NBDD; this node is not one.
                Log.Ignored(_logger, packet.Header.Type, from);
                break;
        }
    }

    private async ValueTask HandleUserDatagramAsync(UserDatagram datagram, IPEndPoint from, CancellationToken cancellationToken)
    {
        if (datagram.Header.Type != DatagramMessageType.Broadcast)
        {
            // Delivered only when DESTINATION_NAME is a registered local name (matched exactly), so receivers can take
            // ReceivedDatagram.DestinationName as the local name it was addressed to.
            if (_names.FindRegistered(datagram.DestinationName) is null)
            {
                Statistics.OnNotForUs();
                Log.NotForUs(_logger, datagram.DestinationName, from);

                // RFC 1002 §5.3.3: a datagram sent directly to a name that is not here is answered with an error,
                // once per datagram (on its first fragment), and only for DIRECT_UNIQUE: group datagrams are
                // broadcast to every station, which must not all answer.
                if (datagram.Header.Type == DatagramMessageType.DirectUnique && datagram.IsFirst)
                {
                    await SendErrorAsync(datagram.Header.DatagramId, DatagramErrorCode.DestinationNameNotPresent, from, cancellationToken).ConfigureAwait(false);
                }

                return;
            }
        }

        ReadOnlyMemory<byte> data = datagram.UserData;
        if (!datagram.IsUnfragmented)
        {
            Statistics.OnFragmentReceived();
            var result = _reassembler.Add(datagram, out byte[]? whole, out int dropped);
            Statistics.AddPartialsDropped(dropped);
            switch (result)
            {
                case DatagramReassembler.Result.Pending:
                    return;
                case DatagramReassembler.Result.Rejected:
                    Statistics.OnFragmentRejected();
                    Log.FragmentRejected(_logger, datagram.Header.DatagramId, from, datagram.PacketOffset, datagram.UserData.Length);
                    return;
            }

            Statistics.OnReassembled();
            data = whole;
        }

        var received = new ReceivedDatagram(datagram.Header.Type, datagram.SourceName, datagram.DestinationName, data,
            new IPEndPoint(datagram.Header.SourceAddress, datagram.Header.SourcePort), from);
        Deliver(received);
    }

    private void Deliver(ReceivedDatagram datagram)
    {
        bool delivered = false;
        foreach (var subscription in Volatile.Read(ref _subscriptions))
        {
            if (subscription.Filter.Matches(datagram))
            {
                subscription.Deliver(datagram);
                delivered = true;
            }
        }

        if (delivered)
        {
            Statistics.OnDelivered();
        }

        Log.Received(_logger, datagram.Type, datagram.SourceName, datagram.DestinationName, datagram.Data.Length, datagram.ReceivedFrom, delivered);
    }

    /// <summary>DATAGRAM ERROR (RFC 1002 §4.4.3) to the endpoint the datagram came from, never to the SOURCE_IP it
    /// claims, so that the service cannot be used to reflect errors at a third party.</summary>
    private async ValueTask SendErrorAsync(ushort datagramId, DatagramErrorCode code, IPEndPoint to, CancellationToken cancellationToken)
    {
        if (!_options.SendErrors)
        {
            return;
        }

        byte[] packet = DatagramErrorPacket.Create(datagramId, SourceEndPoint, code, SourceNodeType).ToArray();
        await _transport.SendToAsync(packet, to, cancellationToken).ConfigureAwait(false);
        Statistics.OnErrorSent();
    }
}
