using System.Collections.Concurrent;
using System.Net;
using NetBios.Wire.NameService;

namespace NetBios.NameService;

/// <summary>
/// Fixed names instead of a name service: a set of local names (every one registered) and an address book for
/// resolution. The seams for a session or datagram engine used on its own — a benchmark, a test, a server that knows
/// its peers' addresses.
/// </summary>
/// <remarks>Thread safety: all members may be called concurrently, also while engines use the instance.</remarks>
public sealed class StaticNames : ILocalNameRegistry, INameResolver
{
    private readonly ConcurrentDictionary<NetBiosName, LocalName> _local = new();
    private readonly ConcurrentDictionary<NetBiosName, IPAddress[]> _addresses = new();

    /// <summary>Creates the set with <paramref name="localNames"/> (unique names).</summary>
    /// <param name="localNames">The names that are "registered here".</param>
    public StaticNames(params IEnumerable<NetBiosName> localNames)
    {
        ArgumentNullException.ThrowIfNull(localNames);
        foreach (var name in localNames)
        {
            AddLocal(name);
        }
    }

    /// <summary>Adds a local (registered) name.</summary>
    /// <param name="name">The name.</param>
    /// <param name="isGroup">True for a group name.</param>
    public void AddLocal(NetBiosName name, bool isGroup = false) =>
        _local.TryAdd(name, new LocalName(name, isGroup, isPermanent: false) { State = LocalNameState.Registered });

    /// <summary>Removes a local name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>False when it was not there.</returns>
    public bool RemoveLocal(NetBiosName name) => _local.TryRemove(name, out _);

    /// <summary>Sets what a name resolves to (nothing: not found).</summary>
    /// <param name="name">The name.</param>
    /// <param name="addresses">Its addresses.</param>
    public void SetAddresses(NetBiosName name, params IPAddress[] addresses) => _addresses[name] = addresses;

    /// <inheritdoc/>
    /// <remarks>Names are used as given: there is no scope to apply.</remarks>
    public NetBiosName ApplyScope(NetBiosName name) => name;

    /// <inheritdoc/>
    public LocalName? FindRegistered(NetBiosName name) => _local.GetValueOrDefault(name);

    /// <inheritdoc/>
    /// <remarks>Answers at once: found with the addresses set for the name (marked <see cref="ResolveSource.Lmhosts"/>, a static table), else not found.</remarks>
    public ValueTask<NameQueryResult> QueryAsync(NetBiosName name, NameQueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var answers = _addresses.TryGetValue(name, out var addresses)
            ? addresses.Select(a => new NameQueryAnswer(a, false, NodeType.B, TimeSpan.Zero, null, ResolveSource.Lmhosts)).ToList()
            : [];
        return ValueTask.FromResult(new NameQueryResult(name, answers.Count > 0 ? QueryOutcome.Found : QueryOutcome.NotFound, answers, null, []));
    }
}
