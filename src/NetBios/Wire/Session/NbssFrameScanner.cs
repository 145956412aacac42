using System.Buffers;

namespace NetBios.Wire.Session;

/// <summary>
/// Finds session service frames in a byte stream ([RFC 1002] 4.3.1) over <see cref="ReadOnlySequence{T}"/>, for a
/// PipeReader loop: the same frames come out whatever way the stream is split into segments.
/// </summary>
/// <remarks>
/// The header alone decides whether a frame is acceptable: an unknown type, a reserved flag, a length that breaks
/// the type's rule, or a message longer than <see cref="MaxMessageLength"/> is <see cref="OperationStatus.InvalidData"/>
/// as soon as its 4 header bytes have arrived — nothing is buffered or allocated for it (SMBLoris: <c>00 01 FF FF</c>
/// is refused at once when the maximum is lower). Stateless and thread-safe.
/// </remarks>
public sealed class NbssFrameScanner
{
    /// <summary>Creates a scanner.</summary>
    /// <param name="maxMessageLength">Largest SESSION MESSAGE accepted (1..131071). Defaults to 131071.</param>
    /// <exception cref="ArgumentOutOfRangeException">The maximum is outside 0..131071.</exception>
    public NbssFrameScanner(int maxMessageLength = SessionHeader.MaxLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxMessageLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessageLength, SessionHeader.MaxLength);
        MaxMessageLength = maxMessageLength;
    }

    /// <summary>Largest SESSION MESSAGE accepted.</summary>
    public int MaxMessageLength { get; }

    /// <summary>Reads the next whole frame at the start of <paramref name="buffer"/>.</summary>
    /// <param name="buffer">Bytes received and not yet consumed.</param>
    /// <param name="frame">The frame, on <see cref="OperationStatus.Done"/>.</param>
    /// <param name="consumed">Bytes the frame used (header + trailer) on Done; 0 otherwise.</param>
    /// <param name="error">Why, on <see cref="OperationStatus.InvalidData"/>.</param>
    /// <returns>Done, NeedMoreData (header or trailer incomplete), or InvalidData (close the connection).</returns>
    public OperationStatus TryRead(in ReadOnlySequence<byte> buffer, out NbssFrame frame, out long consumed, out SessionFrameError error)
    {
        frame = default;
        consumed = 0;
        var status = TryReadHeader(buffer, out var header, out error);
        if (status != OperationStatus.Done)
        {
            return status;
        }

        long total = SessionHeader.Size + header.Length;
        if (buffer.Length < total)
        {
            return OperationStatus.NeedMoreData;
        }

        frame = new NbssFrame(header, buffer.Slice(SessionHeader.Size, header.Length));
        consumed = total;
        return OperationStatus.Done;
    }

    /// <summary>
    /// Reads and validates only the 4-byte header, so that the caller can consume a large message body in pieces
    /// as it arrives (the session layer's "more of the same message remains").
    /// </summary>
    public OperationStatus TryReadHeader(in ReadOnlySequence<byte> buffer, out SessionHeader header, out SessionFrameError error)
    {
        header = default;
        error = SessionFrameError.None;
        if (buffer.Length < SessionHeader.Size)
        {
            return OperationStatus.NeedMoreData;
        }

        Span<byte> bytes = stackalloc byte[SessionHeader.Size];
        buffer.Slice(0, SessionHeader.Size).CopyTo(bytes);
        return SessionHeader.TryRead(bytes, MaxMessageLength, out header, out error) ? OperationStatus.Done : OperationStatus.InvalidData;
    }
}
