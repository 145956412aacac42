using NetBios.DatagramService;
using NetBios.Wire.Datagram;

namespace NetBios.Daemon;

/// <summary>Bodies of the datagram operations (docs/IPC.md "Station operations"; [RFC 1002] 4.4 datagrams): the send
/// result, the receive filter and the received datagram. The readers never throw.</summary>
internal static class StationDatagramCodec
{
    /// <summary>SEND result: outcome (u8) | message type (u8) | destinations count (u16) | endpoints | fragments (u16).</summary>
    public static byte[] WriteSendResult(DatagramSendResult result)
    {
        var writer = new StationBodyWriter();
        writer.U8((byte)result.Outcome).U8((byte)result.Type);
        int count = Math.Min(result.Destinations.Count, ushort.MaxValue);
        writer.U16((ushort)count);
        for (int i = 0; i < count; i++)
        {
            writer.EndPoint(result.Destinations[i]);
        }

        return writer.U16((ushort)Math.Clamp(result.Fragments, 0, ushort.MaxValue)).ToArray();
    }

    /// <summary>Reads a SEND result.</summary>
    public static bool TryReadSendResult(ReadOnlySpan<byte> body, out DatagramSendResult? result)
    {
        result = null;
        var reader = new StationBodyReader(body);
        var outcome = reader.Enum<DatagramSendOutcome>();
        var type = (DatagramMessageType)reader.U8();
        int count = reader.U16();
        if (!reader.Ok || count > reader.Remaining / 7)
        {
            return false;
        }

        var destinations = new List<System.Net.IPEndPoint>(count);
        for (int i = 0; i < count && reader.Ok; i++)
        {
            if (reader.EndPoint() is { } endPoint)
            {
                destinations.Add(endPoint);
            }
            else
            {
                reader.Fail();
            }
        }

        int fragments = reader.U16();
        if (reader.Complete)
        {
            result = new DatagramSendResult(outcome, type, destinations, fragments);
        }

        return result is not null;
    }

    /// <summary>A receive filter: kind (u8) | the name when the kind is Name.</summary>
    public static void WriteFilter(StationBodyWriter writer, DatagramReceiveFilter filter)
    {
        writer.U8((byte)filter.Kind);
        if (filter.Kind == DatagramReceiveKind.Name)
        {
            writer.Name(filter.Name);
        }
    }

    /// <summary>Reads a receive filter.</summary>
    public static DatagramReceiveFilter ReadFilter(ref StationBodyReader reader) => reader.Enum<DatagramReceiveKind>() switch
    {
        DatagramReceiveKind.Name => DatagramReceiveFilter.ForName(reader.Name()),
        DatagramReceiveKind.AnyName => DatagramReceiveFilter.AnyName,
        _ => DatagramReceiveFilter.Broadcasts,
    };

    /// <summary>RECEIVE result: type (u8) | source name | destination name | source (endpoint) | received from (endpoint) | data (the rest).</summary>
    public static byte[] WriteReceived(ReceivedDatagram datagram) =>
        new StationBodyWriter(64 + datagram.Data.Length)
            .U8((byte)datagram.Type).Name(datagram.SourceName).Name(datagram.DestinationName)
            .EndPoint(datagram.Source).EndPoint(datagram.ReceivedFrom).Bytes(datagram.Data.Span)
            .ToArray();

    /// <summary>Reads a RECEIVE result (the data is copied out of <paramref name="body"/>: its length is what is there).</summary>
    public static bool TryReadReceived(ReadOnlySpan<byte> body, out ReceivedDatagram? datagram)
    {
        datagram = null;
        var reader = new StationBodyReader(body);
        var type = (DatagramMessageType)reader.U8();
        var source = reader.Name();
        var destination = reader.Name();
        var from = reader.EndPoint();
        var receivedFrom = reader.EndPoint();
        var data = reader.Rest();
        if (reader.Complete && from is not null && receivedFrom is not null)
        {
            datagram = new ReceivedDatagram(type, source, destination, data.ToArray(), from, receivedFrom);
        }

        return datagram is not null;
    }
}
