using NetBios.SessionService;
using NetBios.Station;

namespace NetBios.NcbInterface;

/// <summary>The NCB view of one LANA: its station and what RESET allocated (sessions, commands, names).</summary>
internal sealed class NcbLana(byte number, NetBiosStation station)
{
    /// <summary>Defaults when RESET asks for 0 (docs/LIBNETBIOS.md "RESET": Windows NT gives 16 sessions, 16 commands and
    /// 8 names; we are more generous because the engines are cheap). A RESET asks for at most 254 of each (one byte;
    /// 255 is taken as 254 for sessions and names, whose numbers are 1–254).</summary>
    public const int DefaultSessions = 64, DefaultCommands = 128, DefaultNames = 32;

    private long _sessionMessagesSent;
    private long _sessionMessagesReceived;

    public byte Number { get; } = number;

    public NetBiosStation Station { get; } = station;

    /// <summary>RECEIVE ANY of this LANA, attached to its station's session service (shared if another interface attached it first).</summary>
    public NcbReceiveAnyPool ReceiveAnys { get; } = NcbReceiveAnyPool.AttachTo(station.Sessions);

    public Lock SyncRoot { get; } = new();

    /// <summary>Subscriptions of completed DATAGRAM RECEIVEs waiting for the receive that re-arms them.</summary>
    public NcbDatagramHandovers DatagramHandovers { get; } = new();

    /// <summary>True once RESET allocated the environment.</summary>
    public bool IsReset { get; set; }

    public int MaxSessions { get; set; } = DefaultSessions;

    public int MaxCommands { get; set; } = DefaultCommands;

    public int MaxNames { get; set; } = DefaultNames;

    /// <summary>Commands pending on this LANA now.</summary>
    public int PendingCommands { get; set; }

    /// <summary>The NCB name numbers, which names were added through the NCB interface (RESET deletes them) and which
    /// were deleted while they had sessions (NRC_ACTSES: released when their last session ends).</summary>
    public NcbNameTable Names { get; } = new(NcbNameClaims.Of(station));

    /// <summary>The NCB session table: local session number (1–254) → session.</summary>
    public Dictionary<byte, NcbSession> Sessions { get; } = [];

    /// <summary>Whether <paramref name="session"/> is in this LANA's session table (RECEIVE ANY takes only those).</summary>
    /// <param name="session">A session of the station.</param>
    /// <returns>True when this interface holds it.</returns>
    public bool HasSession(NbssSession session)
    {
        lock (SyncRoot)
        {
            foreach (var entry in Sessions.Values)
            {
                if (entry.Session == session)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Session messages sent through NCB SEND / CHAIN SEND on this LANA since it was created.</summary>
    public long SessionMessagesSent => Interlocked.Read(ref _sessionMessagesSent);

    /// <summary>Whole session messages received through NCB RECEIVE / RECEIVE ANY on this LANA since it was created.</summary>
    public long SessionMessagesReceived => Interlocked.Read(ref _sessionMessagesReceived);

    public void OnSessionMessageSent() => Interlocked.Increment(ref _sessionMessagesSent);

    public void OnSessionMessageReceived() => Interlocked.Increment(ref _sessionMessagesReceived);

    /// <summary>The last local session number handed out (numbers are reused round-robin, as NetBIOS does).</summary>
    public byte LastSessionNumber { get; set; }
}
