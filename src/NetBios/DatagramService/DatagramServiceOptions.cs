using System.Net;

namespace NetBios.DatagramService;

/// <summary>Settings of a <see cref="DatagramServiceNode"/>. Defaults follow RFC 1001/1002 and what Windows does.</summary>
public sealed class DatagramServiceOptions
{
    /// <summary>Largest user payload a datagram may carry; the NetBIOS limit is 512 bytes (RFC 1001 §17, NCB).</summary>
    public const int DefaultMaxUserDataLength = 512;

    /// <summary>The datagram service port of other nodes (RFC 1002 §4.4: 138).</summary>
    public int RemotePort { get; set; } = 138;

    /// <summary>Largest user payload accepted by the send methods, up to 65535 (payloads above
    /// <see cref="FragmentDataLength"/> are fragmented). Default 512, the NetBIOS limit.</summary>
    public int MaxUserDataLength { get; set; } = DefaultMaxUserDataLength;

    /// <summary>User data carried by one packet before the datagram is fragmented (RFC 1002 §4.4.2). The default,
    /// 512, sends every NetBIOS-sized datagram whole, as Windows and Samba do and as they expect to receive.</summary>
    public int FragmentDataLength { get; set; } = DefaultMaxUserDataLength;

    /// <summary>Largest reassembled datagram accepted from the network (bytes of user data).</summary>
    public int MaxReceiveLength { get; set; } = ushort.MaxValue;

    /// <summary>FRAGMENT_TO (RFC 1002 §6): how long the fragments of one datagram are kept waiting for the rest.</summary>
    public TimeSpan FragmentTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Most datagrams being reassembled at once; beyond it the oldest partial datagram is dropped.</summary>
    public int MaxPartialDatagrams { get; set; } = 64;

    /// <summary>Most bytes held by partial datagrams at once; beyond it the oldest partial datagrams are dropped.</summary>
    public int MaxReassemblyBytes { get; set; } = 512 * 1024;

    /// <summary>Most fragments one datagram may arrive in.</summary>
    public int MaxFragmentsPerDatagram { get; set; } = 256;

    /// <summary>Datagrams queued for one receiver that is not reading; beyond it the oldest queued one is dropped
    /// (datagrams are unacknowledged: a slow receiver loses datagrams, never the service its memory).</summary>
    public int ReceiveQueueCapacity { get; set; } = 256;

    /// <summary>
    /// Where group datagrams go when set: the NetBIOS Datagram Distribution server (RFC 1001 §17.1.2, P nodes). When
    /// null (the default, as on Windows, which has no NBDD), group datagrams are broadcast on the subnet, or for a
    /// P node without an NBDD sent to each member address the name server returned.
    /// </summary>
    public IPEndPoint? DatagramDistributionServer { get; set; }

    /// <summary>Most member addresses a P node sends one group datagram to when it has no NBDD.</summary>
    public int MaxGroupMembers { get; set; } = 64;

    /// <summary>Answer a DIRECT_UNIQUE datagram for a name that is not here with DATAGRAM ERROR 0x82 (RFC 1002
    /// §5.3.3); on by default.</summary>
    public bool SendErrors { get; set; } = true;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        Check(RemotePort is > 0 and <= ushort.MaxValue, nameof(RemotePort), "a port number 1-65535");
        Check(MaxUserDataLength is >= 0 and <= ushort.MaxValue, nameof(MaxUserDataLength), "0-65535");
        Check(FragmentDataLength is >= 1 and <= 65_000, nameof(FragmentDataLength), "1-65000");
        Check(MaxReceiveLength is >= 0 and <= ushort.MaxValue + 65_000, nameof(MaxReceiveLength), "0-130535");
        Check(FragmentTimeout > TimeSpan.Zero, nameof(FragmentTimeout), "positive");
        Check(MaxPartialDatagrams >= 1, nameof(MaxPartialDatagrams), "at least 1");
        Check(MaxReassemblyBytes >= 1, nameof(MaxReassemblyBytes), "at least 1");
        Check(MaxFragmentsPerDatagram >= 2, nameof(MaxFragmentsPerDatagram), "at least 2");
        Check(ReceiveQueueCapacity >= 1, nameof(ReceiveQueueCapacity), "at least 1");
        Check(MaxGroupMembers >= 1, nameof(MaxGroupMembers), "at least 1");
    }

    private static void Check(bool valid, string name, string expected)
    {
        if (!valid)
        {
            throw new ArgumentException($"{name} must be {expected}.", name);
        }
    }
}
