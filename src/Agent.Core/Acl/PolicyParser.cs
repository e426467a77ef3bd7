namespace Consul.Core.Acl;

/// <summary>Thrown for rules that do not parse or do not validate; the message is Consul's.</summary>
public sealed class AclPolicyParseException(string message) : Exception(message);

/// <summary>
/// Turns policy Rules text (HCL or JSON) into validated <see cref="PolicyRules"/>,
/// as Consul's acl.NewPolicyFromSource: syntax errors read
/// "Failed to parse ACL rules: ...", bad values "Invalid key policy: &amp;acl.KeyRule{...}".
/// </summary>
public static class PolicyParser
{
    public static PolicyRules Parse(string? rules)
    {
        var result = new PolicyRules();
        if (string.IsNullOrEmpty(rules)) return result;

        HclObject root;
        try
        {
            root = rules.TrimStart().StartsWith('{') ? JsonRulesReader.Read(rules) : HclRulesReader.Read(rules);
            Decode(root, result);
        }
        catch (AclRulesSyntaxException ex)
        {
            throw new AclPolicyParseException("Failed to parse ACL rules: " + ex.Message);
        }
        Validate(result);
        return result;
    }

    /// <summary>Parses without throwing; error is Consul's message when parsing fails.</summary>
    public static bool TryParse(string? rules, out PolicyRules? policy, out string? error)
    {
        try
        {
            policy = Parse(rules);
            error = null;
            return true;
        }
        catch (AclPolicyParseException ex)
        {
            policy = null;
            error = ex.Message;
            return false;
        }
    }

    private static void Decode(HclObject root, PolicyRules r)
    {
        foreach (var entry in root.Entries)
        {
            switch (entry.Key)
            {
                case "acl": r.Acl = ScalarString(entry); break;
                case "keyring": r.Keyring = ScalarString(entry); break;
                case "operator": r.Operator = ScalarString(entry); break;
                case "mesh": r.Mesh = ScalarString(entry); break;
                case "peering": r.Peering = ScalarString(entry); break;
                case "agent": Blocks(entry, (n, b) => r.Agents.Add(new AgentRule(n, Field(b, "policy")))); break;
                case "agent_prefix": Blocks(entry, (n, b) => r.AgentPrefixes.Add(new AgentRule(n, Field(b, "policy")))); break;
                case "key": Blocks(entry, (n, b) => r.Keys.Add(new KeyRule(n, Field(b, "policy")))); break;
                case "key_prefix": Blocks(entry, (n, b) => r.KeyPrefixes.Add(new KeyRule(n, Field(b, "policy")))); break;
                case "node": Blocks(entry, (n, b) => r.Nodes.Add(new NodeRule(n, Field(b, "policy")))); break;
                case "node_prefix": Blocks(entry, (n, b) => r.NodePrefixes.Add(new NodeRule(n, Field(b, "policy")))); break;
                case "service":
                    Blocks(entry, (n, b) => r.Services.Add(new ServiceRule(n, Field(b, "policy"), Field(b, "intentions"))));
                    break;
                case "service_prefix":
                    Blocks(entry, (n, b) => r.ServicePrefixes.Add(new ServiceRule(n, Field(b, "policy"), Field(b, "intentions"))));
                    break;
                case "session": Blocks(entry, (n, b) => r.Sessions.Add(new SessionRule(n, Field(b, "policy")))); break;
                case "session_prefix": Blocks(entry, (n, b) => r.SessionPrefixes.Add(new SessionRule(n, Field(b, "policy")))); break;
                case "event": Blocks(entry, (n, b) => r.Events.Add(new EventRule(n, Field(b, "policy")))); break;
                case "event_prefix": Blocks(entry, (n, b) => r.EventPrefixes.Add(new EventRule(n, Field(b, "policy")))); break;
                case "query": Blocks(entry, (n, b) => r.PreparedQueries.Add(new PreparedQueryRule(n, Field(b, "policy")))); break;
                case "query_prefix": Blocks(entry, (n, b) => r.PreparedQueryPrefixes.Add(new PreparedQueryRule(n, Field(b, "policy")))); break;
                default:
                    // HCL v1 decoding ignores keys the target struct lacks; so does Consul.
                    break;
            }
        }
    }

    private static string ScalarString(HclEntry entry) => entry.Value switch
    {
        HclString s => s.Value,
        HclScalar s => s.Text,
        _ => throw new AclRulesSyntaxException(entry.Value.Line, entry.Value.Column,
            $"{entry.Key}: unknown type for string *ast.{(entry.Value is HclList ? "ListType" : "ObjectType")}"),
    };

    /// <summary>Visits each `kind "label" { body }`, in block, object or list (JSON) form.</summary>
    private static void Blocks(HclEntry entry, Action<string, HclObject> add)
    {
        void Visit(HclValue value)
        {
            switch (value)
            {
                case HclObject obj:
                    foreach (var labelled in obj.Entries)
                    {
                        switch (labelled.Value)
                        {
                            case HclObject body:
                                add(labelled.Key, body);
                                break;
                            case HclList list when list.Items.All(i => i is HclObject):
                                foreach (var item in list.Items) add(labelled.Key, (HclObject)item);
                                break;
                            default:
                                throw new AclRulesSyntaxException(labelled.Line, labelled.Column,
                                    $"{entry.Key}: expected a labelled block, as {entry.Key} \"<name>\" {{ policy = \"read\" }}");
                        }
                    }
                    break;
                case HclList list:
                    foreach (var item in list.Items) Visit(item);
                    break;
                default:
                    throw new AclRulesSyntaxException(value.Line, value.Column,
                        $"{entry.Key}: expected a labelled block, as {entry.Key} \"<name>\" {{ policy = \"read\" }}");
            }
        }
        Visit(entry.Value);
    }

    private static string Field(HclObject body, string name)
    {
        string result = "";
        foreach (var e in body.Entries)
        {
            if (!string.Equals(e.Key, name, StringComparison.OrdinalIgnoreCase)) continue;
            result = ScalarString(e);
        }
        return result;
    }

    private static bool Valid(string policy, bool allowList)
    {
        var level = AccessLevels.Parse(policy);
        return level != AccessLevel.Unknown && (allowList || level != AccessLevel.List);
    }

    private static void Validate(PolicyRules r)
    {
        if (r.Acl != "" && !Valid(r.Acl, false)) Fail($"Invalid acl policy: {SegmentRule.Q(r.Acl)}");
        CheckAll(r.Agents, "agent", false);
        CheckAll(r.AgentPrefixes, "agent_prefix", false);
        CheckAll(r.Keys, "key", true);
        CheckAll(r.KeyPrefixes, "key_prefix", true);
        CheckAll(r.Nodes, "node", false);
        CheckAll(r.NodePrefixes, "node_prefix", false);
        CheckServices(r.Services, "service");
        CheckServices(r.ServicePrefixes, "service_prefix");
        CheckAll(r.Sessions, "session", false);
        CheckAll(r.SessionPrefixes, "session_prefix", false);
        CheckAll(r.Events, "event", false);
        CheckAll(r.EventPrefixes, "event_prefix", false);
        CheckAll(r.PreparedQueries, "query", false);
        CheckAll(r.PreparedQueryPrefixes, "query_prefix", false);
        if (r.Keyring != "" && !Valid(r.Keyring, false)) Fail($"Invalid keyring policy: {SegmentRule.Q(r.Keyring)}");
        if (r.Operator != "" && !Valid(r.Operator, false)) Fail($"Invalid operator policy: {SegmentRule.Q(r.Operator)}");
        if (r.Mesh != "" && !Valid(r.Mesh, false)) Fail($"Invalid mesh policy: {SegmentRule.Q(r.Mesh)}");
        if (r.Peering != "" && !Valid(r.Peering, false)) Fail($"Invalid peering policy: {SegmentRule.Q(r.Peering)}");
    }

    private static void CheckAll<T>(List<T> rules, string kind, bool allowList) where T : SegmentRule
    {
        foreach (var rule in rules)
            if (!Valid(rule.Policy, allowList)) Fail($"Invalid {kind} policy: {rule.GoString()}");
    }

    private static void CheckServices(List<ServiceRule> rules, string kind)
    {
        foreach (var rule in rules)
        {
            if (!Valid(rule.Policy, false)) Fail($"Invalid {kind} policy: {rule.GoString()}");
            if (rule.Intentions != "" && !Valid(rule.Intentions, false))
                Fail($"Invalid {kind} intentions policy: {rule.GoString()}");
        }
    }

    private static void Fail(string message) => throw new AclPolicyParseException(message);
}
