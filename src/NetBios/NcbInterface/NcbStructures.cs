using System.Buffers.Binary;
using System.Net;
using NetBios.NameService;
using NetBios.Wire.NameService;

namespace NetBios.NcbInterface;

/// <summary>
/// The result structures NCB commands write into the caller's buffer (nb30.h layouts, little-endian):
/// ADAPTER_STATUS + NAME_BUFFER[], FIND_NAME_HEADER + FIND_NAME_BUFFER[], LANA_ENUM.
/// </summary>
internal static class NcbStructures
{
    /// <summary>sizeof(ADAPTER_STATUS).</summary>
    public const int AdapterStatusLength = 60;

    /// <summary>sizeof(NAME_BUFFER).</summary>
    public const int NameBufferLength = 18;

    /// <summary>sizeof(FIND_NAME_HEADER).</summary>
    public const int FindNameHeaderLength = 4;

    /// <summary>sizeof(FIND_NAME_BUFFER) (MS/MinGW: routing_info[18]).</summary>
    public const int FindNameBufferLength = 33;

    /// <summary>NAME_BUFFER name_flags: GROUP_NAME.</summary>
    public const byte GroupName = 0x80;

    /// <summary>NAME_BUFFER name_flags states.</summary>
    public const byte Registering = 0x00, Registered = 0x04, Deregistered = 0x05, Duplicate = 0x06;

    /// <summary>What ADAPTER_STATUS reports besides the names.</summary>
    public readonly record struct AdapterFigures(byte[] Mac, uint Sent, uint Received, ushort MaxCommands, ushort FreeCommands,
        ushort MaxSessions, ushort PendingSessions, ushort MaxDatagramSize, ushort MaxSessionPacketSize);

    /// <summary>One NAME_BUFFER entry.</summary>
    public readonly record struct NameEntry(NetBiosName Name, byte Number, byte Flags);

    public static byte StateFlags(LocalName name) => (byte)((name.IsGroup ? GroupName : 0) | name.State switch
    {
        LocalNameState.Registering => Registering,
        LocalNameState.Registered => Registered,
        LocalNameState.Deregistered => Deregistered,
        _ => Duplicate,
    });

    public static byte StateFlags(NodeStatusEntry entry)
    {
        byte state = (entry.Flags & NodeStatusNameFlags.Conflict) != 0 ? Duplicate
            : (entry.Flags & NodeStatusNameFlags.Deregistering) != 0 ? Deregistered
            : Registered;
        return (byte)((entry.IsGroup ? GroupName : 0) | state);
    }

    /// <summary>ADAPTER_STATUS followed by NAME_BUFFER[]; the returned bytes are the whole structure (the caller truncates).</summary>
    public static byte[] AdapterStatus(AdapterFigures figures, IReadOnlyList<NameEntry> names)
    {
        byte[] bytes = new byte[AdapterStatusLength + (names.Count * NameBufferLength)];
        var s = bytes.AsSpan();
        figures.Mac.AsSpan(0, Math.Min(6, figures.Mac.Length)).CopyTo(s);
        s[6] = 3;    // rev_major: NetBIOS 3.0
        s[8] = 0xFE; // adapter_type: Ethernet
        BinaryPrimitives.WriteUInt32LittleEndian(s[20..], figures.Sent);
        BinaryPrimitives.WriteUInt32LittleEndian(s[24..], figures.Received);
        BinaryPrimitives.WriteUInt16LittleEndian(s[40..], figures.FreeCommands);
        BinaryPrimitives.WriteUInt16LittleEndian(s[42..], figures.MaxCommands);
        BinaryPrimitives.WriteUInt16LittleEndian(s[44..], figures.MaxCommands);
        BinaryPrimitives.WriteUInt16LittleEndian(s[48..], figures.MaxDatagramSize);
        BinaryPrimitives.WriteUInt16LittleEndian(s[50..], figures.PendingSessions);
        BinaryPrimitives.WriteUInt16LittleEndian(s[52..], figures.MaxSessions);
        BinaryPrimitives.WriteUInt16LittleEndian(s[54..], figures.MaxSessions);
        BinaryPrimitives.WriteUInt16LittleEndian(s[56..], figures.MaxSessionPacketSize);
        BinaryPrimitives.WriteUInt16LittleEndian(s[58..], (ushort)names.Count);
        for (int i = 0; i < names.Count; i++)
        {
            var entry = s.Slice(AdapterStatusLength + (i * NameBufferLength), NameBufferLength);
            names[i].Name.CopyTo(entry);
            entry[16] = names[i].Number;
            entry[17] = names[i].Flags;
        }

        return bytes;
    }

    /// <summary>FIND_NAME_HEADER + one FIND_NAME_BUFFER per address: destination = our adapter's MAC, source = the
    /// owner's IPv4 address in the last four bytes (there is no MAC over TCP/IP).</summary>
    public static byte[] FindName(IReadOnlyList<IPAddress> owners, bool group, byte[] localMac)
    {
        byte[] bytes = new byte[FindNameHeaderLength + (owners.Count * FindNameBufferLength)];
        var s = bytes.AsSpan();
        BinaryPrimitives.WriteUInt16LittleEndian(s, (ushort)owners.Count);
        s[3] = group ? (byte)1 : (byte)0;
        for (int i = 0; i < owners.Count; i++)
        {
            var entry = s.Slice(FindNameHeaderLength + (i * FindNameBufferLength), FindNameBufferLength);
            entry[0] = 14; // length: the bytes up to and including source_addr
            localMac.AsSpan(0, Math.Min(6, localMac.Length)).CopyTo(entry[3..]);
            owners[i].TryWriteBytes(entry[11..15], out _);
        }

        return bytes;
    }

    /// <summary>LANA_ENUM: the count, then the LANA numbers.</summary>
    public static byte[] LanaEnum(IEnumerable<byte> lanas)
    {
        byte[] numbers = [.. lanas];
        return [(byte)numbers.Length, .. numbers];
    }
}
