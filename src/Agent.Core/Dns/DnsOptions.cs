using System.Net;

namespace Consul.Core.Dns;

/// <summary>Consul's SOA settings (dns_config.soa).</summary>
public sealed record DnsSoaOptions
{
    public uint Expire { get; init; } = 86400;
    public uint MinTtl { get; init; }
    public uint Refresh { get; init; } = 3600;
    public uint Retry { get; init; } = 600;
}

/// <summary>
/// The DNS interface settings: Consul's <c>domain</c>, <c>alt_domain</c>, <c>recursors</c>,
/// <c>ports.dns</c> and <c>dns_config.*</c>, with Consul's defaults.
/// </summary>
public sealed record DnsOptions
{
    public string Domain { get; init; } = "consul.";
    public string? AltDomain { get; init; }
    public string Datacenter { get; init; } = "dc1";
    public string NodeName { get; init; } = "";
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;
    /// <summary>0 binds an ephemeral port; <see cref="ConsulDnsServer.Port"/> then reports it.</summary>
    public int Port { get; init; } = 8600;
    /// <summary>Upstream resolvers, "ip" or "ip:port" ("[v6]:port" for IPv6); port 53 when omitted.</summary>
    public IReadOnlyList<string> Recursors { get; init; } = [];
    public TimeSpan RecursorTimeout { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>dns_config.recursor_strategy: try recursors in order (default) or in a random order per query.</summary>
    public RecursorStrategy RecursorStrategy { get; init; } = RecursorStrategy.Sequential;
    /// <summary>
    /// True: answer from local state (a stale read) unless it last heard from the leader more than
    /// <see cref="MaxStale"/> ago. False: every catalog lookup first waits for the leader to vouch
    /// for an index (needs the server's command log, see <see cref="ConsulDnsServer"/>).
    /// </summary>
    public bool AllowStale { get; init; } = true;
    public TimeSpan MaxStale { get; init; } = TimeSpan.FromHours(87600);
    public TimeSpan NodeTtl { get; init; } = TimeSpan.Zero;
    /// <summary>Per-service TTLs; keys ending in "*" match by prefix ("*" matches every service).</summary>
    public IReadOnlyDictionary<string, TimeSpan> ServiceTtl { get; init; } = new Dictionary<string, TimeSpan>();
    public bool EnableTruncate { get; init; }
    public bool OnlyPassing { get; init; }
    public int UdpAnswerLimit { get; init; } = 3;
    /// <summary>Maximum A/AAAA records per service answer; 0 = no limit.</summary>
    public int ARecordLimit { get; init; }
    /// <summary>Consul's enable_additional_node_meta_txt.</summary>
    public bool EnableAdditionalNodeMetaTxt { get; init; } = true;
    /// <summary>Send names uncompressed (ARSoft always compresses; the server expands the encoded message).</summary>
    public bool DisableCompression { get; init; }
    public DnsSoaOptions Soa { get; init; } = new();
    /// <summary>Datacenters known to the cluster (WAN members); the local one is always known.</summary>
    public Func<IReadOnlyList<string>> KnownDatacenters { get; init; } = static () => [];
    /// <summary>
    /// What the DNS token may see, asked once per query (ACL tables and the token can change at
    /// any time). The default sees everything (ACLs disabled).
    /// </summary>
    public Func<DnsAccess> Access { get; init; } = static () => DnsAccess.Unrestricted;
    /// <summary>
    /// What a prepared query's own stored token may see (its results are filtered with it instead
    /// of the DNS token). Null: the DNS token's access is used.
    /// </summary>
    public Func<string, DnsAccess>? QueryTokenAccess { get; init; }
    /// <summary>
    /// Reads from another datacenter (a forwarded GET of the given path and query, with the DNS
    /// token); null: this agent cannot ask other datacenters, and their names answer SERVFAIL.
    /// </summary>
    public Func<RemoteLookup, CancellationToken, Task<RemoteReply>>? RemoteFetch { get; init; }
    /// <summary>
    /// Runs a local prepared query that found nothing in the datacenters its Failover names
    /// (Consul's queryFailover), with its own token or the DNS token; null: no failover.
    /// </summary>
    public Func<Queries.QueryExecution, State.PreparedQuery, CancellationToken, Task<Queries.QueryExecution>>? QueryFailover { get; init; }
    /// <summary>
    /// A client agent has no WAN view: any other datacenter is asked of its servers, which answer
    /// "No path to datacenter" (NXDOMAIN) for unknown ones.
    /// </summary>
    public bool DatacentersFromServers { get; init; }
    /// <summary>translate_wan_addrs: answers for another datacenter use "wan" tagged addresses when set.</summary>
    public bool TranslateWanAddrs { get; init; }
    /// <summary>
    /// How long a fetched remote view is reused (a remote change does not move the local index);
    /// zero: not at all, only shared by identical questions while it is being fetched. The agent
    /// sets it from dns_config.use_cache and cache_max_age.
    /// </summary>
    public TimeSpan RemoteCacheMaxAge { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>How long a cached answer may live even when the catalog did not change.</summary>
    public TimeSpan AnswerCacheMaxAge { get; init; } = TimeSpan.FromSeconds(5);
}
