namespace NetBios.NameService;

/// <summary>
/// The seam "names registered here": what the datagram and session engines ask of the station's name table (is a
/// name ours, and usable?) without depending on the name service that keeps it.
/// </summary>
public interface ILocalNameRegistry
{
    /// <summary>The name with the station's scope applied when it has none.</summary>
    /// <param name="name">A name.</param>
    /// <returns>The scoped name.</returns>
    NetBiosName ApplyScope(NetBiosName name);

    /// <summary>The local name when it is registered and usable (not registering, in conflict or being deleted), else
    /// <see langword="null"/>. The name is matched exactly, bytes and scope: apply <see cref="ApplyScope"/> first to a
    /// name a user typed.</summary>
    /// <param name="name">A name.</param>
    /// <returns>The entry, or <see langword="null"/>.</returns>
    LocalName? FindRegistered(NetBiosName name);
}
