namespace NetBios.NcbInterface;

/// <summary>What an NCBRESET asks for (<see cref="INetBios.ResetAsync"/>): the LANA's limits, the permanent node name as
/// name number 1, or freeing the LANA. <c>default</c> allocates with the default limits.</summary>
/// <param name="MaxSessions">Most sessions (ncb_callname[0]); 0 for the default.</param>
/// <param name="MaxCommands">Most pending commands (ncb_callname[1]); 0 for the default.</param>
/// <param name="MaxNames">Most names added through the interface (ncb_callname[2]); 0 for the default.</param>
/// <param name="NameNumber1">NAME_NUMBER_1 (ncb_callname[3] non-zero): the permanent node name becomes name number 1.</param>
/// <param name="Free">Frees the LANA (ncb_lsn non-zero): it must be RESET again before use.</param>
public readonly record struct NcbResetRequest(byte MaxSessions = 0, byte MaxCommands = 0, byte MaxNames = 0, bool NameNumber1 = false, bool Free = false)
{
    /// <summary>The synchronous RESET NCB this request stands for, as <see cref="INetBios.Submit"/> takes it.</summary>
    /// <param name="lana">The LANA number.</param>
    /// <returns>A new NCB.</returns>
    public Ncb ToNcb(byte lana)
    {
        var ncb = new Ncb { Command = NcbCommand.Reset, LanaNumber = lana, LocalSessionNumber = Free ? (byte)1 : (byte)0 };
        ncb.CallName[0] = MaxSessions;
        ncb.CallName[1] = MaxCommands;
        ncb.CallName[2] = MaxNames;
        ncb.CallName[3] = NameNumber1 ? (byte)1 : (byte)0;
        return ncb;
    }
}
