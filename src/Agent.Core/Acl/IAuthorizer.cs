namespace Consul.Core.Acl;

/// <summary>
/// One link of an authorization chain (Consul's acl.Authorizer). Each check answers
/// Allow, Deny or Default ("no opinion; ask the next authorizer").
/// </summary>
public interface IAuthorizer
{
    EnforcementDecision ACLRead();
    EnforcementDecision ACLWrite();
    EnforcementDecision AgentRead(string node);
    EnforcementDecision AgentWrite(string node);
    EnforcementDecision EventRead(string name);
    EnforcementDecision EventWrite(string name);
    EnforcementDecision IntentionDefaultAllow();
    EnforcementDecision IntentionRead(string service);
    EnforcementDecision IntentionWrite(string service);
    EnforcementDecision KeyRead(string key);
    EnforcementDecision KeyList(string key);
    EnforcementDecision KeyWrite(string key);
    /// <summary>Write on every key under a prefix (recursive delete): denied if any rule under it is not write.</summary>
    EnforcementDecision KeyWritePrefix(string prefix);
    EnforcementDecision KeyringRead();
    EnforcementDecision KeyringWrite();
    EnforcementDecision MeshRead();
    EnforcementDecision MeshWrite();
    EnforcementDecision PeeringRead();
    EnforcementDecision PeeringWrite();
    EnforcementDecision NodeRead(string name);
    EnforcementDecision NodeReadAll();
    EnforcementDecision NodeWrite(string name);
    EnforcementDecision OperatorRead();
    EnforcementDecision OperatorWrite();
    EnforcementDecision PreparedQueryRead(string name);
    EnforcementDecision PreparedQueryWrite(string name);
    EnforcementDecision ServiceRead(string name);
    EnforcementDecision ServiceReadAll();
    EnforcementDecision ServiceWrite(string name);
    EnforcementDecision ServiceWriteAny();
    EnforcementDecision SessionRead(string node);
    EnforcementDecision SessionWrite(string node);
    EnforcementDecision Snapshot();
}
