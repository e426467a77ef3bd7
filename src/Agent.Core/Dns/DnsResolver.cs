using System.Net;
using System.Text.RegularExpressions;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Consul.Core.Model;
using Consul.Core.State;

namespace Consul.Core.Dns;

/// <summary>
/// Answers questions from a catalog snapshot the way Consul's agent/dns.go does. Pure: no
/// sockets; time only for the SOA serial and randomness only for shuffling, both injected.
/// <see cref="Resolve"/> depends on nothing but the question and the snapshot (cacheable);
/// <see cref="BuildResponse"/> does the per-request part.
/// </summary>
public sealed partial class DnsResolver
{
    private static readonly HashSet<string> QueryKinds = ["service", "connect", "virtual", "ingress", "node", "query", "addr"];

    private readonly DnsOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly string[] _domain;
    private readonly string[] _altDomain;

    public DnsResolver(DnsOptions options, TimeProvider? time = null, Random? random = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        _random = random ?? new Random();
        _domain = DnsNames.DomainLabels(options.Domain);
        _altDomain = DnsNames.DomainLabels(options.AltDomain);
        if (_domain.Length == 0) throw new ArgumentException("DNS domain must not be empty", nameof(options));
    }

    public DnsOptions Options => _options;

    /// <summary>Resolves one question against a snapshot, showing what <paramref name="access"/> may read (everything when null).</summary>
    public DnsAnswer Resolve(StateSnapshot snapshot, DomainName name, RecordType type, DnsAccess? access = null)
    {
        access ??= DnsAccess.Unrestricted;
        var labels = name.Labels;
        var lower = labels.Select(l => l.ToLowerInvariant()).ToArray();
        var zone = MatchZone(lower);
        if (zone is not null) return ResolveInZone(snapshot, access, name, type, labels, lower, zone, MaxCnameDepth, null);
        if (lower.Length > 0 && lower[^1] == "arpa") return ResolvePtr(snapshot, access, name, type, lower);
        return _options.Recursors.Count > 0 ? DnsAnswer.Recurse : DnsAnswer.Refused;
    }

    /// <summary>
    /// Answers a question about another datacenter from what was fetched there (<see cref="RemoteView"/>),
    /// with the same rules and this agent's dns_config; names carry the remote datacenter.
    /// </summary>
    public DnsAnswer ResolveRemote(RemoteView view, DomainName name, RecordType type)
    {
        if (view.Failed) return LookupFailed;
        var labels = name.Labels;
        var lower = labels.Select(l => l.ToLowerInvariant()).ToArray();
        if (MatchZone(lower) is not { } zone) return DnsAnswer.Refused;
        return ResolveInZone(view.Snapshot, DnsAccess.Unrestricted, name, type, labels, lower, zone, MaxCnameDepth, view);
    }

    /// <summary>
    /// The other datacenter a name asks about (its answer needs a remote lookup), or null: cheap
    /// label parsing only, for deciding what may be cached against the local catalog index.
    /// </summary>
    public string? RemoteDatacenterOf(DomainName name, RecordType type)
    {
        var lower = name.Labels.Select(l => l.ToLowerInvariant()).ToArray();
        if (MatchZone(lower) is not { } zone || type is RecordType.Soa or RecordType.Ns or RecordType.Axfr) return null;
        var (kind, _, suffixes) = KindOf(lower[..^zone.Length], type);
        if (kind is not ("service" or "node" or "query")) return null;
        var dc = ParseDatacenter(suffixes, _options.Datacenter);
        return dc is null || string.Equals(dc, _options.Datacenter, StringComparison.OrdinalIgnoreCase) ? null : dc;
    }

    /// <summary>Whether a name falls in the domain or the alt domain.</summary>
    public bool InZone(DomainName name) => MatchZone(name.Labels.Select(l => l.ToLowerInvariant()).ToArray()) is not null;

    /// <summary>Whether answering a name looks at the catalog: the Consul domains and reverse (PTR) names.</summary>
    public bool ReadsCatalog(DomainName name) =>
        InZone(name) || (name.Labels.Length > 0 && name.Labels[^1].Equals("arpa", StringComparison.OrdinalIgnoreCase));

    /// <summary>The configured zone a name falls in (the longer one when both match), or null.</summary>
    private string[]? MatchZone(string[] lower)
    {
        string[]? best = null;
        foreach (var zone in new[] { _domain, _altDomain })
            if (DnsNames.EndsWith(lower, zone) && (best is null || zone.Length > best.Length)) best = zone;
        return best;
    }

    private DnsAnswer ResolveInZone(StateSnapshot snapshot, DnsAccess access, DomainName name, RecordType type, string[] labels, string[] lower, string[] zone,
        int depth, RemoteView? remote)
    {
        var ctx = new Query(snapshot, access, name, type, DnsNames.Name(zone),
            DnsNames.Name(labels[^zone.Length..]), remote?.Datacenter ?? _options.Datacenter, depth)
        {
            Remote = remote,
            Wan = remote is not null && _options.TranslateWanAddrs,
        };
        switch (type)
        {
            case RecordType.Soa:
            {
                var (ns, glue) = NameServers(ctx);
                return new DnsAnswer { SoaInAnswer = true, SoaZone = ctx.Zone, Authority = ns, Glue = glue };
            }
            case RecordType.Ns:
            {
                var (ns, glue) = NameServers(ctx);
                return new DnsAnswer { Groups = ns.Count == 0 ? [] : [new RecordGroup(ns, [])], Glue = glue, SoaZone = ctx.Zone };
            }
            case RecordType.Axfr:
                return new DnsAnswer { ReturnCode = ReturnCode.NotImplemented };
        }
        return Dispatch(ctx, lower[..^zone.Length]);
    }

    /// <summary>Consul's dispatch: find the query kind label scanning from the right.</summary>
    private DnsAnswer Dispatch(Query ctx, string[] labels)
    {
        var (kind, parts, suffixes) = KindOf(labels, ctx.Type);
        return kind switch
        {
            "service" => ServiceQuery(ctx, parts, suffixes),
            "node" => NodeQuery(ctx, parts, suffixes),
            "addr" => AddrQuery(ctx, parts),
            "query" => PreparedQueryAnswer(ctx, parts, suffixes),
            // connect/ingress/virtual have nothing in this catalog to answer from.
            _ => NotFound(ctx),
        };
    }

    private static (string? Kind, string[] Parts, string[] Suffixes) KindOf(string[] labels, RecordType type)
    {
        for (var i = labels.Length - 1; i >= 0; i--)
        {
            if (QueryKinds.Contains(labels[i])) return (labels[i], labels[..i], labels[(i + 1)..]);
            // RFC 2782 names may leave out ".service".
            if (type == RecordType.Srv && labels[i].StartsWith('_')) return ("service", labels[..(i + 1)], labels[(i + 1)..]);
        }
        return (null, [], []);
    }

    private static DnsAnswer NotFound(Query ctx) => new() { ReturnCode = ReturnCode.NxDomain, SoaZone = ctx.Zone };

    /// <summary>Consul's answer when the catalog RPC fails (here: the DNS token does not resolve).</summary>
    private static DnsAnswer LookupFailed { get; } = new() { ReturnCode = ReturnCode.ServerFailure };

    private static DnsAnswer NoData(Query ctx, IReadOnlyList<DnsRecordBase>? extras = null) =>
        new() { SoaZone = ctx.Zone, Groups = extras is { Count: > 0 } ? [new RecordGroup([], extras)] : [] };

    /// <summary>Datacenter from "[.dc]" or "[.dc].dc" suffixes; null when malformed.</summary>
    private static string? ParseDatacenter(string[] suffixes, string local) => suffixes switch
    {
        [] => local,
        [var dc] => dc,
        [var dc, "dc"] => dc,
        _ => null,
    };

    /// <summary>
    /// Null when the datacenter is the one being answered for; for another one, a remote lookup
    /// (<see cref="AnswerRoute.Remote"/>) when it is known (a client agent cannot tell, so it asks
    /// its servers) and this agent can forward, else the answer for a foreign or unknown one.
    /// </summary>
    private DnsAnswer? CheckDatacenter(Query ctx, string dc, RemoteKind kind, string name)
    {
        if (string.Equals(dc, ctx.Datacenter, StringComparison.OrdinalIgnoreCase)) return null;
        if (ctx.Remote is not null) return NotFound(ctx); // a remote view answers for its own datacenter only
        var known = _options.KnownDatacenters().Any(d => string.Equals(d, dc, StringComparison.OrdinalIgnoreCase));
        if (_options.RemoteFetch is not null && (known || _options.DatacentersFromServers))
            return new DnsAnswer { Route = AnswerRoute.Remote, Remote = new RemoteLookup(dc, kind, name), SoaZone = ctx.Zone };
        // Known but no way to ask it (an agent without servers to forward through).
        if (known) return new DnsAnswer { ReturnCode = ReturnCode.ServerFailure };
        return NotFound(ctx); // Consul: "No path to datacenter" → NXDOMAIN
    }

    private void Shuffle<T>(IList<T> items)
    {
        lock (_random)
        {
            for (var i = items.Count - 1; i > 0; i--)
            {
                var j = _random.Next(i + 1);
                (items[i], items[j]) = (items[j], items[i]);
            }
        }
    }

    /// <summary>One question being resolved.</summary>
    private sealed record Query(StateSnapshot Snapshot, DnsAccess Access, DomainName Name, RecordType Type, DomainName Zone, DomainName ResponseDomain, string Datacenter, int Depth)
    {
        /// <summary>Set when answering for another datacenter from what was fetched there.</summary>
        public RemoteView? Remote { get; init; }
        /// <summary>translate_wan_addrs applies: the answer is for another datacenter.</summary>
        public bool Wan { get; init; }
    }

    /// <summary>Consul's maxRecursionLevelDefault for chasing CNAMEs inside the domain.</summary>
    private const int MaxCnameDepth = 3;
}
