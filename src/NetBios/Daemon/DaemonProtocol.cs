using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;

namespace NetBios.Daemon;

/// <summary>
/// The framing of the nbtd local IPC protocol (docs/IPC.md "Framing"): every message is a 10-byte header and a payload,
/// all integers big-endian.
/// <code>
///  0               4       6               10
/// +---------------+-------+---------------+------------------
/// | length (u32)  | type  | request id    | payload ...
/// +---------------+-------+---------------+------------------
/// </code>
/// length counts the bytes after itself (type, request id and payload: at least 6).
/// </summary>
internal static class DaemonProtocol
{
    /// <summary>The protocol's major version: a client with another one is refused (ERROR UnsupportedVersion).</summary>
    public const ushort MajorVersion = 1;

    /// <summary>The protocol's minor version: additions a peer of the same major version may ignore.</summary>
    public const ushort MinorVersion = 1;

    /// <summary>"NBTD": the first four bytes of HELLO's payload.</summary>
    public const uint Magic = 0x4E425444;

    /// <summary>Bytes of the header.</summary>
    public const int HeaderLength = 10;

    /// <summary>The smallest length field (type + request id, no payload).</summary>
    public const int MinLengthField = 6;

    /// <summary>The default (and smallest allowed) largest message, header included: two 64 KiB NCB buffers and the fields.</summary>
    public const int DefaultMaxMessageLength = 256 * 1024;

    /// <summary>The smallest largest-message a daemon may be configured with: one SUBMIT with two full 64 KiB buffers.</summary>
    public const int MinMaxMessageLength = 2 * 65535 + 256;

    /// <summary>Result of <see cref="TryReadFrame"/>.</summary>
    public enum FrameStatus
    {
        /// <summary>A whole message was read.</summary>
        Done,

        /// <summary>More bytes are needed.</summary>
        NeedMoreData,

        /// <summary>The length field is below 6 or above the limit: the peer breaks the framing.</summary>
        InvalidLength,
    }

    /// <summary>Reads one message off the front of <paramref name="buffer"/> without allocating (the payload is a slice).</summary>
    /// <param name="buffer">Bytes received; advanced past the message when it is <see cref="FrameStatus.Done"/>.</param>
    /// <param name="maxMessageLength">The largest message allowed, header included.</param>
    /// <param name="type">The message type.</param>
    /// <param name="requestId">The request id.</param>
    /// <param name="payload">The payload.</param>
    /// <returns>What was found.</returns>
    public static FrameStatus TryReadFrame(ref ReadOnlySequence<byte> buffer, int maxMessageLength, out DaemonMessageType type,
        out uint requestId, out ReadOnlySequence<byte> payload)
    {
        type = 0;
        requestId = 0;
        payload = default;
        if (buffer.Length < HeaderLength)
        {
            // A length field that is already wrong need not wait for the rest of the header.
            if (buffer.Length >= 4 && !LengthIsValid(ReadUInt32(buffer), maxMessageLength))
            {
                return FrameStatus.InvalidLength;
            }

            return FrameStatus.NeedMoreData;
        }

        Span<byte> header = stackalloc byte[HeaderLength];
        buffer.Slice(0, HeaderLength).CopyTo(header);
        uint length = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (!LengthIsValid(length, maxMessageLength))
        {
            return FrameStatus.InvalidLength;
        }

        long total = 4 + (long)length;
        if (buffer.Length < total)
        {
            return FrameStatus.NeedMoreData;
        }

        type = (DaemonMessageType)BinaryPrimitives.ReadUInt16BigEndian(header[4..]);
        requestId = BinaryPrimitives.ReadUInt32BigEndian(header[6..]);
        payload = buffer.Slice(HeaderLength, total - HeaderLength);
        buffer = buffer.Slice(total);
        return FrameStatus.Done;
    }

    /// <summary>Writes a header for a payload of <paramref name="payloadLength"/> bytes.</summary>
    /// <param name="destination">At least <see cref="HeaderLength"/> bytes.</param>
    /// <param name="type">The message type.</param>
    /// <param name="requestId">The request id.</param>
    /// <param name="payloadLength">Bytes of payload that follow.</param>
    public static void WriteHeader(Span<byte> destination, DaemonMessageType type, uint requestId, int payloadLength)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)(MinLengthField + payloadLength));
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], (ushort)type);
        BinaryPrimitives.WriteUInt32BigEndian(destination[6..], requestId);
    }

    /// <summary>Writes a whole message (header and payload) into <paramref name="writer"/>.</summary>
    /// <param name="writer">Where to.</param>
    /// <param name="type">The message type.</param>
    /// <param name="requestId">The request id.</param>
    /// <param name="payload">The payload.</param>
    public static void WriteMessage(IBufferWriter<byte> writer, DaemonMessageType type, uint requestId, ReadOnlySpan<byte> payload)
    {
        var span = writer.GetSpan(HeaderLength + payload.Length);
        WriteHeader(span, type, requestId, payload.Length);
        payload.CopyTo(span[HeaderLength..]);
        writer.Advance(HeaderLength + payload.Length);
    }

    private static bool LengthIsValid(uint length, int maxMessageLength) =>
        length >= MinLengthField && length <= (uint)(maxMessageLength - 4);

    private static uint ReadUInt32(ReadOnlySequence<byte> buffer)
    {
        Span<byte> field = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(field);
        return BinaryPrimitives.ReadUInt32BigEndian(field);
    }
}
