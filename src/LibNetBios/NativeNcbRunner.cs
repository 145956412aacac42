using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using NetBios.NcbInterface;

namespace NetBios.Native;

/// <summary>
/// <c>Netbios(NCB *)</c> over an <see cref="INetBios"/>: copies the caller's NCB into a managed <see cref="Ncb"/>,
/// runs it, and writes the results back into the caller's memory (docs/LIBNETBIOS.md "Netbios()").
/// </summary>
/// <remarks>
/// <para>
/// Buffers stay the caller's: the bytes a command sends are copied from ncb_buffer when it starts, the bytes it
/// receives are copied into ncb_buffer when it completes, before ncb_cmd_cplt changes from 0xFF; after that the library
/// never touches the NCB or its buffers again (POST gets the pointer, nothing more).
/// </para>
/// <para>
/// A no-wait NCB: ncb_retcode and ncb_cmd_cplt read 0xFF and ncb_event is reset before the command is handed on; if it
/// is refused before it starts, Netbios() returns the refusal (also in both fields) and neither event nor POST fire.
/// Otherwise, at completion: the results, ncb_retcode, ncb_cmd_cplt (last, with a release barrier), then ncb_event is
/// signalled and ncb_post called, on a library thread. ncb_post and ncb_event are read once, when the NCB is submitted.
/// </para>
/// </remarks>
internal static unsafe class NativeNcbRunner
{
    private const byte OpenError = (byte)NcbReturnCode.OpenError;

    /// <summary>Pending no-wait NCBs by the caller's address (CANCEL finds its target here).</summary>
    private static readonly ConcurrentDictionary<nint, Ncb> Pending = new();

    /// <summary>Runs one NCB; the return value of <c>Netbios()</c>.</summary>
    public static byte Submit(NativeNcb* native)
    {
        if (native is null)
        {
            return (byte)NcbReturnCode.InvalidAddress;
        }

        var netbios = NetBiosProvider.Get();
        if (netbios is null)
        {
            return Finish(native, OpenError);
        }

        var ncb = ToManaged(native);
        byte[]? rented = null, rentedChain = null;
        var refusal = LoadBuffers(native, ncb, ref rented, ref rentedChain);
        if (refusal != NcbReturnCode.GoodReturn)
        {
            return Finish(native, (byte)refusal);
        }

        if (!ncb.IsAsynchronous)
        {
            var code = netbios.Submit(ncb);
            CopyBack(native, ncb, code);
            Return(rented, rentedChain);
            return Finish(native, (byte)code);
        }

        nint key = (nint)native;
        nint eventFd = native->Event;
        var post = native->Post;
        EventFd.Reset(eventFd);
        native->ReturnCode = (byte)NcbReturnCode.Pending;
        Volatile.Write(ref native->CommandComplete, (byte)NcbReturnCode.Pending);
        Pending[key] = ncb;
        ncb.Post = completed =>
        {
            Pending.TryRemove(new KeyValuePair<nint, Ncb>(key, completed));
            var final = completed.CommandComplete;
            CopyBack(native, completed, final);
            Return(rented, rentedChain);
            native->ReturnCode = (byte)final;
            Volatile.Write(ref native->CommandComplete, (byte)final); // last: the caller may reuse the NCB from here
            EventFd.Signal(eventFd);
            if (post is not null)
            {
                post(native);
            }
        };
        var immediate = netbios.Submit(ncb);
        if (immediate != NcbReturnCode.GoodReturn)
        {
            // Refused before it started: no completion follows.
            Pending.TryRemove(new KeyValuePair<nint, Ncb>(key, ncb));
            Return(rented, rentedChain);
            return Finish(native, (byte)immediate);
        }

        return (byte)NcbReturnCode.GoodReturn;
    }

    private static byte Finish(NativeNcb* native, byte code)
    {
        native->ReturnCode = code;
        Volatile.Write(ref native->CommandComplete, code);
        return code;
    }

    private static Ncb ToManaged(NativeNcb* native)
    {
        var ncb = new Ncb
        {
            Command = (NcbCommand)native->Command,
            LocalSessionNumber = native->LocalSessionNumber,
            NameNumber = native->NameNumber,
            Length = native->Length,
            ReceiveTimeout = native->ReceiveTimeout,
            SendTimeout = native->SendTimeout,
            LanaNumber = native->LanaNumber,
        };
        new ReadOnlySpan<byte>(native->CallName, NativeNcb.NameLength).CopyTo(ncb.CallName);
        new ReadOnlySpan<byte>(native->Name, NativeNcb.NameLength).CopyTo(ncb.Name);
        return ncb;
    }

    /// <summary>
    /// Gives the managed NCB its buffers: a copy of the bytes to send, room for the bytes to receive (pooled arrays,
    /// returned at completion); CANCEL's target. NRC_BADDR for a null buffer with a non-zero length.
    /// </summary>
    private static NcbReturnCode LoadBuffers(NativeNcb* native, Ncb ncb, ref byte[]? rented, ref byte[]? rentedChain)
    {
        var command = ncb.BaseCommand;
        if (command == NcbCommand.Cancel)
        {
            // ncb_buffer points at the NCB to cancel; one that is not pending (or never was) answers NRC_CANOCCR.
            ncb.CancelTarget = native->Buffer is not null && Pending.TryGetValue((nint)native->Buffer, out var target) ? target : new Ncb();
            return NcbReturnCode.GoodReturn;
        }

        if (!CarriesData(command) || native->Length == 0)
        {
            return NcbReturnCode.GoodReturn;
        }

        if (native->Buffer is null)
        {
            return NcbReturnCode.BadBufferAddress;
        }

        rented = ArrayPool<byte>.Shared.Rent(native->Length);
        if (Sends(command))
        {
            new ReadOnlySpan<byte>(native->Buffer, native->Length).CopyTo(rented);
        }

        ncb.Buffer = rented;
        if (command is NcbCommand.ChainSend or NcbCommand.ChainSendNoAck)
        {
            ushort chainLength = (ushort)(native->CallName[0] | (native->CallName[1] << 8));
            byte* second = (byte*)Unsafe.ReadUnaligned<nint>(native->CallName + 2);
            if (chainLength > 0)
            {
                if (second is null)
                {
                    return NcbReturnCode.BadBufferAddress;
                }

                rentedChain = ArrayPool<byte>.Shared.Rent(chainLength);
                new ReadOnlySpan<byte>(second, chainLength).CopyTo(rentedChain);
                ncb.ChainBuffer = rentedChain;
            }
        }

        return NcbReturnCode.GoodReturn;
    }

    /// <summary>Writes what the command filled in back into the caller's NCB and buffer (not ncb_retcode / ncb_cmd_cplt).</summary>
    private static void CopyBack(NativeNcb* native, Ncb ncb, NcbReturnCode code)
    {
        native->LocalSessionNumber = ncb.LocalSessionNumber;
        native->NameNumber = ncb.NameNumber;
        var command = ncb.BaseCommand;
        if (command is not (NcbCommand.ChainSend or NcbCommand.ChainSendNoAck))
        {
            ncb.CallName.CopyTo(new Span<byte>(native->CallName, NativeNcb.NameLength));
        }

        if (!Fills(command))
        {
            return;
        }

        if (code is NcbReturnCode.GoodReturn or NcbReturnCode.Incomplete && ncb.Buffer is { } buffer && native->Buffer is not null)
        {
            int length = Math.Min(Math.Min(ncb.Length, native->Length), buffer.Length);
            buffer.AsSpan(0, length).CopyTo(new Span<byte>(native->Buffer, length));
            native->Length = (ushort)length;
        }
        else if (code is not (NcbReturnCode.GoodReturn or NcbReturnCode.Incomplete or NcbReturnCode.BufferLength))
        {
            native->Length = ncb.Length < native->Length ? ncb.Length : native->Length;
        }
    }

    private static void Return(byte[]? rented, byte[]? rentedChain)
    {
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        if (rentedChain is not null)
        {
            ArrayPool<byte>.Shared.Return(rentedChain);
        }
    }

    /// <summary>Commands whose ncb_buffer / ncb_length carry data one way or the other.</summary>
    private static bool CarriesData(NcbCommand command) => Sends(command) || Fills(command);

    private static bool Sends(NcbCommand command) => command is NcbCommand.Send or NcbCommand.SendNoAck or NcbCommand.ChainSend
        or NcbCommand.ChainSendNoAck or NcbCommand.DatagramSend or NcbCommand.DatagramSendBroadcast or NcbCommand.Action;

    private static bool Fills(NcbCommand command) => command is NcbCommand.Receive or NcbCommand.ReceiveAny or NcbCommand.DatagramReceive
        or NcbCommand.DatagramReceiveBroadcast or NcbCommand.AdapterStatus or NcbCommand.SessionStatus or NcbCommand.FindName
        or NcbCommand.Enumerate;
}
