using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Consul.Core.Model;

namespace Consul.Core.Dns;

/// <summary>Record constructors with Consul's rules (makeARecord, generateMeta, findWeight).</summary>
internal static class DnsRecords
{
    public static int Seconds(TimeSpan ttl) => (int)Math.Clamp(ttl.TotalSeconds, 0, int.MaxValue);

    /// <summary>Consul's makeARecord: A for IPv4, AAAA for IPv6, when the question type admits it.</summary>
    public static DnsRecordBase? Address(RecordType qtype, DomainName name, IPAddress ip, int ttl)
    {
        if (ip.AddressFamily == AddressFamily.InterNetwork)
            return qtype is RecordType.Srv or RecordType.A or RecordType.Any or RecordType.Ns or RecordType.Txt
                ? new ARecord(name, ttl, ip) : null;
        return qtype is RecordType.Srv or RecordType.Aaaa or RecordType.Any or RecordType.Ns or RecordType.Txt
            ? new AaaaRecord(name, ttl, ip) : null;
    }

    /// <summary>Node meta as TXT records (RFC 1464 "key=value", raw for "rfc1035-" keys), in key order.</summary>
    public static IEnumerable<DnsRecordBase> Meta(DomainName name, Node node, int ttl) =>
        node.Meta.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => (DnsRecordBase)new TxtRecord(name, ttl, DnsNames.MetaText(kv.Key, kv.Value)));

    /// <summary>Consul's findWeight: the service's passing or warning weight by its checks' aggregate status.</summary>
    public static ushort Weight(NodeService svc, IReadOnlyList<HealthCheck> checks)
    {
        var status = checks.Aggregate(HealthStatus.Passing, (acc, c) => HealthStatus.Worst(acc, c.Status));
        var weight = status switch
        {
            HealthStatus.Passing => svc.Weights.Passing,
            HealthStatus.Warning => svc.Weights.Warning,
            _ => 0,
        };
        return (ushort)Math.Clamp(weight, 0, ushort.MaxValue);
    }

    public static SoaRecord Soa(DomainName zone, DnsSoaOptions soa, uint serial) =>
        new(zone, (int)Math.Min(soa.MinTtl, int.MaxValue),
            DnsNames.Name(["ns", .. zone.Labels]), DnsNames.Name(["hostmaster", .. zone.Labels]),
            serial, (int)Math.Min(soa.Refresh, int.MaxValue), (int)Math.Min(soa.Retry, int.MaxValue),
            (int)Math.Min(soa.Expire, int.MaxValue), (int)Math.Min(soa.MinTtl, int.MaxValue));
}
