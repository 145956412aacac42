using System.Buffers;

namespace NetBios.Wire.Session;

/// <summary>
/// Finds session service frames ([RFC 1002] 4.3.1) in a byte stream held as a <see cref="ReadOnlySequence{T}"/>, for a
/// <c>PipeReader</c> loop: the same frames come out whatever way the stream is split into segments.
/// </summary>
/// <remarks>
/// <para>
/// The header alone decides whether a frame is acceptable: an unknown type, a reserved flag, a length that breaks
/// the type's rule, or a message longer than <see cref="MaxMessageLength"/> is <see cref="OperationStatus.InvalidData"/>
/// as soon as its 4 header bytes have arrived — nothing is buffered or allocated for it (SMBLoris: <c>00 01 FF FF</c>
/// is refused at once when the maximum is lower). The caller then closes the connection (or, in the request state,
/// sends a negative response first). Stateless and thread-safe.
/// </para>
/// <para>Two ways to read:</para>
/// <list type="bullet">
/// <item>Whole frames: <see cref="TryRead(in ReadOnlySequence{byte}, out NbssFrame, out SequencePosition, out SequencePosition, out SessionFrameError)"/>
/// waits until the whole body is buffered, then returns it as a slice (no copy). The reader must be willing to buffer
/// 4 + <see cref="MaxMessageLength"/> bytes.</item>
/// <item>Streamed bodies: <see cref="TryReadHeader(in ReadOnlySequence{byte}, out SessionHeader, out SessionFrameError)"/>
/// validates the next header; the caller advances past its 4 bytes and then takes the body in pieces as they arrive
/// with <see cref="TakeBodyChunk"/>, until the remaining count is 0. Control packets are small, so a session layer
/// would use this mode only for <see cref="SessionPacketType.SessionMessage"/>.</item>
/// </list>
/// <code>
/// while (true)
/// {
///     var result = await reader.ReadAsync(ct);
///     var buffer = result.Buffer;
///     var status = scanner.TryRead(buffer, out var frame, out var consumed, out var examined, out var error);
///     if (status == OperationStatus.Done) { Handle(frame); }                 // frame.Body is valid until AdvanceTo
///     else if (status == OperationStatus.InvalidData) { Close(error); break; }
///     reader.AdvanceTo(consumed, examined);
///     if (result.IsCompleted &amp;&amp; status == OperationStatus.NeedMoreData) { break; } // peer closed mid-frame
/// }
/// </code>
/// </remarks>
public sealed class NbssFrameScanner
{
    /// <summary>Creates a scanner.</summary>
    /// <param name="maxMessageLength">Largest SESSION MESSAGE accepted (0..131071). Defaults to 131071.</param>
    /// <exception cref="ArgumentOutOfRangeException">The maximum is outside 0..131071.</exception>
    public NbssFrameScanner(int maxMessageLength = SessionHeader.MaxLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxMessageLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessageLength, SessionHeader.MaxLength);
        MaxMessageLength = maxMessageLength;
    }

    /// <summary>Largest SESSION MESSAGE accepted.</summary>
    public int MaxMessageLength { get; }

    /// <summary>Reads the next whole frame at the start of <paramref name="buffer"/>, with positions for <c>PipeReader.AdvanceTo</c>.</summary>
    /// <param name="buffer">Bytes received and not yet consumed.</param>
    /// <param name="frame">The frame, on <see cref="OperationStatus.Done"/>.</param>
    /// <param name="consumed">After the frame on Done; the start of <paramref name="buffer"/> otherwise.</param>
    /// <param name="examined">After the frame on Done; the end of <paramref name="buffer"/> otherwise (everything was looked at).</param>
    /// <param name="error">Why, on <see cref="OperationStatus.InvalidData"/>.</param>
    /// <returns>Done, NeedMoreData (header or body incomplete), or InvalidData (close the connection).</returns>
    public OperationStatus TryRead(in ReadOnlySequence<byte> buffer, out NbssFrame frame, out SequencePosition consumed, out SequencePosition examined,
        out SessionFrameError error)
    {
        var status = TryRead(buffer, out frame, out long length, out error);
        if (status == OperationStatus.Done)
        {
            consumed = buffer.GetPosition(length);
            examined = consumed;
        }
        else
        {
            consumed = buffer.Start;
            examined = buffer.End;
        }

        return status;
    }

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
    /// as it arrives: advance past <see cref="SessionHeader.Size"/> bytes, then call <see cref="TakeBodyChunk"/>.
    /// </summary>
    /// <param name="buffer">Bytes received and not yet consumed, starting at a frame boundary.</param>
    /// <param name="header">The header, on Done.</param>
    /// <param name="error">Why, on <see cref="OperationStatus.InvalidData"/>.</param>
    /// <returns>Done, NeedMoreData (fewer than 4 bytes), or InvalidData.</returns>
    public OperationStatus TryReadHeader(in ReadOnlySequence<byte> buffer, out SessionHeader header, out SessionFrameError error)
    {
        header = default;
        error = SessionFrameError.None;
        if (buffer.Length < SessionHeader.Size)
        {
            return OperationStatus.NeedMoreData;
        }

        // Only the 4 header bytes are read (copied when they straddle segments), whatever LENGTH says.
        Span<byte> bytes = stackalloc byte[SessionHeader.Size];
        ReadOnlySpan<byte> first = buffer.FirstSpan;
        if (first.Length >= SessionHeader.Size)
        {
            first[..SessionHeader.Size].CopyTo(bytes);
        }
        else
        {
            buffer.Slice(0, SessionHeader.Size).CopyTo(bytes);
        }

        return SessionHeader.TryRead(bytes, MaxMessageLength, out header, out error) ? OperationStatus.Done : OperationStatus.InvalidData;
    }

    /// <summary>
    /// Takes the part of a frame body that has arrived: at most <paramref name="remaining"/> bytes (and at most
    /// <paramref name="maxChunkLength"/>) from the start of <paramref name="buffer"/>, as a slice (no copy).
    /// <paramref name="remaining"/> is reduced by the chunk's length; the body is complete when it reaches 0.
    /// </summary>
    /// <param name="buffer">Bytes received after the header (or after the previous chunk).</param>
    /// <param name="remaining">Body bytes still to come; starts at <see cref="SessionHeader.Length"/>.</param>
    /// <param name="maxChunkLength">Largest chunk to return, for a reader with a fixed-size buffer.</param>
    /// <returns>The chunk; empty when nothing of the body has arrived yet (or <paramref name="remaining"/> is 0).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="remaining"/> is negative or <paramref name="maxChunkLength"/> is not positive.</exception>
    public static ReadOnlySequence<byte> TakeBodyChunk(in ReadOnlySequence<byte> buffer, ref int remaining, int maxChunkLength = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(remaining);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxChunkLength);
        long length = Math.Min(Math.Min(remaining, maxChunkLength), buffer.Length);
        remaining -= (int)length;
        return buffer.Slice(0, length);
    }
}
