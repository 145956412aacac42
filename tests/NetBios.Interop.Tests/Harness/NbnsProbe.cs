using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NetBios.Interop.Tests.Harness;

/// <summary>
/// Minimal, independent NBNS name query (RFC 1002 4.2.12) sent from a socket inside a namespace. Used as the
/// harness's readiness probe so it never depends on the stack under test.
/// </summary>
public static class NbnsProbe
{
    private static int s_tid = Environment.ProcessId & 0x7FFF;

    /// <summary>RFC 1001 14.1 first-level encoding: 0x20, 32 half-ASCII bytes, 0x00 (34 bytes). Name is upper-cased and space padded.</summary>
    public static byte[] EncodeName(string name, byte suffix)
    {
        ArgumentNullException.ThrowIfNull(name);
        var raw = new byte[16];
        var text = Encoding.ASCII.GetBytes(name.ToUpperInvariant().PadRight(15)[..15]);
        text.CopyTo(raw, 0);
        raw[15] = suffix;
        var encoded = new byte[34];
        encoded[0] = 0x20;
        for (var i = 0; i < 16; i++)
        {
            encoded[1 + (2 * i)] = (byte)('A' + (raw[i] >> 4));
            encoded[2 + (2 * i)] = (byte)('A' + (raw[i] & 0x0F));
        }

        return encoded;
    }

    /// <summary>
    /// Sends one NAME QUERY REQUEST for NAME&lt;suffix&gt; to <paramref name="server"/>:<paramref name="port"/> from
    /// inside <paramref name="ns"/> and waits up to <paramref name="timeout"/> for a positive answer. Returns the
    /// answered addresses, or null on timeout / negative response.
    /// </summary>
    public static async Task<IReadOnlyList<IPAddress>?> QueryAsync(NetworkNamespace ns, IPEndPoint server, string name, byte suffix,
        bool broadcast, bool recursionDesired, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ns);
        ArgumentNullException.ThrowIfNull(server);
        var tid = (ushort)Interlocked.Increment(ref s_tid);
        var flags = (ushort)((broadcast ? 0x0010 : 0) | (recursionDesired ? 0x0100 : 0));
        var packet = new byte[12 + 34 + 4];
        BinaryPrimitives.WriteUInt16BigEndian(packet, tid);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), flags);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), 1); // QDCOUNT
        EncodeName(name, suffix).CopyTo(packet, 12);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(46), 0x0020); // NB
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(48), 0x0001); // IN

        using var socket = ns.Enter(() =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { EnableBroadcast = broadcast };
            s.Bind(new IPEndPoint(IPAddress.Any, 0));
            return s;
        });
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ProcessRunner.Token(cancellationToken));
        cts.CancelAfter(timeout);
        var buffer = new byte[1500];
        try
        {
            await socket.SendToAsync(packet, server, cts.Token);
            while (true)
            {
                var r = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), cts.Token);
                var answer = Parse(buffer.AsSpan(0, r.ReceivedBytes), tid);
                if (answer is not null)
                {
                    return answer.Count == 0 ? null : answer;
                }
            }
        }
        catch (OperationCanceledException) when (!ProcessRunner.Token(cancellationToken).IsCancellationRequested)
        {
            return null;
        }
        catch (SocketException)
        {
            // e.g. ICMP port unreachable while the daemon is not bound yet.
            return null;
        }
    }

    /// <summary>null = not our response; empty = negative; else the NB addresses.</summary>
    private static List<IPAddress>? Parse(ReadOnlySpan<byte> p, ushort tid)
    {
        if (p.Length < 12 || BinaryPrimitives.ReadUInt16BigEndian(p) != tid || (p[2] & 0x80) == 0)
        {
            return null;
        }

        var rcode = p[3] & 0x0F;
        var qd = BinaryPrimitives.ReadUInt16BigEndian(p[4..]);
        var an = BinaryPrimitives.ReadUInt16BigEndian(p[6..]);
        if (rcode != 0 || an == 0)
        {
            return [];
        }

        var o = 12;
        for (var i = 0; i < qd; i++)
        {
            o = SkipName(p, o) + 4;
        }

        o = SkipName(p, o);
        if (o < 0 || o + 10 > p.Length)
        {
            return [];
        }

        var rdLength = BinaryPrimitives.ReadUInt16BigEndian(p[(o + 8)..]);
        o += 10;
        var list = new List<IPAddress>();
        for (var i = 0; i + 6 <= rdLength && o + i + 6 <= p.Length; i += 6)
        {
            list.Add(new IPAddress(p.Slice(o + i + 2, 4)));
        }

        return list;
    }

    private static int SkipName(ReadOnlySpan<byte> p, int o)
    {
        while (o >= 0 && o < p.Length)
        {
            var len = p[o];
            if (len == 0)
            {
                return o + 1;
            }

            if ((len & 0xC0) == 0xC0)
            {
                return o + 2;
            }

            o += 1 + len;
        }

        return -1;
    }
}
