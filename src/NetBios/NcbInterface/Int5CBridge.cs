using System.Collections.Concurrent;

namespace NetBios.NcbInterface;

/// <summary>
/// INT 5Ch for DOS emulators (docs/NCB.md §1.3): given ES:BX, reads the 64-byte NCB and the buffers its segment:offset
/// pointers name from emulated memory, executes it through <see cref="INetBios"/>, and writes the NCB, the
/// buffers and AL back. An asynchronous command's completion (NCB and buffer write-back, then the POST routine called
/// with ES:BX = the NCB and AL = its command-complete code) is queued and applied when the host calls
/// <see cref="DeliverCompletions"/> from its emulation loop, as a hardware interrupt would be.
/// </summary>
/// <remarks>
/// With no <see cref="INetBios"/> (the host says NetBIOS is not loaded) every call returns
/// <see cref="NcbReturnCode.NotLoaded"/> (0xFB, what Wine's stub answers) and leaves memory untouched. A buffer that
/// runs past the end of memory fails with <see cref="NcbReturnCode.BadBufferAddress"/>; nothing is read or written
/// outside memory.
/// </remarks>
public sealed class Int5CBridge
{
    private readonly INetBios? _netbios;
    private readonly IRealModeMemory _memory;
    private readonly Action<RealModeAddress, ushort, ushort, byte> _callPost;
    private readonly ConcurrentQueue<Action> _completions = new();
    private readonly ConcurrentDictionary<int, Ncb> _pendingByAddress = new();

    /// <summary>Creates the bridge.</summary>
    /// <param name="netbios">The NetBIOS interface; null for "NetBIOS not loaded".</param>
    /// <param name="memory">The emulated memory.</param>
    /// <param name="callPost">Calls a POST routine in the emulated CPU: (routine address, ES, BX, AL).</param>
    public Int5CBridge(INetBios? netbios, IRealModeMemory memory, Action<RealModeAddress, ushort, ushort, byte> callPost)
    {
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(callPost);
        _netbios = netbios;
        _memory = memory;
        _callPost = callPost;
    }

    /// <summary>Completions waiting for <see cref="DeliverCompletions"/>.</summary>
    public int PendingCompletions => _completions.Count;

    /// <summary>INT 5Ch with ES:BX pointing at an NCB; returns AL.</summary>
    /// <param name="es">ES.</param>
    /// <param name="bx">BX.</param>
    public byte Interrupt(ushort es, ushort bx)
    {
        if (_netbios is null)
        {
            return (byte)NcbReturnCode.NotLoaded;
        }

        var at = new RealModeAddress(es, bx);
        byte[] raw = new byte[NcbImage.Length];
        if (!TryRead(at, raw))
        {
            return (byte)NcbReturnCode.InvalidAddress;
        }

        NcbImage.TryRead(raw, out var image);
        var ncb = new Ncb();
        image.CopyTo(ncb);
        var refusal = LoadBuffers(image, ncb);
        if (refusal != NcbReturnCode.GoodReturn)
        {
            ncb.ReturnCode = refusal;
            ncb.CommandComplete = refusal;
            WriteBack(at, image, ncb, buffers: false);
            return (byte)refusal;
        }

        if (!ncb.IsAsynchronous)
        {
            var code = _netbios.Submit(ncb);
            WriteBack(at, image, ncb, buffers: true);
            return (byte)code;
        }

        var post = image.Post;
        ncb.Post = completed => _completions.Enqueue(() =>
        {
            _pendingByAddress.TryRemove(at.Linear, out _);
            WriteBack(at, image, completed, buffers: true);
            if (!post.IsNull)
            {
                _callPost(post, es, bx, (byte)completed.CommandComplete);
            }
        });
        _pendingByAddress[at.Linear] = ncb;
        var immediate = _netbios.Submit(ncb);

        // Until the host delivers the completion, the program sees the command pending (0xFF).
        image.ReturnCode = (byte)NcbReturnCode.Pending;
        image.CommandComplete = (byte)NcbReturnCode.Pending;
        _memory.Write(at.Linear, image.ToArray());
        return (byte)immediate;
    }

    /// <summary>Applies every queued completion (NCB and buffer write-back, POST call) on the caller's thread.</summary>
    /// <returns>How many were delivered.</returns>
    public int DeliverCompletions()
    {
        int delivered = 0;
        while (_completions.TryDequeue(out var completion))
        {
            completion();
            delivered++;
        }

        return delivered;
    }

    /// <summary>Copies the buffers an NCB points at into managed arrays (CANCEL: finds the target NCB instead).</summary>
    private NcbReturnCode LoadBuffers(NcbImage image, Ncb ncb)
    {
        if (ncb.BaseCommand == NcbCommand.Cancel)
        {
            ncb.CancelTarget = _pendingByAddress.TryGetValue(image.Buffer.Linear, out var target) ? target : new Ncb();
            return NcbReturnCode.GoodReturn;
        }

        if (image.BufferLength > 0)
        {
            ncb.Buffer = new byte[image.BufferLength];
            if (!TryRead(image.Buffer, ncb.Buffer))
            {
                return NcbReturnCode.BadBufferAddress;
            }
        }

        if (ncb.BaseCommand is NcbCommand.ChainSend or NcbCommand.ChainSendNoAck && ncb.ChainLength > 0)
        {
            ncb.ChainBuffer = new byte[ncb.ChainLength];
            if (!TryRead(image.ChainBuffer, ncb.ChainBuffer))
            {
                return NcbReturnCode.BadBufferAddress;
            }
        }

        return NcbReturnCode.GoodReturn;
    }

    /// <summary>Writes the NCB's fields back, and for commands that fill their buffer, the bytes they filled.</summary>
    private void WriteBack(RealModeAddress at, NcbImage image, Ncb ncb, bool buffers)
    {
        if (buffers && ncb.Buffer is { } buffer && FillsBuffer(ncb.BaseCommand))
        {
            int length = Math.Min(ncb.Length, buffer.Length);
            if (Fits(image.Buffer.Linear, length))
            {
                _memory.Write(image.Buffer.Linear, buffer.AsSpan(0, length));
            }
        }

        image.CopyFrom(ncb);
        _memory.Write(at.Linear, image.ToArray());
    }

    private static bool FillsBuffer(NcbCommand command) => command is NcbCommand.Receive or NcbCommand.ReceiveAny or NcbCommand.DatagramReceive
        or NcbCommand.DatagramReceiveBroadcast or NcbCommand.AdapterStatus or NcbCommand.SessionStatus or NcbCommand.FindName
        or NcbCommand.Enumerate;

    private bool TryRead(RealModeAddress address, Span<byte> destination)
    {
        if (!Fits(address.Linear, destination.Length))
        {
            return false;
        }

        _memory.Read(address.Linear, destination);
        return true;
    }

    private bool Fits(int linear, int length) => linear >= 0 && length >= 0 && (long)linear + length <= _memory.Size;
}
