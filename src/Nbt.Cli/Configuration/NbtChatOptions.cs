namespace Nbt.Cli.Configuration;

/// <summary>
/// <c>nbt chat</c>'s own options, bound from the <c>"chat"</c> section (or top-level keys, or the command line):
/// <c>group</c> (the chat's group name, RFC 1001 §15.2.2), <c>broadcast</c>. The group name is checked where the scope
/// is known.
/// </summary>
internal sealed class NbtChatOptions
{
    /// <summary>The chat's group name, GROUP[#xx].</summary>
    public string Group { get; set; } = "NBTCHAT";

    /// <summary>Send lines as BROADCAST datagrams (RFC 1002 §4.4.1) instead of DIRECT_GROUP ones.</summary>
    public bool Broadcast { get; set; }
}
