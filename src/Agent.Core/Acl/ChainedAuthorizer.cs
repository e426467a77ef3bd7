namespace Consul.Core.Acl;

/// <summary>
/// Asks each authorizer in order and returns the first Allow or Deny (Consul's
/// ChainedAuthorizer); the last link is normally the default-policy static authorizer.
/// </summary>
public sealed class ChainedAuthorizer(IReadOnlyList<IAuthorizer> chain) : IAuthorizer
{
    public IReadOnlyList<IAuthorizer> Chain { get; } = chain;

    private EnforcementDecision First(Func<IAuthorizer, EnforcementDecision> check)
    {
        foreach (var authz in Chain)
        {
            var decision = check(authz);
            if (decision != EnforcementDecision.Default) return decision;
        }
        return EnforcementDecision.Default;
    }

    public EnforcementDecision ACLRead() => First(a => a.ACLRead());
    public EnforcementDecision ACLWrite() => First(a => a.ACLWrite());
    public EnforcementDecision AgentRead(string node) => First(a => a.AgentRead(node));
    public EnforcementDecision AgentWrite(string node) => First(a => a.AgentWrite(node));
    public EnforcementDecision EventRead(string name) => First(a => a.EventRead(name));
    public EnforcementDecision EventWrite(string name) => First(a => a.EventWrite(name));
    public EnforcementDecision IntentionDefaultAllow() => First(a => a.IntentionDefaultAllow());
    public EnforcementDecision IntentionRead(string service) => First(a => a.IntentionRead(service));
    public EnforcementDecision IntentionWrite(string service) => First(a => a.IntentionWrite(service));
    public EnforcementDecision KeyRead(string key) => First(a => a.KeyRead(key));
    public EnforcementDecision KeyList(string key) => First(a => a.KeyList(key));
    public EnforcementDecision KeyWrite(string key) => First(a => a.KeyWrite(key));
    public EnforcementDecision KeyWritePrefix(string prefix) => First(a => a.KeyWritePrefix(prefix));
    public EnforcementDecision KeyringRead() => First(a => a.KeyringRead());
    public EnforcementDecision KeyringWrite() => First(a => a.KeyringWrite());
    public EnforcementDecision MeshRead() => First(a => a.MeshRead());
    public EnforcementDecision MeshWrite() => First(a => a.MeshWrite());
    public EnforcementDecision PeeringRead() => First(a => a.PeeringRead());
    public EnforcementDecision PeeringWrite() => First(a => a.PeeringWrite());
    public EnforcementDecision NodeRead(string name) => First(a => a.NodeRead(name));
    public EnforcementDecision NodeReadAll() => First(a => a.NodeReadAll());
    public EnforcementDecision NodeWrite(string name) => First(a => a.NodeWrite(name));
    public EnforcementDecision OperatorRead() => First(a => a.OperatorRead());
    public EnforcementDecision OperatorWrite() => First(a => a.OperatorWrite());
    public EnforcementDecision PreparedQueryRead(string name) => First(a => a.PreparedQueryRead(name));
    public EnforcementDecision PreparedQueryWrite(string name) => First(a => a.PreparedQueryWrite(name));
    public EnforcementDecision ServiceRead(string name) => First(a => a.ServiceRead(name));
    public EnforcementDecision ServiceReadAll() => First(a => a.ServiceReadAll());
    public EnforcementDecision ServiceWrite(string name) => First(a => a.ServiceWrite(name));
    public EnforcementDecision ServiceWriteAny() => First(a => a.ServiceWriteAny());
    public EnforcementDecision SessionRead(string node) => First(a => a.SessionRead(node));
    public EnforcementDecision SessionWrite(string node) => First(a => a.SessionWrite(node));
    public EnforcementDecision Snapshot() => First(a => a.Snapshot());
}
