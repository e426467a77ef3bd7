namespace Consul.Core.Acl;

/// <summary>
/// Read side of the ACL tables the resolver needs. The state store (FSM) implements it
/// for real; <see cref="InMemoryAclStore"/> serves tests and single-process use.
/// Writers must bump ModifyIndex on every change: the resolver's cache is keyed by it.
/// </summary>
public interface IAclStore
{
    AclToken? TokenBySecret(string secretId);
    AclToken? TokenByAccessor(string accessorId);
    AclPolicy? PolicyById(string id);
    AclPolicy? PolicyByName(string name);
    AclRole? RoleById(string id);
    AclRole? RoleByName(string name);
}
