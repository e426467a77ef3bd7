using System.Net;
using System.Text.RegularExpressions;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Consul.Core.Model;
using Consul.Core.State;

namespace Consul.Core.Dns;

/// <summary>Node, addr and reverse (PTR) lookups, and the zone's name servers.</summary>
public sealed partial class DnsResolver
{
    private DnsAnswer NodeQuery(Query ctx, string[] parts, string[] suffixes)
    {
        if (parts.Length < 1 || ParseDatacenter(suffixes, _options.Datacenter) is not { } dc) return NotFound(ctx);
        if (CheckDatacenter(ctx, dc, RemoteKind.Node, string.Join('.', parts)) is { } other) return other;
        var wanted = ctx.Type is RecordType.Any or RecordType.A or RecordType.Aaaa or RecordType.Txt;
        // Consul asks the catalog only for these types; with an unresolvable token that RPC fails.
        if (wanted && ctx.Access.TokenNotFound) return LookupFailed;
        if (!ctx.Snapshot.Nodes.TryGetValue(string.Join('.', parts), out var node) || !ctx.Access.NodeRead(node.Name)) return NotFound(ctx);
        if (!wanted) return NoData(ctx);

        var ttl = DnsRecords.Seconds(_options.NodeTtl);
        var answers = new List<DnsRecordBase>();
        var extras = new List<DnsRecordBase>();
        if (ctx.Type != RecordType.Txt)
        {
            var address = AddressTranslation.ForNode(node, ctx.Type, ctx.Wan);
            var ip = DnsNames.ParseIp(address);
            if (ip is not null && DnsRecords.Address(ctx.Type, ctx.Name, ip, ttl) is { } a) answers.Add(a);
            else if (ip is null && address != "")
            {
                var cname = Cname(ctx, address, ttl);
                answers.Add(cname);
                answers.AddRange(Chase(ctx, cname.CanonicalName, ttl));
            }
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

    /// <summary>
    /// Consul's handlePtr: node addresses first, then service addresses, each only among what the
    /// DNS token may read (Consul lists them through the ACL-filtered catalog RPCs); otherwise recurse.
    /// </summary>
    private DnsAnswer ResolvePtr(StateSnapshot snapshot, DnsAccess access, DomainName name, RecordType type, string[] lower)
    {
        if (DnsNames.ParseReverse(lower) is not { } ip) return DnsAnswer.Recurse;
        var index = CatalogIndex.For(snapshot);
        DomainName? target = null;
        if (index.NodesByAddress(ip).FirstOrDefault(access.NodeRead) is { } nodeName)
        {
            var dc = snapshot.Nodes.TryGetValue(nodeName, out var n) && n.Datacenter != "" ? n.Datacenter : _options.Datacenter;
            target = DnsNames.Name([nodeName, "node", dc, .. _domain]);
        }
        else if (index.ServicesByAddress(ip).FirstOrDefault(s => access.InstanceRead(s.Node, s.Service)) is { Service: { } service })
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
        var servers = VisibleInstances(ctx, "consul", null);
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
}
