namespace Consul.Core.Acl;

/// <summary>
/// The top of an authorization chain, bound to the caller's token (Consul's AllowAuthorizer):
/// each check is a bool (only an explicit Allow passes; Default counts as denied), and each
/// <c>...Allowed</c> twin returns the permission-denied error to send, or null when allowed.
/// </summary>
public sealed class Authorizer(IAuthorizer inner, string accessorId)
{
    public IAuthorizer Inner { get; } = inner;

    /// <summary>AccessorID of the token this authorizer was resolved for (named in denial messages).</summary>
    public string AccessorID { get; } = accessorId;

    private PermissionDeniedException? Denied(EnforcementDecision decision, string resource, AccessLevel level, string? name) =>
        decision == EnforcementDecision.Allow ? null : new PermissionDeniedException(AccessorID, resource, level, name);

    /// <summary>Throws the permission-denied error unless allowed, e.g. <c>Authorizer.Require(authz.KeyWriteAllowed(k))</c>.</summary>
    public static void Require(PermissionDeniedException? denied)
    {
        if (denied is not null) throw denied;
    }

    public bool ACLRead() => Inner.ACLRead() == EnforcementDecision.Allow;
    public bool ACLWrite() => Inner.ACLWrite() == EnforcementDecision.Allow;
    public bool AgentRead(string node) => Inner.AgentRead(node) == EnforcementDecision.Allow;
    public bool AgentWrite(string node) => Inner.AgentWrite(node) == EnforcementDecision.Allow;
    public bool EventRead(string name) => Inner.EventRead(name) == EnforcementDecision.Allow;
    public bool EventWrite(string name) => Inner.EventWrite(name) == EnforcementDecision.Allow;
    public bool IntentionRead(string service) => Inner.IntentionRead(service) == EnforcementDecision.Allow;
    public bool IntentionWrite(string service) => Inner.IntentionWrite(service) == EnforcementDecision.Allow;
    public bool KeyRead(string key) => Inner.KeyRead(key) == EnforcementDecision.Allow;
    public bool KeyList(string key) => Inner.KeyList(key) == EnforcementDecision.Allow;
    public bool KeyWrite(string key) => Inner.KeyWrite(key) == EnforcementDecision.Allow;
    public bool KeyWritePrefix(string prefix) => Inner.KeyWritePrefix(prefix) == EnforcementDecision.Allow;
    public bool KeyringRead() => Inner.KeyringRead() == EnforcementDecision.Allow;
    public bool KeyringWrite() => Inner.KeyringWrite() == EnforcementDecision.Allow;
    public bool MeshRead() => Inner.MeshRead() == EnforcementDecision.Allow;
    public bool MeshWrite() => Inner.MeshWrite() == EnforcementDecision.Allow;
    public bool PeeringRead() => Inner.PeeringRead() == EnforcementDecision.Allow;
    public bool PeeringWrite() => Inner.PeeringWrite() == EnforcementDecision.Allow;
    public bool NodeRead(string name) => Inner.NodeRead(name) == EnforcementDecision.Allow;
    public bool NodeReadAll() => Inner.NodeReadAll() == EnforcementDecision.Allow;
    public bool NodeWrite(string name) => Inner.NodeWrite(name) == EnforcementDecision.Allow;
    public bool OperatorRead() => Inner.OperatorRead() == EnforcementDecision.Allow;
    public bool OperatorWrite() => Inner.OperatorWrite() == EnforcementDecision.Allow;
    public bool PreparedQueryRead(string name) => Inner.PreparedQueryRead(name) == EnforcementDecision.Allow;
    public bool PreparedQueryWrite(string name) => Inner.PreparedQueryWrite(name) == EnforcementDecision.Allow;
    public bool ServiceRead(string name) => Inner.ServiceRead(name) == EnforcementDecision.Allow;
    public bool ServiceReadAll() => Inner.ServiceReadAll() == EnforcementDecision.Allow;
    public bool ServiceWrite(string name) => Inner.ServiceWrite(name) == EnforcementDecision.Allow;
    public bool ServiceWriteAny() => Inner.ServiceWriteAny() == EnforcementDecision.Allow;
    public bool SessionRead(string node) => Inner.SessionRead(node) == EnforcementDecision.Allow;
    public bool SessionWrite(string node) => Inner.SessionWrite(node) == EnforcementDecision.Allow;
    public bool Snapshot() => Inner.Snapshot() == EnforcementDecision.Allow;

    public PermissionDeniedException? ACLReadAllowed() =>
        Denied(Inner.ACLRead(), AclResources.Acl, AccessLevel.Read, null);
    public PermissionDeniedException? ACLWriteAllowed() =>
        Denied(Inner.ACLWrite(), AclResources.Acl, AccessLevel.Write, null);
    public PermissionDeniedException? AgentReadAllowed(string node) =>
        Denied(Inner.AgentRead(node), AclResources.Agent, AccessLevel.Read, node);
    public PermissionDeniedException? AgentWriteAllowed(string node) =>
        Denied(Inner.AgentWrite(node), AclResources.Agent, AccessLevel.Write, node);
    public PermissionDeniedException? EventReadAllowed(string name) =>
        Denied(Inner.EventRead(name), AclResources.Event, AccessLevel.Read, name);
    public PermissionDeniedException? EventWriteAllowed(string name) =>
        Denied(Inner.EventWrite(name), AclResources.Event, AccessLevel.Write, name);
    public PermissionDeniedException? IntentionReadAllowed(string service) =>
        Denied(Inner.IntentionRead(service), AclResources.Intention, AccessLevel.Read, service);
    public PermissionDeniedException? IntentionWriteAllowed(string service) =>
        Denied(Inner.IntentionWrite(service), AclResources.Intention, AccessLevel.Write, service);
    public PermissionDeniedException? KeyReadAllowed(string key) =>
        Denied(Inner.KeyRead(key), AclResources.Key, AccessLevel.Read, key);
    public PermissionDeniedException? KeyListAllowed(string key) =>
        Denied(Inner.KeyList(key), AclResources.Key, AccessLevel.List, key);
    public PermissionDeniedException? KeyWriteAllowed(string key) =>
        Denied(Inner.KeyWrite(key), AclResources.Key, AccessLevel.Write, key);
    public PermissionDeniedException? KeyWritePrefixAllowed(string prefix) =>
        Denied(Inner.KeyWritePrefix(prefix), AclResources.Key, AccessLevel.Write, prefix);
    public PermissionDeniedException? KeyringReadAllowed() =>
        Denied(Inner.KeyringRead(), AclResources.Keyring, AccessLevel.Read, null);
    public PermissionDeniedException? KeyringWriteAllowed() =>
        Denied(Inner.KeyringWrite(), AclResources.Keyring, AccessLevel.Write, null);
    public PermissionDeniedException? MeshReadAllowed() =>
        Denied(Inner.MeshRead(), AclResources.Mesh, AccessLevel.Read, null);
    public PermissionDeniedException? MeshWriteAllowed() =>
        Denied(Inner.MeshWrite(), AclResources.Mesh, AccessLevel.Write, null);
    public PermissionDeniedException? PeeringReadAllowed() =>
        Denied(Inner.PeeringRead(), AclResources.Peering, AccessLevel.Read, null);
    public PermissionDeniedException? PeeringWriteAllowed() =>
        Denied(Inner.PeeringWrite(), AclResources.Peering, AccessLevel.Write, null);
    public PermissionDeniedException? NodeReadAllowed(string name) =>
        Denied(Inner.NodeRead(name), AclResources.Node, AccessLevel.Read, name);
    public PermissionDeniedException? NodeReadAllAllowed() =>
        Denied(Inner.NodeReadAll(), AclResources.Node, AccessLevel.Read, null);
    public PermissionDeniedException? NodeWriteAllowed(string name) =>
        Denied(Inner.NodeWrite(name), AclResources.Node, AccessLevel.Write, name);
    public PermissionDeniedException? OperatorReadAllowed() =>
        Denied(Inner.OperatorRead(), AclResources.Operator, AccessLevel.Read, null);
    public PermissionDeniedException? OperatorWriteAllowed() =>
        Denied(Inner.OperatorWrite(), AclResources.Operator, AccessLevel.Write, null);
    public PermissionDeniedException? PreparedQueryReadAllowed(string name) =>
        Denied(Inner.PreparedQueryRead(name), AclResources.Query, AccessLevel.Read, name);
    public PermissionDeniedException? PreparedQueryWriteAllowed(string name) =>
        Denied(Inner.PreparedQueryWrite(name), AclResources.Query, AccessLevel.Write, name);
    public PermissionDeniedException? ServiceReadAllowed(string name) =>
        Denied(Inner.ServiceRead(name), AclResources.Service, AccessLevel.Read, name);
    public PermissionDeniedException? ServiceReadAllAllowed() =>
        Denied(Inner.ServiceReadAll(), AclResources.Service, AccessLevel.Read, null);
    public PermissionDeniedException? ServiceWriteAllowed(string name) =>
        Denied(Inner.ServiceWrite(name), AclResources.Service, AccessLevel.Write, name);
    public PermissionDeniedException? ServiceWriteAnyAllowed() =>
        Denied(Inner.ServiceWriteAny(), AclResources.Service, AccessLevel.Write, null);
    public PermissionDeniedException? SessionReadAllowed(string node) =>
        Denied(Inner.SessionRead(node), AclResources.Session, AccessLevel.Read, node);
    public PermissionDeniedException? SessionWriteAllowed(string node) =>
        Denied(Inner.SessionWrite(node), AclResources.Session, AccessLevel.Write, node);
    public PermissionDeniedException? SnapshotAllowed() =>
        Denied(Inner.Snapshot(), AclResources.Acl, AccessLevel.Write, null);
}
