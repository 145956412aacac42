using NetBios.SessionService;

namespace NetBios.NcbInterface;

/// <summary>An entry of a LANA's NCB session table: the session, its local name's number, and the timeouts the CALL or
/// LISTEN NCB gave it (receive and send timeouts, 500 ms units; 0 = none).</summary>
internal sealed record NcbSession(byte Number, NbssSession Session, byte NameNumber, TimeSpan ReceiveTimeout, TimeSpan SendTimeout)
{
    public static TimeSpan Timeout(byte halfSeconds) => halfSeconds == 0 ? System.Threading.Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(500 * halfSeconds);
}
