using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Consul.Core.Queries;
using Consul.Core.State;
using Consul.Core.Util;

namespace Consul.Core.Dns;

/// <summary>Prepared query lookups: &lt;query&gt;.query[.&lt;dc&gt;].&lt;domain&gt; (Consul's preparedQueryLookup).</summary>
public sealed partial class DnsResolver
{
    private DnsAnswer PreparedQueryAnswer(Query ctx, string[] parts, string[] suffixes)
    {
        if (parts.Length < 1 || ParseDatacenter(suffixes, _options.Datacenter) is not { } dc) return NotFound(ctx);
        // The name keeps the asker's spelling (labels are matched ignoring case by the lookup).
        var queryName = string.Join('.', ctx.Name.Labels[..parts.Length]);
        if (ctx.Remote is not { FailedOver: true } && CheckDatacenter(ctx, dc, RemoteKind.Query, queryName) is { } other) return other;
        if (ctx.Remote is { } remote) return remote.Query is { } executed ? QueryResultAnswer(ctx, executed, rttOrdered: false) : NotFound(ctx);
        if (ctx.Access.TokenNotFound) return LookupFailed;
        var query = PreparedQueryLookup.Resolve(ctx.Snapshot, queryName);
        if (query is null) return NotFound(ctx);
        var access = query.Token != "" && _options.QueryTokenAccess is { } forToken ? forToken(query.Token) : ctx.Access;
        if (access.TokenNotFound) return LookupFailed;
        // Consul's DNS passes the agent and the client's IP, so the query's own Near decides the sort:
        // "_agent" is this agent's node; "_ip" would need the client's address, which is not passed here.
        var near = query.Service.Near switch { "_agent" => _options.NodeName, "_ip" => "", var node => node };
        var result = PreparedQueryExecution.Execute(ctx.Snapshot, query, _options.Datacenter,
            (n, s) => access.InstanceRead(n.Name, s.Service), _random, near);
        if (result.Nodes.Count == 0 && _options.QueryFailover is not null && PreparedQueryFailover.Configured(query.Service.Failover))
            return new DnsAnswer { Route = AnswerRoute.Remote, Remote = new RemoteLookup(_options.Datacenter, RemoteKind.QueryFailover, queryName), SoaZone = ctx.Zone };
        return QueryResultAnswer(ctx, result, rttOrdered: near != "" && ctx.Snapshot.Coordinates.ContainsKey(near));
    }

    /// <summary>
    /// Whether a name is a local prepared query that may fail over to another datacenter: its
    /// answer then depends on more than the local catalog.
    /// </summary>
    public bool MayFailOver(StateSnapshot snapshot, DomainName name, RecordType type)
    {
        if (_options.QueryFailover is null) return false;
        var lower = name.Labels.Select(l => l.ToLowerInvariant()).ToArray();
        if (MatchZone(lower) is not { } zone) return false;
        var (kind, parts, _) = KindOf(lower[..^zone.Length], type);
        return kind == "query" && parts.Length > 0
            && PreparedQueryLookup.Resolve(snapshot, string.Join('.', name.Labels[..parts.Length])) is { } query
            && PreparedQueryFailover.Configured(query.Service.Failover);
    }

    /// <summary>
    /// An executed query's nodes as records (here or, fetched, in another datacenter, where
    /// coordinates do not compare and Consul does not sort).
    /// </summary>
    private DnsAnswer QueryResultAnswer(Query ctx, QueryExecution result, bool rttOrdered)
    {
        if (result.Nodes.Count == 0) return NotFound(ctx);
        // The query's own DNS TTL wins; otherwise the service TTL configured for its service.
        var ttlSpan = result.DNS.TTL != "" && GoDuration.TryParse(result.DNS.TTL, out var t) ? t : ServiceTtl(result.Service);
        var ttl = DnsRecords.Seconds(ttlSpan);
        var groups = ctx.Type == RecordType.Srv ? SrvGroups(ctx, result.Nodes, ttl) : AddressGroups(ctx, result.Nodes, ttl);
        if (groups.Count == 0) return NoData(ctx);
        return new DnsAnswer
        {
            Groups = groups,
            // The execution shuffled already; an RTT order must survive the response.
            Shuffle = !rttOrdered,
            LimitAddressRecords = ctx.Type != RecordType.Srv,
            SoaZone = ctx.Zone,
        };
    }
}
