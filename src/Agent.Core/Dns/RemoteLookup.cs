namespace Consul.Core.Dns;

/// <summary>
/// What a question about another datacenter needs fetched from it; <see cref="QueryFailover"/>:
/// a local prepared query that found nothing and is run in its failover datacenters.
/// </summary>
public enum RemoteKind { Service, Node, Query, QueryFailover }

/// <summary>
/// A lookup in another datacenter, as Consul's DNS does it with Datacenter=dc on its RPCs
/// (Health.ServiceNodes, Catalog.NodeServices, PreparedQuery.Execute): here the equivalent
/// HTTP read, forwarded to that datacenter.
/// </summary>
public sealed record RemoteLookup(string Datacenter, RemoteKind Kind, string Name)
{
    /// <summary>The API read whose answer the lookup is built from.</summary>
    public string PathAndQuery => Kind switch
    {
        RemoteKind.Service => $"/v1/health/service/{Uri.EscapeDataString(Name)}?dc={Uri.EscapeDataString(Datacenter)}",
        RemoteKind.Node => $"/v1/catalog/node/{Uri.EscapeDataString(Name)}?dc={Uri.EscapeDataString(Datacenter)}",
        RemoteKind.Query => $"/v1/query/{Uri.EscapeDataString(Name)}/execute?dc={Uri.EscapeDataString(Datacenter)}",
        _ => throw new InvalidOperationException("failover reads each datacenter's instances itself"),
    };
}

/// <summary>A forwarded read's answer: HTTP status and body.</summary>
public sealed record RemoteReply(int Status, byte[] Body);
