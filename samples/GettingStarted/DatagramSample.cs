using System.Text;
using NetBios.DatagramService;
using NetBios.Station;

namespace NetBios.Samples;

/// <summary>Guide §5: datagrams between names (RFC 1002 §4.4: DIRECT_UNIQUE, DIRECT_GROUP, BROADCAST).</summary>
internal static class DatagramSample
{
    /// <summary>The peer waits for a datagram to FILESRV&lt;00&gt;; the station sends one from SENDER&lt;00&gt;.</summary>
    /// <param name="station">The sending station.</param>
    /// <param name="peer">The receiving station, which holds FILESRV&lt;00&gt;.</param>
    /// <param name="output">Where the sample writes what was sent and received.</param>
    /// <param name="cancellationToken">Cancels sending and receiving.</param>
    /// <returns>The text the peer received.</returns>
    public static async Task<string> RunAsync(NetBiosStation station, NetBiosStation peer, TextWriter output, CancellationToken cancellationToken)
    {
        // <guide:datagram>
        // Receiver: wait for the next datagram sent to one of its names (ReceiveDatagramAsync), or keep a
        // subscription (SubscribeDatagrams) so that none is missed between two receives.
        NetBiosName server = NetBiosName.Parse("FILESRV");
        ValueTask<ReceivedDatagram> pending = peer.ReceiveDatagramAsync(DatagramReceiveFilter.ForName(server), cancellationToken);

        // Sender: the source must be one of the station's own names.
        NetBiosName sender = NetBiosName.Parse("SENDER");
        await station.AddNameAsync(sender, cancellationToken: cancellationToken);
        DatagramSendResult sent = await station.SendDatagramAsync(sender, server, Encoding.UTF8.GetBytes("hello, FILESRV"), cancellationToken: cancellationToken);
        output.WriteLine($"sent {sent.Type} to {string.Join(", ", sent.Destinations)}: {sent.Outcome}");

        ReceivedDatagram datagram = await pending;
        string text = Encoding.UTF8.GetString(datagram.Data.Span);
        output.WriteLine($"{datagram.DestinationName} got \"{text}\" from {datagram.SourceName} at {datagram.Source}");
        // </guide:datagram>
        return text;
    }
}
