using System.Net;
using Consul.Agent.Acl;
using Consul.Agent.Config;
using Consul.Agent.Http;
using Consul.Core.Cluster;
using Consul.Core.Dns;
using Consul.Core.State;

namespace Consul.Agent.Hosting;

/// <summary>
/// Runs the DNS interface on the dns port of each DNS address (UDP and TCP). What it answers is
/// limited by the agent's DNS token (acl.tokens.dns, else default, else anonymous), resolved
/// again for every query so token and ACL changes apply at once.
/// </summary>
public sealed class DnsService(AgentConfig config, StateStore store, ICommandLog log, IClusterView cluster, AclGate acl, TimeProvider time, ILoggerFactory logs,
    IServiceProvider services) : IHostedService
{
    /// <summary>A remote lookup that takes longer than this answers SERVFAIL (DNS clients gave up well before).</summary>
    public static readonly TimeSpan RemoteLookupTimeout = TimeSpan.FromSeconds(10);

    private readonly List<ConsulDnsServer> _servers = new();

    /// <summary>Where the DNS servers listen (the bound port when ports.dns is 0).</summary>
    public IReadOnlyList<IPEndPoint> Endpoints { get; private set; } = [];

    public static DnsOptions OptionsFor(AgentConfig c, IPAddress bind, IClusterView cluster, AclGate acl, DatacenterForwarder? forwarder = null,
        QueryFailoverSource? failover = null) => new()
    {
        RemoteFetch = forwarder is null ? null : (lookup, ct) => FetchRemoteAsync(forwarder, acl, lookup, ct),
        QueryFailover = failover is null ? null : async (local, query, ct) =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(RemoteLookupTimeout);
            return await failover.RunAsync(local, query, query.Token != "" ? query.Token : acl.Tokens.Dns, 0, timeout.Token);
        },
        // Servers see the WAN pool; a client agent asks its servers about any other datacenter.
        DatacentersFromServers = !c.Server,
        TranslateWanAddrs = c.TranslateWanAddrs,
        Access = () => AccessFor(acl),
        QueryTokenAccess = token => AccessFor(acl, token),
        Domain = c.Domain,
        AltDomain = string.IsNullOrEmpty(c.AltDomain) ? null : c.AltDomain,
        Datacenter = c.Datacenter,
        NodeName = c.NodeName,
        BindAddress = bind,
        Port = c.Ports.Dns,
        Recursors = c.Recursors,
        RecursorTimeout = c.Dns.RecursorTimeout,
        RecursorStrategy = c.Dns.RecursorStrategy == "random" ? RecursorStrategy.Random : RecursorStrategy.Sequential,
        AllowStale = c.Dns.AllowStale,
        MaxStale = c.Dns.MaxStale,
        NodeTtl = c.Dns.NodeTtl,
        ServiceTtl = c.Dns.ServiceTtl,
        EnableTruncate = c.Dns.EnableTruncate,
        OnlyPassing = c.Dns.OnlyPassing,
        UdpAnswerLimit = c.Dns.UdpAnswerLimit,
        ARecordLimit = c.Dns.ARecordLimit,
        EnableAdditionalNodeMetaTxt = c.Dns.EnableAdditionalNodeMetaTxt,
        DisableCompression = c.Dns.DisableCompression,
        Soa = new DnsSoaOptions { Expire = c.Dns.Soa.Expire, MinTtl = c.Dns.Soa.MinTtl, Refresh = c.Dns.Soa.Refresh, Retry = c.Dns.Soa.Retry },
        KnownDatacenters = cluster.Datacenters,
        RemoteCacheMaxAge = RemoteCacheAge(c.Dns),
    };

    /// <summary>
    /// dns_config.use_cache: answers about other datacenters are reused up to cache_max_age (0: for
    /// 2 s, as there is no background refresh here to keep them fresh). Without it each question
    /// is asked of the other datacenter, as Consul does; identical questions in flight still
    /// share one request. The local datacenter is always answered from this agent's own state.
    /// </summary>
    internal static TimeSpan RemoteCacheAge(DnsConfig dns) =>
        !dns.UseCache ? TimeSpan.Zero : dns.CacheMaxAge > TimeSpan.Zero ? dns.CacheMaxAge : TimeSpan.FromSeconds(2);

    public async Task StartAsync(CancellationToken ct)
    {
        if (config.Ports.Dns < 0) return;
        var addrs = config.Addresses.Dns is { Length: > 0 } d ? d.Split(' ', StringSplitOptions.RemoveEmptyEntries) : config.ClientAddrs;
        foreach (var addr in addrs)
        {
            var server = new ConsulDnsServer(OptionsFor(config, IPAddress.Parse(addr), cluster, acl, services.GetService<DatacenterForwarder>(),
                services.GetService<QueryFailoverSource>()),
                store, logs, time, log: log);
            await server.StartAsync(ct);
            _servers.Add(server);
        }
        Endpoints = _servers.Select((s, i) => new IPEndPoint(IPAddress.Parse(addrs[i]), s.Port)).ToList();
    }

    /// <summary>
    /// A read in another datacenter, forwarded like an HTTP request with ?dc and the DNS token, so
    /// the remote datacenter filters it as Consul's DNS RPCs are filtered there.
    /// </summary>
    private static async Task<RemoteReply> FetchRemoteAsync(DatacenterForwarder forwarder, AclGate acl, RemoteLookup lookup, CancellationToken ct)
    {
        var reply = await forwarder.GetAsync(lookup.Datacenter, lookup.PathAndQuery, acl.Tokens.Dns, RemoteLookupTimeout, ct);
        return new RemoteReply(reply.Status, reply.Body);
    }

    /// <summary>
    /// The DNS token's permissions. Unlike <see cref="AclGate.ForDns"/>, a token that does not
    /// resolve is kept apart from one that may read nothing: Consul's lookups then fail (SERVFAIL)
    /// rather than come back empty (NXDOMAIN).
    /// </summary>
    public static DnsAccess AccessFor(AclGate acl) => AccessFor(acl, acl.Tokens.Dns);

    /// <summary>The permissions of <paramref name="token"/> (a prepared query's stored token), kept apart the same way.</summary>
    public static DnsAccess AccessFor(AclGate acl, string token)
    {
        if (!acl.Enabled) return DnsAccess.Unrestricted;
        try
        {
            return DnsAccess.For(acl.Resolve(token));
        }
        catch (ApiException)
        {
            return DnsAccess.NotFound;
        }
    }

    public async Task StopAsync(CancellationToken ct)
    {
        foreach (var s in _servers) await s.DisposeAsync();
        _servers.Clear();
        Endpoints = [];
    }
}
