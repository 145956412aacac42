using System.Collections.Immutable;
using System.Net;
using NetBios.Wire.NameService;

namespace NetBios.NameServer;

/// <summary>
/// The name server's decisions as pure functions of the stored record, the request and the time (docs/WINS.md has the
/// table with its references: RFC 1002 §5.1.2–5.1.4, MS-NBTE §3.2.5, Samba4 source4/nbt_server/wins/winsserver.c).
/// </summary>
internal static class WinsRules
{
    /// <summary>The broadcast address a normal group answers with (RFC 1002 §5.1.4.1, nbtd winsserver.c).</summary>
    public static readonly IPAddress GroupAddress = IPAddress.Broadcast;

    /// <summary>The TTL granted: the request's, clamped to [<see cref="WinsServerOptions.MinimumTtl"/>, <see cref="WinsServerOptions.MaximumTtl"/>].</summary>
    public static uint GrantedTtl(uint requested, WinsServerOptions options) =>
        (uint)Math.Clamp(requested, options.MinimumTtl.TotalSeconds, options.MaximumTtl.TotalSeconds);

    /// <summary>True when the record answers queries now: active and not past its expiry (the scavenger may be late).</summary>
    public static bool IsLive(WinsRecord record, DateTimeOffset now) => record.State == WinsRecordState.Active && (record.IsStatic || record.Expires > now);

    /// <summary>True when <paramref name="address"/> is one of the record's live addresses.</summary>
    public static bool Holds(WinsRecord record, IPAddress address, DateTimeOffset now)
    {
        foreach (var member in record.Addresses)
        {
            if (member.Address.Equals(address) && (record.IsStatic || member.Expires > now))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The live addresses of a record (the ones to challenge, or to answer a query with).</summary>
    public static IReadOnlyList<IPAddress> LiveAddresses(WinsRecord record, DateTimeOffset now) =>
        [.. record.Addresses.Where(a => record.IsStatic || a.Expires > now).Select(a => a.Address)];

    /// <summary>
    /// Decides a registration, overwrite, refresh or multi-homed registration against the stored record.
    /// </summary>
    /// <param name="current">The stored record, or null.</param>
    /// <param name="request">The request.</param>
    /// <param name="now">The time.</param>
    /// <param name="options">TTL limits, special group size.</param>
    /// <param name="own">The server's own address (its node's names are never given away).</param>
    /// <returns>The decision.</returns>
    public static WinsDecision DecideRegistration(WinsRecord? current, in WinsRequest request, DateTimeOffset now, WinsServerOptions options, IPAddress own)
    {
        uint ttl = GrantedTtl(request.Ttl, options);
        var expires = now.AddSeconds(ttl);

        // <1B> is the domain master browser's unique name (MS-BRWS; nbtd): a group claim on it is refused.
        if (request.Name.Suffix == 0x1B && request.IsGroup)
        {
            return WinsDecision.Reject(NameServiceRcode.Refused);
        }

        if (current is null || !IsLive(current, now))
        {
            // Absent, released, tombstoned or expired: anyone may take it (RFC 1002 §5.1.4.1).
            return new WinsDecision(WinsDecisionKind.Write, Fresh(request, expires, own), NameServiceRcode.Ok, "add", ttl);
        }

        if (current.IsStatic)
        {
            // An administrator's entry is never taken; its holder is told yes without a write.
            return Holds(current, request.Source, now) || (current.Type == WinsRecordType.Group && request.IsGroup)
                ? new WinsDecision(WinsDecisionKind.Positive, current, NameServiceRcode.Ok, string.Empty, ttl)
                : WinsDecision.Reject(NameServiceRcode.ActiveError);
        }

        bool holder = Holds(current, request.Source, now);
        if (!holder && !request.Source.Equals(own) && Holds(current, own, now))
        {
            // The server's own node's names: never handed to a foreign registration.
            return WinsDecision.Reject(NameServiceRcode.ActiveError);
        }

        switch (current.Type)
        {
            case WinsRecordType.Group:
                // Normal groups are shared: a group registration refreshes the record, a unique claim is refused.
                return request.IsGroup
                    ? new WinsDecision(WinsDecisionKind.Write, current with { Expires = Max(current.Expires, expires), NodeType = request.NodeType }, NameServiceRcode.Ok, "refresh", ttl)
                    : WinsDecision.Reject(NameServiceRcode.ActiveError);

            case WinsRecordType.SpecialGroup:
                if (!request.IsGroup)
                {
                    return WinsDecision.Reject(NameServiceRcode.ActiveError);
                }

                var members = AddMember(current.Addresses, request.Address, own, expires, now, options.MaxSpecialGroupMembers, out bool added);
                return new WinsDecision(WinsDecisionKind.Write, current with { Addresses = members, Expires = MaxExpiry(members, expires) },
                    NameServiceRcode.Ok, added ? "add" : "refresh", ttl);

            default:
                if (!holder)
                {
                    // A refresh claims to hold the name already: from anyone else it is refused without a challenge.
                    return request.Kind == Wire.NameService.NameServicePacketKind.NameRefreshRequest
                        ? WinsDecision.Reject(NameServiceRcode.ActiveError)
                        : WinsDecision.Challenge;
                }

                if (request.IsGroup)
                {
                    // The holder turns its unique name into a group.
                    return new WinsDecision(WinsDecisionKind.Write, Fresh(request, expires, own), NameServiceRcode.Ok, "add", ttl);
                }

                if (current.Type == WinsRecordType.MultiHomed || request.RecordType == WinsRecordType.MultiHomed)
                {
                    // Multi-homed: refresh (or add) this address only, the others keep their own expiry.
                    var addresses = AddMember(current.Addresses, request.Address, own, expires, now, options.MaxSpecialGroupMembers, out bool isNew);
                    return new WinsDecision(WinsDecisionKind.Write, current with
                    {
                        Type = current.Type == WinsRecordType.MultiHomed || addresses.Length > 1 ? WinsRecordType.MultiHomed : WinsRecordType.Unique,
                        Addresses = addresses,
                        Expires = MaxExpiry(addresses, expires),
                        NodeType = request.NodeType,
                    }, NameServiceRcode.Ok, isNew ? "add" : "refresh", ttl);
                }

                return new WinsDecision(WinsDecisionKind.Write, Fresh(request, expires, own), NameServiceRcode.Ok, "refresh", ttl);
        }
    }

    /// <summary>The record after a challenge the old holders lost (or, <paramref name="merge"/>, a multi-homed owner
    /// that confirmed the new address as its own).</summary>
    public static WinsDecision AfterChallenge(WinsRecord current, in WinsRequest request, DateTimeOffset now, WinsServerOptions options, IPAddress own, bool merge)
    {
        uint ttl = GrantedTtl(request.Ttl, options);
        var expires = now.AddSeconds(ttl);
        if (!merge)
        {
            return new WinsDecision(WinsDecisionKind.Write, Fresh(request, expires, own), NameServiceRcode.Ok, "add", ttl);
        }

        var addresses = AddMember(current.Addresses, request.Address, own, expires, now, options.MaxSpecialGroupMembers, out _);
        return new WinsDecision(WinsDecisionKind.Write, current with { Type = WinsRecordType.MultiHomed, Addresses = addresses, Expires = MaxExpiry(addresses, expires) },
            NameServiceRcode.Ok, "add", ttl);
    }

    /// <summary>
    /// A release (RFC 1002 §5.1.4.3): only a live holder changes the record; unique names become released, members
    /// leave special groups and multi-homed names (released when the last leaves); normal groups are kept until they
    /// expire (their members are not known). Returns null when nothing changes.
    /// </summary>
    public static WinsRecord? DecideRelease(WinsRecord? current, IPAddress source, DateTimeOffset now, WinsServerOptions options)
    {
        if (current is null || current.IsStatic || !IsLive(current, now) || current.Type == WinsRecordType.Group || !Holds(current, source, now))
        {
            return null;
        }

        var remaining = current.Addresses.RemoveAll(a => a.Address.Equals(source) || a.Expires <= now);
        return remaining.IsEmpty || current.Type == WinsRecordType.Unique
            ? current with { State = WinsRecordState.Released, Expires = now + options.ExtinctionInterval }
            : current with { Addresses = remaining, Expires = MaxExpiry(remaining, now) };
    }

    /// <summary>The scavenger's step for a record that is due (MS-WINSRA §3.1.4 scavenging): expired members leave,
    /// active → released → tombstone → deleted (null).</summary>
    public static WinsRecord? Scavenge(WinsRecord record, DateTimeOffset now, WinsServerOptions options)
    {
        if (record.IsStatic)
        {
            return record;
        }

        switch (record.State)
        {
            case WinsRecordState.Active:
                var live = record.Addresses.RemoveAll(a => a.Expires <= now);
                if (record.Type is WinsRecordType.SpecialGroup or WinsRecordType.MultiHomed && !live.IsEmpty)
                {
                    return record with { Addresses = live, Expires = MaxExpiry(live, now) };
                }

                return record.Expires > now ? record : record with { State = WinsRecordState.Released, Expires = now + options.ExtinctionInterval };
            case WinsRecordState.Released:
                return record with { State = WinsRecordState.Tombstone, Expires = now + options.ExtinctionTimeout };
            default:
                return null;
        }
    }

    private static WinsRecord Fresh(in WinsRequest request, DateTimeOffset expires, IPAddress own) => new()
    {
        Name = request.Name,
        Type = request.RecordType,
        State = WinsRecordState.Active,
        NodeType = request.NodeType,
        Addresses = request.RecordType == WinsRecordType.Group ? [] : [new WinsAddress(request.Address, own, expires)],
        Expires = expires,
        Owner = own,
    };

    /// <summary>Adds or refreshes one member; expired members leave; past <paramref name="max"/> the member closest to
    /// expiry makes room (as Samba4's winsdb_addr_list_add).</summary>
    private static ImmutableArray<WinsAddress> AddMember(ImmutableArray<WinsAddress> members, IPAddress address, IPAddress own, DateTimeOffset expires,
        DateTimeOffset now, int max, out bool added)
    {
        var builder = ImmutableArray.CreateBuilder<WinsAddress>(members.Length + 1);
        added = true;
        foreach (var member in members)
        {
            if (member.Address.Equals(address))
            {
                added = false;
            }
            else if (member.Expires > now)
            {
                builder.Add(member);
            }
        }

        while (builder.Count >= max)
        {
            int oldest = 0;
            for (int i = 1; i < builder.Count; i++)
            {
                if (builder[i].Expires < builder[oldest].Expires)
                {
                    oldest = i;
                }
            }

            builder.RemoveAt(oldest);
        }

        builder.Add(new WinsAddress(address, own, expires));
        return builder.ToImmutable();
    }

    private static DateTimeOffset MaxExpiry(ImmutableArray<WinsAddress> members, DateTimeOffset floor)
    {
        var max = floor;
        foreach (var member in members)
        {
            max = Max(max, member.Expires);
        }

        return max;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
