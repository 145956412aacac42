using NetBios.NcbInterface;

namespace NetBios.Daemon;

/// <summary>The fields of an NCB SUBMIT before its data (docs/IPC.md "NCB SUBMIT"), read and checked against the
/// payload's length by <see cref="DaemonNcbCodec.TryReadSubmitHead"/>: enough to place the data before it arrives.</summary>
internal sealed class DaemonSubmitHead
{
    /// <summary>The NCB (without buffers yet, nor POST or event).</summary>
    public required Ncb Ncb { get; init; }

    /// <summary>CANCEL: the target's request id, or 0.</summary>
    public required uint CancelTargetId { get; init; }

    /// <summary>A no-wait submit.</summary>
    public required bool NoWait { get; init; }

    /// <summary>The SUBMIT flags (<see cref="DaemonNcbCodec.FlagBuffer"/>, <see cref="DaemonNcbCodec.FlagChainBuffer"/>).</summary>
    public required byte Flags { get; init; }

    /// <summary>The length of the NCB's buffer in the daemon: <c>min(length, capacity)</c> (at most 65535).</summary>
    public required int BufferSize { get; init; }

    /// <summary>The length of the CHAIN SEND buffer in the daemon: <c>min(chain length, chain capacity)</c>.</summary>
    public required int ChainSize { get; init; }

    /// <summary>The data bytes that follow the head (at most <see cref="BufferSize"/>).</summary>
    public required int DataCount { get; init; }

    /// <summary>True when the NCB's buffer is one of the daemon's pooled buffers (it goes back once done with).</summary>
    public bool PooledBuffer { get; set; }

    /// <summary>True when the NCB has a buffer (the data, if any, goes into it).</summary>
    public bool HasBuffer => (Flags & DaemonNcbCodec.FlagBuffer) != 0;
}
