namespace Nbt.Cli.Configuration;

/// <summary>
/// <c>nbt send</c>'s own options, bound from the <c>"send"</c> section (or top-level keys, or the command line):
/// <c>from</c>, <c>group</c>, <c>broadcast</c>, <c>hex</c> (RFC 1002 §4.4.1 DIRECT_UNIQUE, DIRECT_GROUP and BROADCAST
/// datagrams). Every value is well-formed by type; the source name is checked where the scope is known.
/// </summary>
internal sealed class NbtSendOptions
{
    /// <summary>The source name, NAME[#xx], or null for NBT&lt;PID&gt; (through nbtd: the station's host name).</summary>
    public string? From { get; set; }

    /// <summary>The destination is a group name: send DIRECT_GROUP without resolving it.</summary>
    public bool Group { get; set; }

    /// <summary>Send a BROADCAST datagram to every station.</summary>
    public bool Broadcast { get; set; }

    /// <summary>The message is hex digits.</summary>
    public bool Hex { get; set; }
}
