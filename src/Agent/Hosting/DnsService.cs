using System.Net;
using Consul.Agent.Config;
using Consul.Core.Cluster;
using Consul.Core.Dns;
using Consul.Core.State;

namespace Consul.Agent.Hosting;

/// <summary>Runs the DNS interface on the dns port of each DNS address (UDP and TCP).</summary>
public sealed class DnsService(AgentConfig config, StateStore store, IClusterView cluster, TimeProvider time, ILoggerFactory logs) : IHostedService
{
    private readonly List<ConsulDnsServer> _servers = new();

    public static DnsOptions OptionsFor(AgentConfig c, IPAddress bind, IClusterView cluster) => new()
    {
        Domain = c.Domain,
        AltDomain = string.IsNullOrEmpty(c.AltDomain) ? null : c.AltDomain,
        Datacenter = c.Datacenter,
        NodeName = c.NodeName,
        BindAddress = bind,
        Port = c.Ports.Dns,
        Recursors = c.Recursors,
        RecursorTimeout = c.Dns.RecursorTimeout,
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
    };

    public async Task StartAsync(CancellationToken ct)
    {
        if (config.Ports.Dns < 0) return;
        var addrs = config.Addresses.Dns is { Length: > 0 } d ? d.Split(' ', StringSplitOptions.RemoveEmptyEntries) : config.ClientAddrs;
        foreach (var addr in addrs)
        {
            var server = new ConsulDnsServer(OptionsFor(config, IPAddress.Parse(addr), cluster), store, logs, time);
            await server.StartAsync(ct);
            _servers.Add(server);
        }
    }

    public async Task StopAsync(CancellationToken ct)
    {
        foreach (var s in _servers) await s.DisposeAsync();
        _servers.Clear();
    }
}
