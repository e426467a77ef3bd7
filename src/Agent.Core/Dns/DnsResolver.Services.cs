using System.Net;
using System.Text.RegularExpressions;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Consul.Core.Model;
using Consul.Core.State;

namespace Consul.Core.Dns;

/// <summary>Service lookups: tag, RFC 2782 and SRV/A/AAAA answers (Consul's serviceLookup).</summary>
public sealed partial class DnsResolver
{
    private DnsAnswer ServiceQuery(Query ctx, string[] parts, string[] suffixes)
    {
        if (parts.Length < 1 || ParseDatacenter(suffixes, _options.Datacenter) is not { } dc) return NotFound(ctx);
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
        if (CheckDatacenter(ctx, dc, RemoteKind.Service, service) is { } other) return other;
        return ServiceLookup(ctx, service, tag);
    }

    private DnsAnswer ServiceLookup(Query ctx, string service, string? tag)
    {
        if (ctx.Access.TokenNotFound) return LookupFailed;
        var instances = VisibleInstances(ctx, service, tag);
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

    /// <summary>Healthy instances the DNS token may read (node:read and service:read), as Consul's health RPC filters them.</summary>
    private List<ServiceInstance> VisibleInstances(Query ctx, string service, string? tag)
    {
        var instances = CatalogIndex.For(ctx.Snapshot).HealthyInstances(service, tag, _options.OnlyPassing);
        instances.RemoveAll(i => !ctx.Access.InstanceRead(i.Node.Name, i.Service.Service));
        return instances;
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
            if (!seen.Add((node.Name, AddressTranslation.ForService(svc, RecordType.Srv, ctx.Wan), svc.Port))) continue;
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
        var svcAddr = AddressTranslation.ForService(svc, RecordType.Srv, ctx.Wan);
        var nodeAddr = AddressTranslation.ForNode(node, RecordType.Srv, ctx.Wan);
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
            var svcAddr = AddressTranslation.ForService(inst.Service, ctx.Type, ctx.Wan);
            var nodeAddr = AddressTranslation.ForNode(inst.Node, ctx.Type, ctx.Wan);
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
            groups.Add(record is CNameRecord cname
                ? new RecordGroup([cname, .. Chase(ctx, cname.CanonicalName, ttl)], [], IsCname: true)
                : new RecordGroup([record], []));
        }
        return groups;
    }

    /// <summary>
    /// Consul's resolveCNAME for targets inside the Consul domain: the target's A/AAAA/CNAME
    /// records (at most five, with the answer's TTL), at most three levels deep. Targets
    /// outside the domain are left to the client (Consul asks its recursors).
    /// </summary>
    private List<DnsRecordBase> Chase(Query ctx, DomainName target, int ttl)
    {
        if (ctx.Depth <= 0) return [];
        var labels = target.Labels;
        var lower = labels.Select(l => l.ToLowerInvariant()).ToArray();
        if (MatchZone(lower) is not { } zone) return [];
        var answer = ResolveInZone(ctx.Snapshot, ctx.Access, target, RecordType.Any, labels, lower, zone, ctx.Depth - 1, ctx.Remote);
        return answer.Groups.SelectMany(g => g.Answers)
            .Select(r => r switch
            {
                ARecord a => new ARecord(a.Name, ttl, a.Address),
                AaaaRecord a => new AaaaRecord(a.Name, ttl, a.Address),
                CNameRecord c => (DnsRecordBase)new CNameRecord(c.Name, ttl, c.CanonicalName),
                _ => null,
            })
            .OfType<DnsRecordBase>().Take(MaxChasedRecords).ToList();
    }

    private const int MaxChasedRecords = 5;

    private static CNameRecord Cname(Query ctx, string target, int ttl) =>
        new(ctx.Name, ttl, DnsNames.Name(DnsNames.SplitFqdn(target)));

    private static bool SameName(string host, DomainName name) =>
        string.Equals(host.TrimEnd('.'), name.ToString().TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

    private static DomainName NodeFqdn(Query ctx, Node node) =>
        DnsNames.Name([node.Name, "node", ctx.Datacenter, .. ctx.ResponseDomain.Labels]);
}
