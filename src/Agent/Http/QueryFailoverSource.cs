using System.Text.Json;
using Consul.Agent.Config;
using Consul.Core.Cluster;
using Consul.Core.Dns;
using Consul.Core.Queries;
using Consul.Core.Rpc;
using Consul.Core.State;

namespace Consul.Agent.Http;

/// <summary>
/// The agent's side of prepared-query failover (<see cref="PreparedQueryFailover"/>), for the
/// HTTP API and DNS alike. Consul ships the query to the other datacenter (ExecuteRemote); here
/// that datacenter's instances of the service are read through the same forwarding as a ?dc
/// request — GET /v1/health/service/&lt;service&gt;, filtered there by the query's token (else the
/// caller's) — and the query's filters run on them here. The datacenter list comes nearest first;
/// a client agent asks its servers for it, as for /v1/catalog/datacenters.
/// </summary>
public sealed class QueryFailoverSource(DatacenterForwarder forwarder, AgentConfig config, IClusterView cluster, ILoggerFactory logs)
{
    /// <summary>A datacenter that takes longer than this is skipped, as a failed ExecuteRemote is.</summary>
    public static readonly TimeSpan RemoteTimeout = TimeSpan.FromSeconds(10);

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };
    private readonly ILogger _log = logs.CreateLogger("agent.prepared_query");

    /// <summary><paramref name="local"/> itself unless it found nothing and the query has failover set.</summary>
    public async Task<QueryExecution> RunAsync(QueryExecution local, PreparedQuery query, string? token, int limit, CancellationToken ct)
    {
        if (local.Nodes.Count > 0 || !PreparedQueryFailover.Configured(query.Service.Failover)) return local;
        var datacenters = PreparedQueryFailover.Datacenters(query.Service.Failover, config.Datacenter, await DatacentersAsync(ct));
        return await PreparedQueryFailover.RunAsync(local, query, datacenters,
            (dc, c) => InstancesAsync(dc, query.Service.Service, token, c), Random.Shared, limit, ct);
    }

    private async Task<IReadOnlyList<string>> DatacentersAsync(CancellationToken ct)
    {
        if (config.Server) return cluster.Datacenters();
        var reply = await ForwardAsync(config.Datacenter, "/v1/catalog/datacenters", null, ct);
        return reply?.Status == 200 ? JsonSerializer.Deserialize<List<string>>(reply.Body, Json) ?? [] : [];
    }

    private async Task<IReadOnlyList<ServiceInstance>?> InstancesAsync(string dc, string service, string? token, CancellationToken ct)
    {
        var path = $"/v1/health/service/{Uri.EscapeDataString(service)}?dc={Uri.EscapeDataString(dc)}";
        var reply = await ForwardAsync(dc, path, token, ct);
        if (reply is null) return null;
        if (reply.Status != 200)
        {
            _log.LogWarning("Failed querying for service in datacenter: service={Service} datacenter={Datacenter} error=\"{Status} {Body}\"",
                service, dc, reply.Status, System.Text.Encoding.UTF8.GetString(reply.Body));
            return null;
        }
        try
        {
            return RemoteView.Instances(reply.Body);
        }
        catch (JsonException e)
        {
            _log.LogWarning("Failed querying for service in datacenter: service={Service} datacenter={Datacenter} error=\"{Error}\"", service, dc, e.Message);
            return null;
        }
    }

    private async Task<ForwardedHttpResponse?> ForwardAsync(string dc, string pathAndQuery, string? token, CancellationToken ct)
    {
        try
        {
            return await forwarder.GetAsync(dc, pathAndQuery, token, RemoteTimeout, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            _log.LogWarning("Failed querying datacenter {Datacenter} for prepared query failover: {Error}", dc, e.Message);
            return null;
        }
    }
}
