using System.Net;

namespace NetBios.NameService;

/// <summary>One name → address mapping from an LMHOSTS file.</summary>
/// <param name="Name">The name; its suffix is meaningful only when <see cref="AnySuffix"/> is false.</param>
/// <param name="AnySuffix">True when the file gave no 16th byte: the entry answers for every suffix (Windows and Samba behaviour).</param>
/// <param name="Address">The IPv4 address.</param>
/// <param name="Preload">Marked <c>#PRE</c>: kept in the name cache permanently.</param>
/// <param name="Domain">From <c>#DOM:domain</c>: the host is a domain controller of this domain (answers <c>DOMAIN&lt;1C&gt;</c>).</param>
/// <param name="IsGroup">True for the synthetic <c>DOMAIN&lt;1C&gt;</c> group entries that <c>#DOM</c> creates.</param>
public sealed record LmhostsEntry(NetBiosName Name, bool AnySuffix, IPAddress Address, bool Preload, string? Domain, bool IsGroup)
{
    /// <summary>True when this entry answers a query for <paramref name="query"/>.</summary>
    public bool Matches(NetBiosName query)
    {
        if (!string.Equals(query.Scope, Name.Scope, StringComparison.Ordinal))
        {
            return false;
        }

        return AnySuffix ? query.WithSuffix(0).BytesEqual(Name.WithSuffix(0)) : query.BytesEqual(Name);
    }
}
