using System.Buffers;
using System.Buffers.Binary;
using NetBios.NcbInterface;

namespace NetBios.Daemon;

/// <summary>
/// NCB SUBMIT and NCB COMPLETE payloads (docs/IPC.md "NCB SUBMIT", "NCB COMPLETE"): the NCB's fields, in NCB order, and
/// only the bytes a command moves — a sending command's data to the daemon, a receiving command's data back.
/// <code>
/// SUBMIT:   command lana lsn num | length(u16) | rto sto | callname[16] | name[16] | cancel-target(u32) | flags |
///           buffer-capacity(u16) | chain-capacity(u16) | data-count(u32) data | chain-count(u32) chain-data
/// COMPLETE: flags | return-code | lsn | num | length(u16) | callname[16] | name[16] | data-count(u32) data
/// </code>
/// </summary>
/// <remarks>Reading never throws and never allocates from a peer's count before checking it against the NCB's own
/// lengths (at most 65535 bytes each).</remarks>
internal static class DaemonNcbCodec
{
    /// <summary>SUBMIT flag: the NCB has a buffer (its capacity follows).</summary>
    public const byte FlagBuffer = 1;

    /// <summary>SUBMIT flag: the NCB has a CHAIN SEND second buffer.</summary>
    public const byte FlagChainBuffer = 2;

    /// <summary>SUBMIT flag: a no-wait submit; the daemon answers NCB ACCEPTED once the command runs.</summary>
    public const byte FlagNoWait = 4;

    /// <summary>COMPLETE flag: the command was refused before it started (no POST, no event).</summary>
    public const byte FlagRefused = 1;

    private const int SubmitFixedLength = 53;
    private const int CompleteFixedLength = 42;

    /// <summary>True for the commands whose buffer carries data to the daemon (the others' buffers only receive).</summary>
    /// <param name="command">The command without the ASYNCH bit.</param>
    public static bool SendsBuffer(NcbCommand command) => command is NcbCommand.Send or NcbCommand.SendNoAck or NcbCommand.ChainSend
        or NcbCommand.ChainSendNoAck or NcbCommand.DatagramSend or NcbCommand.DatagramSendBroadcast or NcbCommand.Action;

    /// <summary>The bytes of SUBMIT's payload for <paramref name="ncb"/>.</summary>
    /// <param name="ncb">The NCB.</param>
    /// <returns>The payload length.</returns>
    public static int SubmitLength(Ncb ncb) => SubmitFixedLength + 4 + DataCount(ncb) + ChainCount(ncb);

    /// <summary>Writes SUBMIT's payload.</summary>
    /// <param name="destination">At least <see cref="SubmitLength"/> bytes.</param>
    /// <param name="ncb">The NCB.</param>
    /// <param name="cancelTargetId">CANCEL: the request id of the target (0: none or unknown).</param>
    /// <param name="noWait">A no-wait submit.</param>
    public static void WriteSubmit(Span<byte> destination, Ncb ncb, uint cancelTargetId, bool noWait)
    {
        WriteSubmitHead(destination, ncb, cancelTargetId, noWait);
        int data = DataCount(ncb);
        ncb.Buffer.AsSpan(0, data).CopyTo(destination[SubmitHeadLength..]);
        WriteSubmitTail(destination[(SubmitHeadLength + data)..], ncb);
    }

    /// <summary>Bytes of SUBMIT's payload before the data: the fields and data-count.</summary>
    public const int SubmitHeadLength = SubmitFixedLength;

    /// <summary>Bytes of SUBMIT's payload after the data: chain-count and the chain bytes.</summary>
    /// <param name="ncb">The NCB.</param>
    public static int SubmitTailLength(Ncb ncb) => 4 + ChainCount(ncb);

    /// <summary>The bytes of <see cref="Ncb.Buffer"/> SUBMIT carries (so that a sender may send them from where they are).</summary>
    /// <param name="ncb">The NCB.</param>
    public static int SubmitDataCount(Ncb ncb) => DataCount(ncb);

    /// <summary>Writes SUBMIT's payload up to its data: the fields and data-count (<see cref="SubmitHeadLength"/> bytes).</summary>
    /// <param name="destination">At least <see cref="SubmitHeadLength"/> bytes.</param>
    /// <param name="ncb">The NCB.</param>
    /// <param name="cancelTargetId">CANCEL: the request id of the target (0: none or unknown).</param>
    /// <param name="noWait">A no-wait submit.</param>
    public static void WriteSubmitHead(Span<byte> destination, Ncb ncb, uint cancelTargetId, bool noWait)
    {
        destination[0] = (byte)ncb.Command;
        destination[1] = ncb.LanaNumber;
        destination[2] = ncb.LocalSessionNumber;
        destination[3] = ncb.NameNumber;
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], ncb.Length);
        destination[6] = ncb.ReceiveTimeout;
        destination[7] = ncb.SendTimeout;
        ncb.CallName.CopyTo(destination[8..]);
        ncb.Name.CopyTo(destination[24..]);
        BinaryPrimitives.WriteUInt32BigEndian(destination[40..], cancelTargetId);
        destination[44] = (byte)((ncb.Buffer is null ? 0 : FlagBuffer) | (ncb.ChainBuffer is null ? 0 : FlagChainBuffer) | (noWait ? FlagNoWait : 0));
        BinaryPrimitives.WriteUInt16BigEndian(destination[45..], (ushort)Math.Min(ncb.Buffer?.Length ?? 0, ushort.MaxValue));
        BinaryPrimitives.WriteUInt16BigEndian(destination[47..], (ushort)Math.Min(ncb.ChainBuffer?.Length ?? 0, ushort.MaxValue));
        BinaryPrimitives.WriteUInt32BigEndian(destination[49..], (uint)DataCount(ncb));
    }

    /// <summary>Writes SUBMIT's payload after its data: chain-count and the chain bytes.</summary>
    /// <param name="destination">At least <see cref="SubmitTailLength"/> bytes.</param>
    /// <param name="ncb">The NCB.</param>
    public static void WriteSubmitTail(Span<byte> destination, Ncb ncb)
    {
        int chain = ChainCount(ncb);
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)chain);
        ncb.ChainBuffer.AsSpan(0, chain).CopyTo(destination[4..]);
    }

    /// <summary>
    /// Reads SUBMIT into a new NCB for the daemon's own interface: its buffer holds <c>min(length, capacity)</c> bytes
    /// (so that a length the client's buffer does not hold still fails as NRC_BUFLEN), the data sent copied in.
    /// </summary>
    /// <param name="payload">The payload.</param>
    /// <param name="ncb">The NCB (without POST or event).</param>
    /// <param name="cancelTargetId">CANCEL: the target's request id, or 0.</param>
    /// <param name="noWait">True for a no-wait submit.</param>
    /// <returns>False when the payload is malformed (counts above the NCB's lengths, trailing or missing bytes).</returns>
    public static bool TryReadSubmit(ReadOnlySequence<byte> payload, out Ncb ncb, out uint cancelTargetId, out bool noWait) =>
        TryReadSubmit(payload, null, out ncb, out cancelTargetId, out noWait, out _);

    /// <summary>
    /// Reads SUBMIT as <see cref="TryReadSubmit(ReadOnlySequence{byte}, out Ncb, out uint, out bool)"/> does, the
    /// buffer of a session SEND or RECEIVE (the commands that move 64 KiB) rented from <paramref name="pool"/>.
    /// </summary>
    /// <param name="payload">The payload.</param>
    /// <param name="pool">The daemon's buffers, or null to allocate.</param>
    /// <param name="ncb">The NCB (without POST or event).</param>
    /// <param name="cancelTargetId">CANCEL: the target's request id, or 0.</param>
    /// <param name="noWait">True for a no-wait submit.</param>
    /// <param name="pooledBuffer">True when <see cref="Ncb.Buffer"/> may go back to <paramref name="pool"/> once the
    /// NCB is done with it (see <see cref="ReturnsPooledBuffer"/>).</param>
    /// <returns>False when the payload is malformed (counts above the NCB's lengths, trailing or missing bytes).</returns>
    public static bool TryReadSubmit(ReadOnlySequence<byte> payload, DaemonNcbBufferPool? pool, out Ncb ncb, out uint cancelTargetId,
        out bool noWait, out bool pooledBuffer)
    {
        ncb = null!;
        cancelTargetId = 0;
        noWait = false;
        pooledBuffer = false;
        if (payload.Length < SubmitFixedLength + 4)
        {
            return false;
        }

        Span<byte> head = stackalloc byte[SubmitFixedLength];
        payload.Slice(0, SubmitFixedLength).CopyTo(head);
        var result = new Ncb
        {
            Command = (NcbCommand)head[0],
            LanaNumber = head[1],
            LocalSessionNumber = head[2],
            NameNumber = head[3],
            Length = BinaryPrimitives.ReadUInt16BigEndian(head[4..]),
            ReceiveTimeout = head[6],
            SendTimeout = head[7],
        };
        head.Slice(8, Ncb.NameLength).CopyTo(result.CallName);
        head.Slice(24, Ncb.NameLength).CopyTo(result.Name);
        cancelTargetId = BinaryPrimitives.ReadUInt32BigEndian(head[40..]);
        byte flags = head[44];
        noWait = (flags & FlagNoWait) != 0;
        int capacity = BinaryPrimitives.ReadUInt16BigEndian(head[45..]);
        int chainCapacity = BinaryPrimitives.ReadUInt16BigEndian(head[47..]);
        uint data = BinaryPrimitives.ReadUInt32BigEndian(head[49..]);

        // The buffer is as large as the NCB's length where the client's buffer holds it (a receive's capacity), else
        // as large as the client's buffer: bounded by 65535 either way, whatever the counts say.
        int bufferSize = Math.Min(result.Length, capacity);
        if ((flags & FlagBuffer) != 0)
        {
            if (data > (uint)bufferSize || payload.Length < SubmitFixedLength + data + 4)
            {
                return false;
            }

            // A buffer the client's bytes fill whole need not be zeroed first (a receive's buffer is: what the daemon
            // sends back of it must never be another client's old bytes, nor an earlier NCB's).
            if (pool is not null && IsPooledCommand(result.BaseCommand))
            {
                result.Buffer = pool.Rent(bufferSize, (int)data, out pooledBuffer);
            }
            else
            {
                result.Buffer = data == (uint)bufferSize ? GC.AllocateUninitializedArray<byte>(bufferSize) : new byte[bufferSize];
            }

            payload.Slice(SubmitFixedLength, data).CopyTo(result.Buffer);
        }
        else if (data != 0 || payload.Length < SubmitFixedLength + 4)
        {
            return false;
        }

        var rest = payload.Slice(SubmitFixedLength + data);
        Span<byte> countField = stackalloc byte[4];
        rest.Slice(0, 4).CopyTo(countField);
        uint chain = BinaryPrimitives.ReadUInt32BigEndian(countField);
        int chainSize = Math.Min(result.ChainLength, chainCapacity);
        if ((flags & FlagChainBuffer) != 0)
        {
            if (chain > (uint)chainSize)
            {
                return false;
            }

            result.ChainBuffer = new byte[chainSize];
        }
        else if (chain != 0)
        {
            return false;
        }

        if (rest.Length != 4 + chain)
        {
            return false;
        }

        if (result.ChainBuffer is not null)
        {
            rest.Slice(4, chain).CopyTo(result.ChainBuffer);
        }

        ncb = result;
        return true;
    }

    /// <summary>
    /// True when a daemon-side NCB that completed with <paramref name="code"/> is done with its pooled buffer: a session
    /// SEND or RECEIVE that ended with its own result (the transfer finished: the session copied the bytes before it
    /// completed it). A cancelled, timed-out or failed one may leave a transfer that still touches the buffer, so its
    /// buffer is left to the collector.
    /// </summary>
    /// <param name="ncb">The completed (daemon-side) NCB.</param>
    /// <param name="code">Its final code.</param>
    public static bool ReturnsPooledBuffer(Ncb ncb, NcbReturnCode code) =>
        code == NcbReturnCode.GoodReturn
        || (code == NcbReturnCode.Incomplete && ncb.BaseCommand is NcbCommand.Receive or NcbCommand.ReceiveAny);

    private static bool IsPooledCommand(NcbCommand command) =>
        command is NcbCommand.Send or NcbCommand.SendNoAck or NcbCommand.Receive or NcbCommand.ReceiveAny;

    /// <summary>The bytes a completed NCB sends back: a receiving command's buffer up to its length.</summary>
    /// <param name="ncb">The completed (daemon-side) NCB.</param>
    /// <param name="refused">True when it was refused before it started.</param>
    public static int ReturnedCount(Ncb ncb, bool refused) =>
        refused || ncb.Buffer is null || SendsBuffer(ncb.BaseCommand) ? 0 : Math.Min(ncb.Length, ncb.Buffer.Length);

    /// <summary>The length of COMPLETE's payload.</summary>
    /// <param name="returned">The count from <see cref="ReturnedCount"/>.</param>
    public static int CompleteLength(int returned) => CompleteFixedLength + returned;

    /// <summary>Writes COMPLETE's payload.</summary>
    /// <param name="destination">At least <see cref="CompleteLength"/> bytes.</param>
    /// <param name="ncb">The completed (daemon-side) NCB.</param>
    /// <param name="code">Its final (or refusal) code.</param>
    /// <param name="refused">True when it was refused before it started.</param>
    /// <param name="returned">The count from <see cref="ReturnedCount"/>.</param>
    public static void WriteComplete(Span<byte> destination, Ncb ncb, NcbReturnCode code, bool refused, int returned)
    {
        destination[0] = refused ? FlagRefused : (byte)0;
        destination[1] = (byte)code;
        destination[2] = ncb.LocalSessionNumber;
        destination[3] = ncb.NameNumber;
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], ncb.Length);
        ncb.CallName.CopyTo(destination[6..]);
        ncb.Name.CopyTo(destination[22..]);
        BinaryPrimitives.WriteUInt32BigEndian(destination[38..], (uint)returned);
        ncb.Buffer.AsSpan(0, returned).CopyTo(destination[CompleteFixedLength..]);
    }

    /// <summary>
    /// Applies COMPLETE to the client's NCB: the result fields, the bytes received (as many as its buffer holds), then
    /// <see cref="Ncb.ReturnCode"/> and <see cref="Ncb.CommandComplete"/> last.
    /// </summary>
    /// <param name="payload">COMPLETE's payload.</param>
    /// <param name="ncb">The client's NCB.</param>
    /// <param name="code">The final code.</param>
    /// <param name="refused">True when the daemon refused it before it started.</param>
    /// <returns>False when the payload is malformed (nothing is written then).</returns>
    public static bool TryApplyComplete(ReadOnlySequence<byte> payload, Ncb ncb, out NcbReturnCode code, out bool refused)
    {
        code = NcbReturnCode.SystemError;
        refused = false;
        if (payload.Length < CompleteFixedLength)
        {
            return false;
        }

        Span<byte> head = stackalloc byte[CompleteFixedLength];
        payload.Slice(0, CompleteFixedLength).CopyTo(head);
        uint returned = BinaryPrimitives.ReadUInt32BigEndian(head[38..]);
        if (returned > ushort.MaxValue || payload.Length != CompleteFixedLength + returned)
        {
            return false;
        }

        refused = (head[0] & FlagRefused) != 0;
        code = (NcbReturnCode)head[1];
        ncb.LocalSessionNumber = head[2];
        ncb.NameNumber = head[3];
        ncb.Length = BinaryPrimitives.ReadUInt16BigEndian(head[4..]);
        head.Slice(6, Ncb.NameLength).CopyTo(ncb.CallName);
        head.Slice(22, Ncb.NameLength).CopyTo(ncb.Name);
        if (returned > 0 && ncb.Buffer is { } buffer)
        {
            int copied = (int)Math.Min(returned, (uint)buffer.Length);
            payload.Slice(CompleteFixedLength, copied).CopyTo(buffer);
        }

        return true;
    }

    private static int DataCount(Ncb ncb) =>
        ncb.Buffer is { } buffer && SendsBuffer(ncb.BaseCommand) ? Math.Min(ncb.Length, buffer.Length) : 0;

    private static int ChainCount(Ncb ncb) =>
        ncb.ChainBuffer is { } chain && ncb.BaseCommand is NcbCommand.ChainSend or NcbCommand.ChainSendNoAck
            ? Math.Min(ncb.ChainLength, chain.Length) : 0;
}
