using System.Runtime.InteropServices;
using System.Text;
using NetBios.NcbInterface;

namespace NetBios.Native;

/// <summary>The C entry points of libnetbios (include/nb30.h, docs/LIBNETBIOS.md).</summary>
internal static unsafe class NetbiosExports
{
    private static readonly Lock TextGate = new();
    private static readonly Dictionary<byte, nint> Texts = [];

    /// <summary><c>UCHAR Netbios(PNCB pncb)</c>: runs an NCB (see <see cref="NativeNcbRunner"/>). Never throws into C:
    /// an unexpected failure is NRC_SYSTEM.</summary>
    [UnmanagedCallersOnly(EntryPoint = "Netbios")]
    public static byte Netbios(NativeNcb* ncb)
    {
        try
        {
            return NativeNcbRunner.Submit(ncb);
        }
#pragma warning disable CA1031 // nothing may unwind into C
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine($"libnetbios: {ex.GetType().Name}: {ex.Message}");
            if (ncb is not null)
            {
                ncb->ReturnCode = (byte)NcbReturnCode.SystemError;
                Volatile.Write(ref ncb->CommandComplete, (byte)NcbReturnCode.SystemError);
            }

            return (byte)NcbReturnCode.SystemError;
        }
    }

    /// <summary>
    /// <c>void netbios_make_name(UCHAR name[16], const char *text, UCHAR suffix)</c>: the 16 bytes of an NCB name: up to
    /// 15 bytes of <paramref name="text"/>, upper-cased (ASCII), padded with spaces, and the suffix byte. A null text
    /// gives 16 spaces with the suffix; <c>"*"</c> gives the wildcard (<c>*</c> and 15 zero bytes).
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "netbios_make_name")]
    public static void MakeName(byte* name, byte* text, byte suffix)
    {
        if (name is null)
        {
            return;
        }

        var field = new Span<byte>(name, NativeNcb.NameLength);
        if (text is not null && text[0] == (byte)'*' && text[1] == 0)
        {
            field.Clear();
            field[0] = (byte)'*';
            return;
        }

        field.Fill((byte)' ');
        for (int i = 0; text is not null && i < 15 && text[i] != 0; i++)
        {
            byte b = text[i];
            field[i] = b is >= (byte)'a' and <= (byte)'z' ? (byte)(b - 32) : b;
        }

        field[15] = suffix;
    }

    /// <summary><c>const char *netbios_strerror(UCHAR code)</c>: the NRC_* name and meaning of a return code; the
    /// string is static (never freed) and the same for every call with that code.</summary>
    [UnmanagedCallersOnly(EntryPoint = "netbios_strerror")]
    public static nint ErrorText(byte code)
    {
        lock (TextGate)
        {
            if (!Texts.TryGetValue(code, out nint text))
            {
                string value = Enum.IsDefined((NcbReturnCode)code) ? $"0x{code:X2} {(NcbReturnCode)code}" : $"0x{code:X2} unknown";
                byte[] bytes = Encoding.ASCII.GetBytes(value + "\0");
                text = (nint)NativeMemory.Alloc((nuint)bytes.Length);
                bytes.CopyTo(new Span<byte>((void*)text, bytes.Length));
                Texts[code] = text;
            }

            return text;
        }
    }

    /// <summary><c>void netbios_shutdown(void)</c>: releases every name and closes every station this process bound;
    /// pending NCBs complete (NRC_CMDCAN / NRC_SCLOSED). The next Netbios() call binds anew.</summary>
    [UnmanagedCallersOnly(EntryPoint = "netbios_shutdown")]
    public static void Shutdown()
    {
        try
        {
            NetBiosProvider.Shutdown();
        }
#pragma warning disable CA1031 // nothing may unwind into C
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine($"libnetbios: shutdown: {ex.Message}");
        }
    }
}
