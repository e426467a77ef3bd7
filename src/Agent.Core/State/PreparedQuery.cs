using System.Text.Json.Serialization;

namespace Consul.Core.State;

/// <summary>Consul's structs.PreparedQuery, with its JSON field names.</summary>
public sealed record PreparedQuery
{
    public string ID { get; init; } = "";
    public string Name { get; init; } = "";
    public string Session { get; init; } = "";
    /// <summary>Token the query runs with when executed (empty: the caller's).</summary>
    public string Token { get; init; } = "";
    public QueryTemplate Template { get; init; } = new();
    public ServiceQuery Service { get; init; } = new();
    public QueryDns DNS { get; init; } = new();
    public ulong CreateIndex { get; init; }
    public ulong ModifyIndex { get; init; }

    [JsonIgnore] public bool IsTemplate => Template.Type != "";

    /// <summary>Consul's GetACLPrefix: the name governs ACLs when there is one or the query is a template.</summary>
    public bool TryGetAclPrefix(out string prefix)
    {
        prefix = Name;
        return Name != "" || IsTemplate;
    }
}

/// <summary>Consul's structs.QueryTemplateOptions.</summary>
public sealed record QueryTemplate
{
    public const string NamePrefixMatch = "name_prefix_match";

    public string Type { get; init; } = "";
    public string Regexp { get; init; } = "";
    public bool RemoveEmptyTags { get; init; }
}

/// <summary>Consul's structs.ServiceQuery.</summary>
public sealed record ServiceQuery
{
    // In Consul's field order, as its JSON shows them.
    public string Service { get; init; } = "";
    public string SamenessGroup { get; init; } = "";
    public QueryFailover Failover { get; init; } = new();
    public bool OnlyPassing { get; init; }
    public List<string>? IgnoreCheckIDs { get; init; }
    public string Near { get; init; } = "";
    public List<string>? Tags { get; init; }
    public Dictionary<string, string>? NodeMeta { get; init; }
    public Dictionary<string, string>? ServiceMeta { get; init; }
    public string Peer { get; init; } = "";
    public QueryConnect Connect { get; init; } = new();
}

/// <summary>Consul's structs.QueryFailoverOptions.</summary>
public sealed record QueryFailover
{
    public int NearestN { get; init; }
    public List<string>? Datacenters { get; init; }
    public List<QueryFailoverTarget>? Targets { get; init; }
}

public sealed record QueryFailoverTarget
{
    public string Peer { get; init; } = "";
    public string Datacenter { get; init; } = "";
}

public sealed record QueryConnect
{
    public bool Native { get; init; }
}

/// <summary>Consul's structs.QueryDNSOptions.</summary>
public sealed record QueryDns
{
    public string TTL { get; init; } = "";
}
