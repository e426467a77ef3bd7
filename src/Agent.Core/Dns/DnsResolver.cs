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

    /// <summary>Resolves one question against a snapshot.</summary>
    public DnsAnswer Resolve(StateSnapshot snapshot, DomainName name, RecordType type)
    {
        var labels = name.Labels;
        var lower = labels.Select(l => l.ToLowerInvariant()).ToArray();
        var zone = MatchZone(lower);
        if (zone is not null) return ResolveInZone(snapshot, name, type, labels, lower, zone);
        if (lower.Length > 0 && lower[^1] == "arpa") return ResolvePtr(snapshot, name, type, lower);
        return _options.Recursors.Count > 0 ? DnsAnswer.Recurse : DnsAnswer.Refused;
    }

    /// <summary>The configured zone a name falls in (the longer one when both match), or null.</summary>
    private string[]? MatchZone(string[] lower)
    {
        string[]? best = null;
        foreach (var zone in new[] { _domain, _altDomain })
            if (DnsNames.EndsWith(lower, zone) && (best is null || zone.Length > best.Length)) best = zone;
        return best;
    }

    private DnsAnswer ResolveInZone(StateSnapshot snapshot, DomainName name, RecordType type, string[] labels, string[] lower, string[] zone)
    {
        var ctx = new Query(snapshot, name, type, DnsNames.Name(zone),
            DnsNames.Name(labels[^zone.Length..]), _options.Datacenter);
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
        string? kind = null;
        string[] parts = [], suffixes = [];
        for (var i = labels.Length - 1; i >= 0 && kind is null; i--)
        {
            if (QueryKinds.Contains(labels[i]))
            {
                (kind, parts, suffixes) = (labels[i], labels[..i], labels[(i + 1)..]);
            }
            else if (ctx.Type == RecordType.Srv && labels[i].StartsWith('_'))
            {
                // RFC 2782 names may leave out ".service".
                (kind, parts, suffixes) = ("service", labels[..(i + 1)], labels[(i + 1)..]);
            }
        }
        return kind switch
        {
            "service" => ServiceQuery(ctx, parts, suffixes),
            "node" => NodeQuery(ctx, parts, suffixes),
            "addr" => AddrQuery(ctx, parts),
            // connect/ingress/virtual/prepared queries have nothing in this catalog to answer from.
            _ => NotFound(ctx),
        };
    }

    private static DnsAnswer NotFound(Query ctx) => new() { ReturnCode = ReturnCode.NxDomain, SoaZone = ctx.Zone };

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

    /// <summary>Null when the datacenter is ours; otherwise the answer for a foreign or unknown one.</summary>
    private DnsAnswer? CheckDatacenter(Query ctx, string dc)
    {
        if (string.Equals(dc, _options.Datacenter, StringComparison.OrdinalIgnoreCase)) return null;
        // A known remote datacenter needs cross-DC forwarding, which this agent does not do yet.
        if (_options.KnownDatacenters().Any(d => string.Equals(d, dc, StringComparison.OrdinalIgnoreCase)))
            return new DnsAnswer { ReturnCode = ReturnCode.ServerFailure };
        return NotFound(ctx); // Consul: "No path to datacenter" → NXDOMAIN
    }

    private DnsAnswer ServiceQuery(Query ctx, string[] parts, string[] suffixes)
    {
        if (parts.Length < 1 || ParseDatacenter(suffixes, _options.Datacenter) is not { } dc) return NotFound(ctx);
        if (CheckDatacenter(ctx, dc) is { } other) return other;
        string service;
        string? tag;
        if (parts.Length == 2 && parts[0].StartsWith('_') && parts[1].StartsWith('_'))
        {
            // _name._tag.service.consul; "_tcp" means no tag filter.
            service = parts[0][1..];
            tag = parts[1][1..] == "tcp" ? null : parts[1][1..];
        }
        else
        {
            service = parts[^1];
            tag = parts.Length >= 2 ? string.Join('.', parts[..^1]) : null;
        }
        return ServiceLookup(ctx with { Datacenter = _options.Datacenter }, service, tag);
    }

    private DnsAnswer ServiceLookup(Query ctx, string service, string? tag)
    {
        var instances = CatalogIndex.For(ctx.Snapshot).HealthyInstances(service, tag, _options.OnlyPassing);
        if (instances.Count == 0) return NotFound(ctx);
        var ttl = DnsRecords.Seconds(ServiceTtl(service));
        var groups = ctx.Type == RecordType.Srv ? SrvGroups(ctx, instances, ttl) : AddressGroups(ctx, instances, ttl);
        if (groups.Count == 0) return NoData(ctx);
        return new DnsAnswer
        {
            Groups = groups,
            Shuffle = true,
            LimitAddressRecords = ctx.Type != RecordType.Srv,
            SoaZone = ctx.Zone,
        };
    }

    /// <summary>Consul's GetTTLForService: exact name, else the longest "prefix*" key, else 0.</summary>
    internal TimeSpan ServiceTtl(string service)
    {
        TimeSpan? best = null;
        var bestLength = -1;
        foreach (var (key, ttl) in _options.ServiceTtl)
        {
            if (!key.EndsWith('*'))
            {
                if (string.Equals(key, service, StringComparison.OrdinalIgnoreCase)) return ttl;
                continue;
            }
            var prefix = key[..^1];
            if (prefix.Length > bestLength && service.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                (best, bestLength) = (ttl, prefix.Length);
        }
        return best ?? TimeSpan.Zero;
    }

    private List<RecordGroup> SrvGroups(Query ctx, List<ServiceInstance> instances, int ttl)
    {
        var groups = new List<RecordGroup>();
        var seen = new HashSet<(string, string, int)>();
        foreach (var inst in instances)
        {
            var (node, svc) = (inst.Node, inst.Service);
            if (!seen.Add((node.Name, AddressTranslation.ForService(svc, RecordType.Srv), svc.Port))) continue;
            if (SrvTarget(ctx, node, svc, ttl) is not { } target) continue;
            var srv = new SrvRecord(ctx.Name, ttl, 1, DnsRecords.Weight(svc, inst.Checks), (ushort)Math.Clamp(svc.Port, 0, ushort.MaxValue), target.Name);
            var extras = new List<DnsRecordBase>();
            if (target.Address is not null) extras.Add(target.Address);
            if (_options.EnableAdditionalNodeMetaTxt) extras.AddRange(DnsRecords.Meta(NodeFqdn(ctx, node), node, ttl));
            groups.Add(new RecordGroup([srv], extras));
        }
        return groups;
    }

    /// <summary>Consul's nodeServiceRecords for SRV: node name, hex addr name, or an external host name.</summary>
    private (DomainName Name, DnsRecordBase? Address)? SrvTarget(Query ctx, Node node, NodeService svc, int ttl)
    {
        var svcAddr = AddressTranslation.ForService(svc, RecordType.Srv);
        var nodeAddr = AddressTranslation.ForNode(node, RecordType.Srv);
        if (svcAddr == "" && nodeAddr == "") return null;
        var nodeIp = DnsNames.ParseIp(nodeAddr);
        if (svcAddr == "")
        {
            if (nodeIp is null) return (DnsNames.Name(DnsNames.SplitFqdn(nodeAddr)), null);
            // A translated (tagged) node address is named by its hex form, not the node name.
            return nodeAddr == node.Address ? NodeTarget(ctx, node, nodeIp, ttl) : HexTarget(ctx, nodeIp, ttl);
        }
        if (DnsNames.ParseIp(svcAddr) is { } svcIp) return HexTarget(ctx, svcIp, ttl);
        if (nodeIp is not null && SameName(svcAddr, ctx.Name)) return NodeTarget(ctx, node, nodeIp, ttl);
        return (DnsNames.Name(DnsNames.SplitFqdn(svcAddr)), null);
    }

    private static (DomainName, DnsRecordBase?) NodeTarget(Query ctx, Node node, IPAddress ip, int ttl)
    {
        var fqdn = NodeFqdn(ctx, node);
        return (fqdn, DnsRecords.Address(RecordType.Srv, fqdn, ip, ttl));
    }

    private static (DomainName, DnsRecordBase?) HexTarget(Query ctx, IPAddress ip, int ttl)
    {
        var fqdn = DnsNames.Name([DnsNames.HexAddress(ip), "addr", ctx.Datacenter, .. ctx.ResponseDomain.Labels]);
        return (fqdn, DnsRecords.Address(RecordType.Srv, fqdn, ip, ttl));
    }

    /// <summary>Consul's serviceNodeRecords: one A/AAAA (or CNAME) per distinct instance address.</summary>
    private List<RecordGroup> AddressGroups(Query ctx, List<ServiceInstance> instances, int ttl)
    {
        var groups = new List<RecordGroup>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var inst in instances)
        {
            var svcAddr = AddressTranslation.ForService(inst.Service, ctx.Type);
            var nodeAddr = AddressTranslation.ForNode(inst.Node, ctx.Type);
            if (svcAddr == "" && nodeAddr == "") continue;
            var nodeIp = DnsNames.ParseIp(nodeAddr);
            var svcIp = DnsNames.ParseIp(svcAddr);
            DnsRecordBase? record;
            if (svcAddr == "")
                record = nodeIp is null ? Cname(ctx, nodeAddr, ttl) : DnsRecords.Address(ctx.Type, ctx.Name, nodeIp, ttl);
            else if (svcIp is not null)
                record = DnsRecords.Address(ctx.Type, ctx.Name, svcIp, ttl);
            else if (nodeIp is not null && SameName(svcAddr, ctx.Name))
                record = DnsRecords.Address(ctx.Type, ctx.Name, nodeIp, ttl);
            else
                record = Cname(ctx, svcAddr, ttl);
            if (record is null || !seen.Add(record.ToString())) continue;
            groups.Add(new RecordGroup([record], [], record is CNameRecord));
        }
        return groups;
    }

    private static CNameRecord Cname(Query ctx, string target, int ttl) =>
        new(ctx.Name, ttl, DnsNames.Name(DnsNames.SplitFqdn(target)));

    private static bool SameName(string host, DomainName name) =>
        string.Equals(host.TrimEnd('.'), name.ToString().TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

    private static DomainName NodeFqdn(Query ctx, Node node) =>
        DnsNames.Name([node.Name, "node", ctx.Datacenter, .. ctx.ResponseDomain.Labels]);

    private DnsAnswer NodeQuery(Query ctx, string[] parts, string[] suffixes)
    {
        if (parts.Length < 1 || ParseDatacenter(suffixes, _options.Datacenter) is not { } dc) return NotFound(ctx);
        if (CheckDatacenter(ctx, dc) is { } other) return other;
        if (!ctx.Snapshot.Nodes.TryGetValue(string.Join('.', parts), out var node)) return NotFound(ctx);
        if (ctx.Type is not (RecordType.Any or RecordType.A or RecordType.Aaaa or RecordType.Txt)) return NoData(ctx);

        var ttl = DnsRecords.Seconds(_options.NodeTtl);
        var answers = new List<DnsRecordBase>();
        var extras = new List<DnsRecordBase>();
        if (ctx.Type != RecordType.Txt)
        {
            var address = AddressTranslation.ForNode(node, ctx.Type);
            var ip = DnsNames.ParseIp(address);
            if (ip is not null && DnsRecords.Address(ctx.Type, ctx.Name, ip, ttl) is { } a) answers.Add(a);
            else if (ip is null && address != "") answers.Add(Cname(ctx, address, ttl));
        }
        var meta = DnsRecords.Meta(ctx.Name, node, ttl);
        if (ctx.Type is RecordType.Txt or RecordType.Any) answers.AddRange(meta);
        else if (_options.EnableAdditionalNodeMetaTxt) extras.AddRange(meta);
        if (answers.Count == 0) return NoData(ctx, extras);
        return new DnsAnswer { Groups = [new RecordGroup(answers, extras)], SoaZone = ctx.Zone };
    }

    /// <summary>&lt;hex&gt;.addr[.dc].domain: the address itself; the datacenter label is ignored, as in Consul.</summary>
    private DnsAnswer AddrQuery(Query ctx, string[] parts)
    {
        if (parts.Length != 1 || DnsNames.ParseHexAddress(parts[0]) is not { } ip) return NotFound(ctx);
        var ttl = DnsRecords.Seconds(_options.NodeTtl);
        DnsRecordBase record = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? new ARecord(ctx.Name, ttl, ip)
            : new AaaaRecord(ctx.Name, ttl, ip);
        var wanted = ctx.Type == RecordType.Any || ctx.Type == record.RecordType;
        return wanted
            ? new DnsAnswer { Groups = [new RecordGroup([record], [])], SoaZone = ctx.Zone }
            : NoData(ctx, [record]);
    }

    /// <summary>Consul's handlePtr: node addresses first, then service addresses; otherwise recurse.</summary>
    private DnsAnswer ResolvePtr(StateSnapshot snapshot, DomainName name, RecordType type, string[] lower)
    {
        if (DnsNames.ParseReverse(lower) is not { } ip) return DnsAnswer.Recurse;
        var index = CatalogIndex.For(snapshot);
        DomainName? target = null;
        if (index.NodeByAddress(ip) is { } nodeName)
        {
            var dc = snapshot.Nodes.TryGetValue(nodeName, out var n) && n.Datacenter != "" ? n.Datacenter : _options.Datacenter;
            target = DnsNames.Name([nodeName, "node", dc, .. _domain]);
        }
        else if (index.ServiceByAddress(ip) is { } service)
        {
            target = DnsNames.Name([service, "service", _options.Datacenter, .. _domain]);
        }
        if (target is null) return DnsAnswer.Recurse;
        var zone = DnsNames.Name(_domain);
        if (type is not (RecordType.Ptr or RecordType.Any)) return new DnsAnswer { SoaZone = zone };
        return new DnsAnswer { Groups = [new RecordGroup([new PtrRecord(name, 0, target)], [])], SoaZone = zone };
    }

    [GeneratedRegex("[^A-Za-z0-9\\-]+")]
    private static partial Regex InvalidNodeName();

    /// <summary>Consul's nameservers: up to three healthy "consul" service nodes as NS, with glue.</summary>
    private (List<DnsRecordBase> Ns, List<DnsRecordBase> Glue) NameServers(Query ctx)
    {
        var ns = new List<DnsRecordBase>();
        var glue = new List<DnsRecordBase>();
        var servers = CatalogIndex.For(ctx.Snapshot).HealthyInstances("consul", null, _options.OnlyPassing);
        Shuffle(servers);
        var ttl = DnsRecords.Seconds(_options.NodeTtl);
        foreach (var inst in servers)
        {
            var node = inst.Node;
            if (InvalidNodeName().IsMatch(node.Name)) continue;
            var dc = node.Datacenter != "" ? node.Datacenter : _options.Datacenter;
            var fqdn = DnsNames.Name(new[] { node.Name, "node", dc }.Concat(ctx.ResponseDomain.Labels).Select(l => l.ToLowerInvariant()));
            ns.Add(new NsRecord(ctx.ResponseDomain, ttl, fqdn));
            if (DnsNames.ParseIp(AddressTranslation.ForNode(node, RecordType.Any)) is { } ip && DnsRecords.Address(RecordType.Any, fqdn, ip, ttl) is { } a) glue.Add(a);
            if (ns.Count >= 3) break;
        }
        return (ns, glue);
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

    /// <summary>Turns a resolved answer into the response to one query: shuffle, limits, SOA, EDNS, trimming.</summary>
    public DnsMessage BuildResponse(DnsMessage query, DnsAnswer answer, bool tcp)
    {
        var response = query.CreateResponseInstance();
        response.IsRecursionAllowed = _options.Recursors.Count > 0;
        response.IsAuthoritiveAnswer = answer.Route == AnswerRoute.Local;
        response.ReturnCode = answer.ReturnCode;
        if (answer.Route != AnswerRoute.Local) return response;

        var groups = answer.Groups.ToList();
        if (answer.Shuffle) Shuffle(groups);
        if (groups.Any(g => g.IsCname))
        {
            // Consul answers with the first CNAME only when no instance had an address record.
            groups = groups.Any(g => !g.IsCname) ? groups.Where(g => !g.IsCname).ToList() : [groups[0]];
        }
        if (answer.LimitAddressRecords && _options.ARecordLimit > 0 && groups.Count > _options.ARecordLimit)
            groups = groups.Take(_options.ARecordLimit).ToList();

        var extras = new List<DnsRecordBase>();
        foreach (var g in groups)
        {
            response.AnswerRecords.AddRange(g.Answers);
            extras.AddRange(g.Extras);
        }
        extras.AddRange(answer.Glue);
        response.AuthorityRecords.AddRange(answer.Authority);

        if (answer.SoaZone is { } zone)
        {
            if (answer.SoaInAnswer) response.AnswerRecords.Insert(0, Soa(zone));
            else if (answer.ReturnCode == ReturnCode.NxDomain || (answer.ReturnCode == ReturnCode.NoError && response.AnswerRecords.Count == 0))
                response.AuthorityRecords.Add(Soa(zone));
        }
        response.AdditionalRecords.InsertRange(0, extras);

        if (ResponseTrimmer.Trim(query, response, tcp, _options.UdpAnswerLimit) && _options.EnableTruncate)
            response.IsTruncated = true;
        return response;
    }

    private SoaRecord Soa(DomainName zone) =>
        DnsRecords.Soa(zone, _options.Soa, (uint)_time.GetUtcNow().ToUnixTimeSeconds());

    /// <summary>One question being resolved.</summary>
    private sealed record Query(StateSnapshot Snapshot, DomainName Name, RecordType Type, DomainName Zone, DomainName ResponseDomain, string Datacenter);
}
