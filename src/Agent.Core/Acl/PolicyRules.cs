using System.Text;

namespace Consul.Core.Acl;

/// <summary>
/// The decoded rules of one ACL policy, field for field as Consul's acl.PolicyRules.
/// Rule policies stay as written (validated) strings so error text can echo them.
/// </summary>
public sealed class PolicyRules
{
    public string Acl { get; set; } = "";
    public List<AgentRule> Agents { get; } = [];
    public List<AgentRule> AgentPrefixes { get; } = [];
    public List<KeyRule> Keys { get; } = [];
    public List<KeyRule> KeyPrefixes { get; } = [];
    public List<NodeRule> Nodes { get; } = [];
    public List<NodeRule> NodePrefixes { get; } = [];
    public List<ServiceRule> Services { get; } = [];
    public List<ServiceRule> ServicePrefixes { get; } = [];
    public List<SessionRule> Sessions { get; } = [];
    public List<SessionRule> SessionPrefixes { get; } = [];
    public List<EventRule> Events { get; } = [];
    public List<EventRule> EventPrefixes { get; } = [];
    public List<PreparedQueryRule> PreparedQueries { get; } = [];
    public List<PreparedQueryRule> PreparedQueryPrefixes { get; } = [];
    public string Keyring { get; set; } = "";
    public string Operator { get; set; } = "";
    public string Mesh { get; set; } = "";
    public string Peering { get; set; } = "";
}

/// <summary>Common shape of a named rule: the segment (name or prefix) and its policy.</summary>
public abstract record SegmentRule(string Segment, string Policy)
{
    /// <summary>Go's %#v rendering of the rule, which Consul puts into validation errors.</summary>
    public abstract string GoString();

    internal static string Q(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                case '\r': sb.Append("\\r"); break;
                default:
                    if (c < 0x20) sb.Append($"\\x{(int)c:x2}"); else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }
}

public sealed record AgentRule(string Node, string Policy) : SegmentRule(Node, Policy)
{
    public override string GoString() => $"&acl.AgentRule{{Node:{Q(Node)}, Policy:{Q(Policy)}}}";
}

public sealed record KeyRule(string Prefix, string Policy) : SegmentRule(Prefix, Policy)
{
    public override string GoString() =>
        $"&acl.KeyRule{{Prefix:{Q(Prefix)}, Policy:{Q(Policy)}, EnterpriseRule:acl.EnterpriseRule{{}}}}";
}

public sealed record NodeRule(string Name, string Policy) : SegmentRule(Name, Policy)
{
    public override string GoString() =>
        $"&acl.NodeRule{{Name:{Q(Name)}, Policy:{Q(Policy)}, EnterpriseRule:acl.EnterpriseRule{{}}}}";
}

/// <summary>A service rule; Intentions empty means "derived from Policy" (read/write → read, deny → deny).</summary>
public sealed record ServiceRule(string Name, string Policy, string Intentions = "") : SegmentRule(Name, Policy)
{
    public override string GoString() =>
        $"&acl.ServiceRule{{Name:{Q(Name)}, Policy:{Q(Policy)}, Intentions:{Q(Intentions)}, EnterpriseRule:acl.EnterpriseRule{{}}}}";
}

public sealed record SessionRule(string Node, string Policy) : SegmentRule(Node, Policy)
{
    public override string GoString() => $"&acl.SessionRule{{Node:{Q(Node)}, Policy:{Q(Policy)}}}";
}

public sealed record EventRule(string Event, string Policy) : SegmentRule(Event, Policy)
{
    public override string GoString() => $"&acl.EventRule{{Event:{Q(Event)}, Policy:{Q(Policy)}}}";
}

public sealed record PreparedQueryRule(string Prefix, string Policy) : SegmentRule(Prefix, Policy)
{
    public override string GoString() => $"&acl.PreparedQueryRule{{Prefix:{Q(Prefix)}, Policy:{Q(Policy)}}}";
}
