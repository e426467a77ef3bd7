namespace Consul.Agent.Http;

/// <summary>
/// Which API routes honour ?dc by sending the request to that datacenter, as Consul's endpoints
/// do (their RPCs carry the Datacenter and the server forwards them): catalog, health, kv, txn,
/// session, query, event/fire, status, operator raft/autopilot, acl, coordinate nodes. Always
/// answered here: /v1/agent/* (this agent), the datacenter lists and /v1/event/list (this
/// agent's event buffer).
/// </summary>
public static class ForwardableRoutes
{
    private static readonly string[] LocalOnly =
    [
        "/v1/agent/", "/v1/catalog/datacenters", "/v1/coordinate/datacenters", "/v1/event/list", "/v1/operator/keyring",
    ];

    public static bool Forwards(string path) =>
        path.StartsWith("/v1/", StringComparison.Ordinal)
        && !LocalOnly.Any(prefix => path.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>
    /// What a client agent cannot know itself and asks a server of its own datacenter: the
    /// datacenter list and the servers' WAN coordinates (Consul's ListDatacenters RPCs).
    /// </summary>
    public static bool ServersAnswer(string method, string path) =>
        HttpMethods.IsGet(method) && path is "/v1/catalog/datacenters" or "/v1/coordinate/datacenters";

    /// <summary>Catalog writes name their datacenter in the body (Datacenter field), not the query.</summary>
    public static bool TakesDatacenterFromBody(string method, string path) =>
        HttpMethods.IsPut(method) && path is "/v1/catalog/register" or "/v1/catalog/deregister";
}
