using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace NetBios.Daemon;

/// <summary>
/// HELLO, WELCOME and ERROR payloads (docs/IPC.md "Handshake", "Errors").
/// <code>
/// HELLO:   magic "NBTD"(u32) | major(u16) | minor(u16)
/// WELCOME: major(u16) | minor(u16) | max-message(u32) | max-pending(u32) | pid(i32) | uid(u32) | gid(u32) |
///          permissions(u32) | lana-count(u8) | lanas[count]
/// ERROR:   code(u16) | text-length(u16) | text (UTF-8)
/// </code>
/// </summary>
internal static class DaemonHandshakeCodec
{
    /// <summary>Bytes of HELLO's payload.</summary>
    public const int HelloLength = 8;

    private const int WelcomeFixedLength = 29;

    /// <summary>The longest ERROR text (bytes) a peer may send.</summary>
    public const int MaxErrorText = 1024;

    /// <summary>HELLO's payload for this library's version.</summary>
    public static byte[] Hello(ushort major = DaemonProtocol.MajorVersion, ushort minor = DaemonProtocol.MinorVersion)
    {
        byte[] payload = new byte[HelloLength];
        BinaryPrimitives.WriteUInt32BigEndian(payload, DaemonProtocol.Magic);
        BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(4), major);
        BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(6), minor);
        return payload;
    }

    /// <summary>Reads HELLO; false when it is not one (wrong length or magic).</summary>
    public static bool TryReadHello(ReadOnlySequence<byte> payload, out ushort major, out ushort minor)
    {
        major = minor = 0;
        if (payload.Length != HelloLength)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[HelloLength];
        payload.CopyTo(bytes);
        if (BinaryPrimitives.ReadUInt32BigEndian(bytes) != DaemonProtocol.Magic)
        {
            return false;
        }

        major = BinaryPrimitives.ReadUInt16BigEndian(bytes[4..]);
        minor = BinaryPrimitives.ReadUInt16BigEndian(bytes[6..]);
        return true;
    }

    /// <summary>WELCOME's payload.</summary>
    public static byte[] Welcome(DaemonWelcome welcome)
    {
        ArgumentNullException.ThrowIfNull(welcome);
        byte[] payload = new byte[WelcomeFixedLength + welcome.Lanas.Count];
        var span = payload.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(span, welcome.MajorVersion);
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], welcome.MinorVersion);
        BinaryPrimitives.WriteInt32BigEndian(span[4..], welcome.MaxMessageLength);
        BinaryPrimitives.WriteInt32BigEndian(span[8..], welcome.MaxPendingNcbs);
        BinaryPrimitives.WriteInt32BigEndian(span[12..], welcome.ProcessId);
        BinaryPrimitives.WriteUInt32BigEndian(span[16..], welcome.UserId);
        BinaryPrimitives.WriteUInt32BigEndian(span[20..], welcome.GroupId);
        BinaryPrimitives.WriteUInt32BigEndian(span[24..], (uint)welcome.Permissions);
        span[28] = (byte)welcome.Lanas.Count;
        for (int i = 0; i < welcome.Lanas.Count; i++)
        {
            span[WelcomeFixedLength + i] = welcome.Lanas[i];
        }

        return payload;
    }

    /// <summary>Reads WELCOME; false when malformed. A later minor version may append fields: they are ignored.</summary>
    public static bool TryReadWelcome(ReadOnlySequence<byte> payload, out DaemonWelcome welcome)
    {
        welcome = null!;
        if (payload.Length < WelcomeFixedLength || payload.Length > WelcomeFixedLength + 255 + 4096)
        {
            return false;
        }

        byte[] bytes = payload.ToArray();
        int count = bytes[28];
        if (bytes.Length < WelcomeFixedLength + count)
        {
            return false;
        }

        int maxMessage = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4));
        int maxPending = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(8));
        if (maxMessage < DaemonProtocol.MinMaxMessageLength || maxPending < 1)
        {
            return false;
        }

        welcome = new DaemonWelcome(
            BinaryPrimitives.ReadUInt16BigEndian(bytes),
            BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(2)),
            maxMessage,
            maxPending,
            BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(12)),
            BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(16)),
            BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(20)),
            (NetBiosDaemonPermissions)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(24)),
            bytes.AsSpan(WelcomeFixedLength, count).ToArray());
        return true;
    }

    /// <summary>ERROR's payload (the text cut to <see cref="MaxErrorText"/> bytes).</summary>
    public static byte[] Error(NetBiosDaemonError code, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        byte[] encoded = Encoding.UTF8.GetBytes(text);
        int length = Math.Min(encoded.Length, MaxErrorText);
        byte[] payload = new byte[4 + length];
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)code);
        BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(2), (ushort)length);
        encoded.AsSpan(0, length).CopyTo(payload.AsSpan(4));
        return payload;
    }

    /// <summary>Reads ERROR; false when malformed.</summary>
    public static bool TryReadError(ReadOnlySequence<byte> payload, out NetBiosDaemonError code, out string text)
    {
        code = NetBiosDaemonError.MalformedMessage;
        text = string.Empty;
        if (payload.Length < 4 || payload.Length > 4 + MaxErrorText)
        {
            return false;
        }

        byte[] bytes = payload.ToArray();
        int length = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(2));
        if (bytes.Length != 4 + length)
        {
            return false;
        }

        code = (NetBiosDaemonError)BinaryPrimitives.ReadUInt16BigEndian(bytes);
        text = Encoding.UTF8.GetString(bytes, 4, length);
        return true;
    }
}
