namespace Consul.Core.Dns;

/// <summary>What a question about another datacenter needs fetched from it.</summary>
public enum RemoteKind { Service, Node, Query }

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
        _ => $"/v1/query/{Uri.EscapeDataString(Name)}/execute?dc={Uri.EscapeDataString(Datacenter)}",
    };
}

/// <summary>A forwarded read's answer: HTTP status and body.</summary>
public sealed record RemoteReply(int Status, byte[] Body);
